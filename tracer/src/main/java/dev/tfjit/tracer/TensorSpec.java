package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;

/**
 * The dtype and (possibly partial) shape a function argument must have, like
 * {@code tf.TensorSpec}. {@code TensorSpec.of(FLOAT32, "?", 784)} accepts any batch size.
 */
public record TensorSpec(DType dtype, Shape shape) {
    /** Dims are Integers or the string "?" (or null) for an unknown dim. */
    public static TensorSpec of(DType dtype, Object... dims) {
        int[] d = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            Object o = dims[i];
            if (o == null || "?".equals(o) || "None".equals(o)) d[i] = Shape.UNKNOWN;
            else if (o instanceof Integer n) d[i] = n;
            else throw new IllegalArgumentException("a dim is an Integer or \"?\", got " + o);
        }
        return new TensorSpec(dtype, Shape.of(d));
    }

    public static TensorSpec of(Tensor t) { return new TensorSpec(t.dtype(), t.shape()); }

    public TensorType type() { return new TensorType(dtype, shape); }

    /** Whether a tensor of this dtype and concrete shape fits. */
    public boolean accepts(DType t, Shape concrete) { return t == dtype && shape.accepts(concrete); }

    @Override
    public String toString() { return "TensorSpec(shape=" + shape + ", dtype=" + dtype + ")"; }
}
