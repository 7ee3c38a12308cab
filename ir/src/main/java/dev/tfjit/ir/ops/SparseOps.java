package dev.tfjit.ir.ops;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.kernels.Sparse;
import dev.tfjit.ir.kernels.SparseCoo;

import java.util.List;

/**
 * TensorFlow's raw sparse ops on COO triples {@code (indices int64[N,R], values[N], dense_shape
 * int64[R])}. The dense shape is a tensor, so statically only the rank of a dense result is
 * known unless a type rule can read it from the input dense operand.
 */
public final class SparseOps {
    private SparseOps() {}

    /** {@code sparse_to_dense %indices, %dense_shape, %values, %default {validate_indices}}. */
    public static final OpDef SPARSE_TO_DENSE = OpDef.op("sparse_to_dense").inputs(4)
            .type((in, a) -> {
                TensorType idx = in.get(0), shape = in.get(1), values = in.get(2), dflt = in.get(3);
                if (idx.dtype() != DType.INT32 && idx.dtype() != DType.INT64) {
                    throw new DTypeError("sparse_to_dense: sparse_indices must be int32 or int64, got " + idx.dtype());
                }
                if (shape.dtype() != idx.dtype()) {
                    throw new DTypeError("sparse_to_dense: output_shape must have the indices' dtype " + idx.dtype() + ", got " + shape.dtype());
                }
                if (values.dtype() != dflt.dtype()) {
                    throw new DTypeError("sparse_to_dense: default_value must have the values' dtype " + values.dtype() + ", got " + dflt.dtype());
                }
                if (dflt.shape().hasRank() && dflt.shape().rank() != 0) {
                    throw new InvalidArgumentError("sparse_to_dense: default_value should be a scalar, got shape " + dflt.shape().brief());
                }
                if (idx.shape().hasRank() && idx.shape().rank() > 2) {
                    throw new InvalidArgumentError("sparse_to_dense: sparse_indices should be a scalar, vector, or matrix, got shape " + idx.shape().brief());
                }
                return new TensorType(values.dtype(), rankFrom(shape.shape()));
            })
            .kernel1((in, a) -> Sparse.toDense(in.get(0).dtype() == DType.INT64 ? in.get(0) : dev.tfjit.ir.kernels.Casts.cast(in.get(0), DType.INT64),
                    in.get(1).dtype() == DType.INT64 ? in.get(1) : dev.tfjit.ir.kernels.Casts.cast(in.get(1), DType.INT64),
                    in.get(2), in.get(3), a.getBool("validate_indices", true)))
            .build();

    /** {@code sparse_reorder %indices, %values, %dense_shape}: indices and values in row-major order. */
    public static final OpDef SPARSE_REORDER = OpDef.op("sparse_reorder").inputs(3)
            .types((in, a, r) -> {
                SparseCoo.checkTypes("sparse_reorder", in.get(0), in.get(1), in.get(2));
                return List.of(in.get(0), in.get(1));
            })
            .kernel((in, a, r) -> Sparse.reorder(in.get(0), in.get(1), in.get(2)))
            .build();

    /** {@code sparse_tensor_dense_add %a_indices, %a_values, %a_shape, %b}: dense result of b's shape. */
    public static final OpDef SPARSE_TENSOR_DENSE_ADD = OpDef.op("sparse_tensor_dense_add").inputs(4)
            .type((in, a) -> {
                int r = SparseCoo.checkTypes("sparse_tensor_dense_add", in.get(0), in.get(1), in.get(2));
                TensorType b = in.get(3);
                requireSameDType("sparse_tensor_dense_add", in.get(1).dtype(), b.dtype());
                requireNumeric("sparse_tensor_dense_add", b.dtype());
                if (r >= 0 && b.shape().hasRank() && b.shape().rank() != r) {
                    throw new InvalidArgumentError("Two operands have different ranks; received: " + r + " and " + b.shape().rank());
                }
                return b;
            })
            .kernel1((in, a) -> Sparse.addToDense(in.get(0), in.get(1), in.get(2), in.get(3)))
            .build();

    /** {@code sparse_add %a_indices, %a_values, %a_shape, %b_indices, %b_values, %b_shape, %thresh}. */
    public static final OpDef SPARSE_ADD = OpDef.op("sparse_add").inputs(7)
            .types((in, a, regions) -> {
                int ra = SparseCoo.checkTypes("sparse_add", in.get(0), in.get(1), in.get(2));
                int rb = SparseCoo.checkTypes("sparse_add", in.get(3), in.get(4), in.get(5));
                requireSameDType("sparse_add", in.get(1).dtype(), in.get(4).dtype());
                requireNumeric("sparse_add", in.get(1).dtype());
                if (ra >= 0 && rb >= 0 && ra != rb) {
                    throw new InvalidArgumentError("Operands do not have the same ranks; got ranks " + ra + " and " + rb);
                }
                if (in.get(6).shape().hasRank() && in.get(6).shape().rank() != 0) {
                    throw new InvalidArgumentError("sparse_add: thresh should be a scalar, got shape " + in.get(6).shape().brief());
                }
                int r = ra >= 0 ? ra : rb;
                return List.of(new TensorType(DType.INT64, Shape.of(Shape.UNKNOWN, r)), new TensorType(in.get(1).dtype(), Shape.of(Shape.UNKNOWN)),
                        new TensorType(DType.INT64, Shape.of(r)));
            })
            .kernel((in, a, r) -> Sparse.add(in.get(0), in.get(1), in.get(2), in.get(3), in.get(4), in.get(5), in.get(6)))
            .build();

    /** {@code sparse_tensor_dense_matmul %a_indices, %a_values, %a_shape, %b {adjoint_a, adjoint_b}}. */
    public static final OpDef SPARSE_TENSOR_DENSE_MATMUL = OpDef.op("sparse_tensor_dense_matmul").inputs(4)
            .type((in, a) -> {
                int r = SparseCoo.checkTypes("sparse_tensor_dense_matmul", in.get(0), in.get(1), in.get(2));
                TensorType b = in.get(3);
                requireSameDType("sparse_tensor_dense_matmul", in.get(1).dtype(), b.dtype());
                requireNumeric("sparse_tensor_dense_matmul", b.dtype());
                if (r >= 0 && r != 2) throw new InvalidArgumentError("sparse_tensor_dense_matmul: a must be a matrix, got rank " + r);
                if (b.shape().hasRank() && b.shape().rank() != 2) {
                    throw new InvalidArgumentError("sparse_tensor_dense_matmul: b must be a matrix, got shape " + b.shape().brief());
                }
                int cols = b.shape().hasRank() ? b.shape().dim(a.getBool("adjoint_b", false) ? 0 : 1) : Shape.UNKNOWN;
                return new TensorType(b.dtype(), Shape.of(Shape.UNKNOWN, cols));
            })
            .kernel1((in, a) -> Sparse.matmul(in.get(0), in.get(1), in.get(2), in.get(3), a.getBool("adjoint_a", false), a.getBool("adjoint_b", false)))
            .build();

    /** {@code sparse_reduce_sum %indices, %values, %dense_shape {axes?, keep_dims}}: a dense sum; no axes means all. */
    public static final OpDef SPARSE_REDUCE_SUM = OpDef.op("sparse_reduce_sum").inputs(3)
            .type((in, a) -> {
                int r = SparseCoo.checkTypes("sparse_reduce_sum", in.get(0), in.get(1), in.get(2));
                requireNumeric("sparse_reduce_sum", in.get(1).dtype());
                int[] axes = a.has("axes") ? a.getInts("axes") : null;
                boolean keep = a.getBool("keep_dims", false);
                if (r < 0) return new TensorType(in.get(1).dtype(), Shape.unknownRank());
                long[] unknown = new long[r];
                java.util.Arrays.fill(unknown, Shape.UNKNOWN);
                long[] out = Sparse.reducedDims(unknown, axes, keep);
                for (int i = 0; i < out.length; i++) if (out[i] != 1 || !keep) out[i] = Shape.UNKNOWN;
                return new TensorType(in.get(1).dtype(), Shape.of(out));
            })
            .kernel1((in, a) -> Sparse.reduceSum(in.get(0), in.get(1), in.get(2), a.has("axes") ? a.getInts("axes") : null,
                    a.getBool("keep_dims", false)))
            .build();

    public static final OpDef SPARSE_DENSE_CWISE_ADD = cwise("sparse_dense_cwise_add", Sparse.CwiseOp.ADD);
    public static final OpDef SPARSE_DENSE_CWISE_MUL = cwise("sparse_dense_cwise_mul", Sparse.CwiseOp.MUL);
    public static final OpDef SPARSE_DENSE_CWISE_DIV = cwise("sparse_dense_cwise_div", Sparse.CwiseOp.DIV);

    /** {@code %sp_indices, %sp_values, %sp_shape, %dense}: new values for the same indices. */
    private static OpDef cwise(String name, Sparse.CwiseOp op) {
        return OpDef.op(name).inputs(4)
                .type((in, a) -> {
                    int r = SparseCoo.checkTypes(name, in.get(0), in.get(1), in.get(2));
                    requireSameDType(name, in.get(1).dtype(), in.get(3).dtype());
                    requireNumeric(name, in.get(1).dtype());
                    Shape d = in.get(3).shape();
                    if (r >= 0 && d.hasRank() && d.rank() > r) {
                        throw new InvalidArgumentError("SparseDenseBinaryOpShared broadcasts dense to sparse only; got incompatible shapes: rank "
                                + r + " vs. " + d.brief());
                    }
                    return in.get(1);
                })
                .kernel1((in, a) -> Sparse.cwise(in.get(0), in.get(1), in.get(2), in.get(3), op))
                .build();
    }

    /** A result whose dims come from a dense-shape vector: only its rank is known statically. */
    private static Shape rankFrom(Shape denseShape) {
        if (!denseShape.hasRank() || denseShape.rank() != 1) return Shape.unknownRank();
        int r = denseShape.dim(0);
        return r < 0 ? Shape.unknownRank() : Shape.unknownDims(r);
    }

    private static void requireSameDType(String op, DType a, DType b) {
        if (a != b) throw new DTypeError(op + ": both operands must have the same dtype, got " + a + " and " + b);
    }

    private static void requireNumeric(String op, DType t) {
        if (!t.isNumeric()) throw new DTypeError(op + ": expects a numeric dtype, got " + t);
    }
}
