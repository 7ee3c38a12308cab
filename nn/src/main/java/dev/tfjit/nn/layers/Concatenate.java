package dev.tfjit.nn.layers;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.nn.MergeLayer;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

import java.util.List;

/** {@code keras.layers.Concatenate}: joins its inputs along {@code axis} (the last by default). */
public class Concatenate extends MergeLayer {
    private final int axis;

    public Concatenate() { this(-1); }

    public Concatenate(int axis) {
        super(null);
        this.axis = axis;
    }

    @Override
    protected Tensor merge(List<Tensor> inputs) { return Tf.concat(inputs, axis); }

    @Override
    public Shape computeOutputShape(List<Shape> shapes) {
        Shape first = shapes.get(0);
        if (!first.hasRank()) return Shape.unknownRank();
        int a = axis < 0 ? axis + first.rank() : axis;
        int total = 0;
        for (Shape s : shapes) {
            if (!s.hasRank() || s.rank() != first.rank()) {
                throw new InvalidArgumentError("Concatenate " + name() + ": inputs must have the same rank, got " + shapes);
            }
            total = total < 0 || !s.isKnown(a) ? -1 : total + s.dim(a);
        }
        return first.withDim(a, total);
    }
}
