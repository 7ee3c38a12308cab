package dev.tfjit.ir;

/** The static type of an IR value: element type and (possibly partial) shape. */
public record TensorType(DType dtype, Shape shape) {
    public TensorType {
        if (dtype == null || shape == null) throw new NullPointerException("dtype and shape are required");
    }

    public static TensorType of(DType dtype, int... dims) { return new TensorType(dtype, Shape.of(dims)); }

    public static TensorType scalar(DType dtype) { return new TensorType(dtype, Shape.SCALAR); }

    /** The IR's form, {@code f32[?,784]}. */
    @Override
    public String toString() { return dtype.shortName() + shape.irString(); }
}
