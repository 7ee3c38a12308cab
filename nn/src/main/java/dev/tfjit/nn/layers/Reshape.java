package dev.tfjit.nn.layers;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.nn.Layer;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

import java.util.List;
import java.util.Map;

/** {@code keras.layers.Reshape(target_shape)}: keeps the batch dim and reshapes the rest; one target dim may be -1. */
public class Reshape extends Layer {
    private final int[] targetShape;

    public Reshape(int... targetShape) { this(targetShape, null); }

    public Reshape(int[] targetShape, String name) {
        super(name);
        int unknown = 0;
        for (int d : targetShape) {
            if (d == -1) unknown++;
            else if (d < 0) throw new InvalidArgumentError("Reshape: target_shape dims must be positive or -1, got " + java.util.Arrays.toString(targetShape));
        }
        if (unknown > 1) throw new InvalidArgumentError("Reshape: there must be at most one unknown dimension in target_shape, got "
                + java.util.Arrays.toString(targetShape));
        this.targetShape = targetShape.clone();
    }

    @Override
    protected Tensor call(Tensor inputs) {
        Shape out = computeOutputShape(inputs.shape());
        int[] full = new int[targetShape.length + 1];
        full[0] = -1;
        boolean resolved = true;
        for (int i = 0; i < targetShape.length; i++) {
            full[i + 1] = out.hasRank() ? out.dim(i + 1) : targetShape[i];
            resolved &= full[i + 1] >= 0;
        }
        if (resolved) return Tf.reshape(inputs, full);
        // A -1 in the target that the static shape cannot resolve: take the batch size at run time.
        Tensor batch = Tf.getItem(Tf.shape(inputs, DType.INT32), "0:1");
        return Tf.reshape(inputs, Tf.concat(List.of(batch, Tf.constant(targetShape)), 0));
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        int[] dims = new int[targetShape.length + 1];
        dims[0] = s.hasRank() && s.rank() > 0 ? s.dim(0) : -1;
        long known = 1;
        int free = -1;
        for (int i = 0; i < targetShape.length; i++) {
            dims[i + 1] = targetShape[i];
            if (targetShape[i] == -1) free = i + 1;
            else known *= targetShape[i];
        }
        if (free >= 0 && s.hasRank()) {
            long n = 1;
            boolean allKnown = true;
            for (int i = 1; i < s.rank(); i++) {
                if (!s.isKnown(i)) allKnown = false;
                else n *= s.dim(i);
            }
            if (allKnown && known > 0) {
                if (n % known != 0) {
                    throw new InvalidArgumentError("Reshape " + name() + ": total size of the input " + s + " (after the batch dim) is not divisible by "
                            + "the known target dims " + java.util.Arrays.toString(targetShape));
                }
                dims[free] = (int) (n / known);
            }
        }
        return Shape.of(dims);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("target_shape", targetShape.clone());
        return c;
    }
}
