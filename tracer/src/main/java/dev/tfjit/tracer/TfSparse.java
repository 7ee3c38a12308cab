package dev.tfjit.tracer;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.ops.SparseOps;

import java.util.List;

/** {@code tf.sparse}, reached as {@code Tf.sparse.toDense(sp)}. */
public final class TfSparse {
    TfSparse() {}

    /** {@code tf.sparse.to_dense}: zeros (or "" for strings) where no value is stored; indices must be ordered. */
    public Tensor toDense(SparseTensor sp) { return toDense(sp, Tf.zeros(new int[0], sp.dtype())); }

    /** {@code tf.sparse.to_dense(sp, default_value)}. */
    public Tensor toDense(SparseTensor sp, Tensor defaultValue) {
        return Tf.apply1(SparseOps.SPARSE_TO_DENSE, Attrs.of("validate_indices", true), sp.indices(), sp.denseShape(), sp.values(), defaultValue);
    }

    /**
     * {@code tf.sparse.from_dense}: the non-zero elements, built as TF's Python does
     * ({@code where(not_equal(x, zeros_like(x)))}, then {@code gather_nd}).
     */
    public SparseTensor fromDense(Tensor x) {
        Tensor indices = Tf.where(Tf.notEqual(x, Tf.zerosLike(x)));
        return new SparseTensor(indices, Tf.gatherNd(x, indices), Tf.shape(x, DType.INT64));
    }

    /** {@code tf.sparse.reorder}: the same tensor with indices in row-major order. */
    public SparseTensor reorder(SparseTensor sp) {
        List<Tensor> out = Tf.apply(SparseOps.SPARSE_REORDER, Attrs.EMPTY, sp.indices(), sp.values(), sp.denseShape());
        return new SparseTensor(out.get(0), out.get(1), sp.denseShape());
    }

    /** {@code tf.sparse.add(a, b)} of two sparse tensors: values at equal indices are summed. */
    public SparseTensor add(SparseTensor a, SparseTensor b) { return add(a, b, 0); }

    /** With a threshold: a sum whose magnitude is below {@code threshold} is not stored. */
    public SparseTensor add(SparseTensor a, SparseTensor b, Number threshold) {
        Tensor thresh = Tf.scalarLike(a.values(), threshold);
        List<Tensor> out = Tf.apply(SparseOps.SPARSE_ADD, Attrs.EMPTY, a.indices(), a.values(), a.denseShape(),
                b.indices(), b.values(), b.denseShape(), thresh);
        return new SparseTensor(out.get(0), out.get(1), out.get(2));
    }

    /** {@code tf.sparse.add(sparse, dense)}: a dense result; shapes must be equal (no broadcasting, as in TF). */
    public Tensor add(SparseTensor a, Tensor b) {
        return Tf.apply1(SparseOps.SPARSE_TENSOR_DENSE_ADD, Attrs.EMPTY, a.indices(), a.values(), a.denseShape(), b);
    }

    public Tensor add(Tensor a, SparseTensor b) { return add(b, a); }

    /** {@code sp * dense} (TF's SparseDenseCwiseMul): the dense side broadcasts to the sparse shape. */
    public SparseTensor multiply(SparseTensor sp, Tensor dense) {
        return withValues(sp, Tf.apply1(SparseOps.SPARSE_DENSE_CWISE_MUL, Attrs.EMPTY, sp.indices(), sp.values(), sp.denseShape(), dense));
    }

    /** {@code sp / dense} (TF's SparseDenseCwiseDiv). */
    public SparseTensor divide(SparseTensor sp, Tensor dense) {
        return withValues(sp, Tf.apply1(SparseOps.SPARSE_DENSE_CWISE_DIV, Attrs.EMPTY, sp.indices(), sp.values(), sp.denseShape(), dense));
    }

    /** TF's SparseDenseCwiseAdd: adds the dense value at each stored index only (the result stays sparse). */
    public SparseTensor addAtIndices(SparseTensor sp, Tensor dense) {
        return withValues(sp, Tf.apply1(SparseOps.SPARSE_DENSE_CWISE_ADD, Attrs.EMPTY, sp.indices(), sp.values(), sp.denseShape(), dense));
    }

    /** {@code tf.sparse.sparse_dense_matmul(sp, dense)}: a dense matrix product. */
    public Tensor sparseDenseMatmul(SparseTensor a, Tensor b) { return sparseDenseMatmul(a, b, false, false); }

    public Tensor sparseDenseMatmul(SparseTensor a, Tensor b, boolean adjointA, boolean adjointB) {
        return Tf.apply1(SparseOps.SPARSE_TENSOR_DENSE_MATMUL, Attrs.of("adjoint_a", adjointA, "adjoint_b", adjointB),
                a.indices(), a.values(), a.denseShape(), b);
    }

    /** {@code tf.sparse.reduce_sum(sp)}: the sum of all stored values, a dense scalar. */
    public Tensor reduceSum(SparseTensor sp) {
        return Tf.apply1(SparseOps.SPARSE_REDUCE_SUM, Attrs.of("keep_dims", false), sp.indices(), sp.values(), sp.denseShape());
    }

    /** {@code tf.sparse.reduce_sum(sp, axis, keepdims)}: a dense tensor; negative axes count from the end. */
    public Tensor reduceSum(SparseTensor sp, int[] axes, boolean keepDims) {
        return Tf.apply1(SparseOps.SPARSE_REDUCE_SUM, Attrs.of("axes", axes, "keep_dims", keepDims), sp.indices(), sp.values(), sp.denseShape());
    }

    private static SparseTensor withValues(SparseTensor sp, Tensor values) {
        return new SparseTensor(sp.indices(), values, sp.denseShape());
    }
}
