package dev.tfjit.runtime;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;

import java.util.List;

/** The check every compiled executable makes before its code sees arguments: their count, dtypes and shapes fit the graph's parameters. */
public final class Arguments {
    private Arguments() {}

    /** Host buffers for {@code graph}. (A loop, not a stream: this runs on every compiled call.) */
    public static void checkBuffers(Graph graph, List<Buffer> args) {
        checkCount(graph, args.size());
        for (int i = 0; i < args.size(); i++) check(graph, i, args.get(i).dtype(), args.get(i).shape());
    }

    /** Values of these types (device values, say) for {@code graph}. */
    public static void checkTypes(Graph graph, List<TensorType> args) {
        checkCount(graph, args.size());
        for (int i = 0; i < args.size(); i++) check(graph, i, args.get(i).dtype(), args.get(i).shape());
    }

    private static void checkCount(Graph graph, int n) {
        int want = graph.params().size();
        if (n != want) throw new TfException("@" + graph.name() + " takes " + want + " arguments, got " + n);
    }

    private static void check(Graph graph, int i, DType dtype, Shape shape) {
        TensorType p = graph.params().get(i).type();
        if (dtype != p.dtype()) {
            throw new DTypeError("@" + graph.name() + " argument " + i + " should be " + p.dtype() + ", got " + dtype);
        }
        if (!p.shape().accepts(shape)) {
            throw new ShapeError("@" + graph.name() + " argument " + i + " should have shape " + p.shape().irString() + ", got " + shape.irString());
        }
    }
}
