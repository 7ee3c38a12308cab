package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.kernels.SparseCoo;

/**
 * {@code tf.SparseTensor}: the COO triple of int64 {@code indices[N, rank]}, {@code values[N]}
 * and int64 {@code denseShape[rank]}. Like TensorFlow's it is a plain value of three tensors,
 * so it works eagerly and while tracing; the constructor checks what it can statically.
 */
public record SparseTensor(Tensor indices, Tensor values, Tensor denseShape) {
    public SparseTensor {
        try {
            SparseCoo.checkTypes("SparseTensor", indices.type(), values.type(), denseShape.type());
        } catch (TfException e) {
            throw e.in("SparseTensor", dev.tfjit.ir.SourceLocation.ofCaller());
        }
    }

    /** A sparse tensor from Java data: {@code of(new long[][] {{0, 0}, {1, 2}}, new float[] {1, 2}, 3, 4)}. */
    public static SparseTensor of(long[][] indices, Object values, long... denseShape) {
        Tensor idx = indices.length == 0
                ? Tf.zeros(new int[] {0, denseShape.length}, DType.INT64)
                : Tf.constant(indices, DType.INT64);
        Tensor vals = Tf.constant(values);
        return new SparseTensor(idx, vals, Tf.constant(denseShape, DType.INT64));
    }

    public DType dtype() { return values.dtype(); }

    /**
     * The static dense shape. Reading an eager dense shape is static information (TF's
     * {@code constant_value_as_shape}); while tracing only the rank is known.
     */
    public Shape shape() {
        if (!denseShape.isSymbolic()) return Shape.of(denseShape.toLongArray());
        int r = denseShape.shape().hasRank() ? denseShape.shape().dim(0) : Shape.UNKNOWN;
        return r < 0 ? Shape.unknownRank() : Shape.unknownDims(r);
    }

    public Tensor toDense() { return Tf.sparse.toDense(this); }

    public SparseTensor reorder() { return Tf.sparse.reorder(this); }

    /** {@code sp * dense}: only the dense side broadcasts; the result keeps this tensor's indices. */
    public SparseTensor mul(Tensor dense) { return Tf.sparse.multiply(this, dense); }

    public SparseTensor mul(Number y) { return mul(Tf.scalarLike(values, y)); }

    public SparseTensor div(Tensor dense) { return Tf.sparse.divide(this, dense); }

    public SparseTensor div(Number y) { return div(Tf.scalarLike(values, y)); }

    /** {@code f(values)} on the stored values only: right for ops that keep zero at zero (abs, neg, square...). */
    public SparseTensor mapValues(java.util.function.UnaryOperator<Tensor> f) {
        return new SparseTensor(indices, f.apply(values), denseShape);
    }

    /** TensorFlow's printed form: {@code SparseTensor(indices=..., values=..., dense_shape=...)}. */
    @Override
    public String toString() {
        return "SparseTensor(indices=" + indices + ", values=" + values + ", dense_shape=" + denseShape + ")";
    }
}
