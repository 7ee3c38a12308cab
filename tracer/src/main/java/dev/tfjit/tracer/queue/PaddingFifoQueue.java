package dev.tfjit.tracer.queue;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code tf.queue.PaddingFIFOQueue}: a FIFO queue whose shapes may have unknown dims;
 * dequeueMany pads each component with zeros ("" for strings) to the largest in the batch.
 */
public final class PaddingFifoQueue extends FifoQueue {
    public PaddingFifoQueue(int capacity, List<DType> dtypes, List<Shape> shapes) { this(capacity, dtypes, shapes, "padding_fifo_queue"); }

    public PaddingFifoQueue(int capacity, List<DType> dtypes, List<Shape> shapes, String name) {
        super(capacity, dtypes, requireShapes(shapes, name), name);
    }

    private static List<Shape> requireShapes(List<Shape> shapes, String name) {
        if (shapes == null) throw new InvalidArgumentError(name + ": a PaddingFIFOQueue needs shapes (with unknown dims where elements vary)");
        for (Shape s : shapes) {
            if (!s.hasRank()) throw new InvalidArgumentError(name + ": a PaddingFIFOQueue needs shapes of known rank, got " + s);
        }
        return shapes;
    }

    @Override
    List<Tensor> combine(List<List<Tensor>> elements) {
        List<Tensor> out = new ArrayList<>();
        for (int c = 0; c < dtypes().size(); c++) {
            int rank = shapes().get(c).rank();
            int[] target = new int[rank];
            for (List<Tensor> e : elements) for (int d = 0; d < rank; d++) target[d] = Math.max(target[d], e.get(c).shape().dim(d));
            Tensor zero = dtypes().get(c) == DType.STRING ? Tf.constant("") : Tf.cast(Tf.constant(0), dtypes().get(c));
            List<Tensor> padded = new ArrayList<>(elements.size());
            for (List<Tensor> e : elements) {
                Tensor t = e.get(c);
                int[][] p = new int[rank][2];
                for (int d = 0; d < rank; d++) p[d][1] = target[d] - t.shape().dim(d);
                padded.add(rank == 0 ? t : Tf.pad(t, p, "CONSTANT", zero));
            }
            out.add(Tf.stack(padded));
        }
        return out;
    }

    @Override
    String kind() { return "PaddingFIFOQueue"; }
}
