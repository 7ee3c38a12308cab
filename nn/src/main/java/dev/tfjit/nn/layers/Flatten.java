package dev.tfjit.nn.layers;

import dev.tfjit.ir.Shape;
import dev.tfjit.nn.Layer;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

/** {@code keras.layers.Flatten}: keeps the batch dim and folds the rest into one (a rank-1 input becomes {@code [n, 1]}). */
public class Flatten extends Layer {
    public Flatten() { super(); }

    public Flatten(String name) { super(name); }

    @Override
    protected Tensor call(Tensor inputs) {
        Shape s = inputs.shape();
        if (s.hasRank() && s.rank() > 1 && isKnownAfterBatch(s)) return Tf.reshape(inputs, -1, (int) elementsAfterBatch(s));
        // The batch dim or a later one is unknown: take the batch size at run time.
        Tensor batch = Tf.getItem(Tf.shape(inputs, dev.tfjit.ir.DType.INT32), "0:1");
        return Tf.reshape(inputs, Tf.concat(java.util.List.of(batch, Tf.constant(new int[] {-1})), 0));
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        if (!s.hasRank()) return Shape.unknownRank();
        if (s.rank() <= 1) return Shape.of(s.rank() == 0 ? 1 : s.dim(0), 1);
        return Shape.of(s.dim(0), isKnownAfterBatch(s) ? (int) elementsAfterBatch(s) : -1);
    }

    private static boolean isKnownAfterBatch(Shape s) {
        for (int i = 1; i < s.rank(); i++) if (!s.isKnown(i)) return false;
        return true;
    }

    private static long elementsAfterBatch(Shape s) {
        long n = 1;
        for (int i = 1; i < s.rank(); i++) n *= s.dim(i);
        return n;
    }
}
