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

    /**
     * Reads the IR's spelling of a type, {@code f32[?,784]} or {@code i32[]}, as
     * {@code @TfFunction(inputSignature = ...)} gives it.
     */
    public static TensorSpec parse(String text) {
        String s = text.strip();
        int open = s.indexOf('[');
        if (open <= 0 || !s.endsWith("]")) {
            throw new IllegalArgumentException("a tensor spec reads like f32[?,784] or i32[], got '" + text + "'");
        }
        DType dtype;
        try {
            dtype = DType.fromShortName(s.substring(0, open));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unknown dtype '" + s.substring(0, open) + "' in the tensor spec '" + text
                    + "' (use the IR's short names: f32, f64, i32, i64, bool, ...)");
        }
        String inside = s.substring(open + 1, s.length() - 1).strip();
        if (inside.isEmpty()) return new TensorSpec(dtype, Shape.SCALAR);
        String[] parts = inside.split(",");
        Object[] dims = new Object[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String d = parts[i].strip();
            try {
                dims[i] = d.equals("?") ? "?" : Integer.valueOf(d);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("dim '" + d + "' of the tensor spec '" + text + "' is neither a number nor ?");
            }
        }
        return of(dtype, dims);
    }

    public static TensorSpec of(Tensor t) { return new TensorSpec(t.dtype(), t.shape()); }

    public TensorType type() { return new TensorType(dtype, shape); }

    /** Whether a tensor of this dtype and concrete shape fits. */
    public boolean accepts(DType t, Shape concrete) { return t == dtype && shape.accepts(concrete); }

    @Override
    public String toString() { return "TensorSpec(shape=" + shape + ", dtype=" + dtype + ")"; }
}
