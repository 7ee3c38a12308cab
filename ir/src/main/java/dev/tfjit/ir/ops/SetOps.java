package dev.tfjit.ir.ops;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.kernels.Sets;
import dev.tfjit.ir.kernels.SparseCoo;

import java.util.List;

/** {@code tf.sets}: set operations on the last axis, with sparse results as TF gives them. */
public final class SetOps {
    private SetOps() {}

    /** {@code dense_to_dense_set_operation %set1, %set2 {set_operation}} → (indices, values, dense_shape). */
    public static final OpDef DENSE_TO_DENSE_SET_OPERATION = OpDef.op("dense_to_dense_set_operation").inputs(2)
            .types((in, a, r) -> {
                TensorType x = in.get(0), y = in.get(1);
                Sets.operation(a.getString("set_operation"));
                Sets.checkDType(x.dtype());
                if (x.dtype() != y.dtype()) throw new DTypeError("sets: both sets must have the same dtype, got " + x.dtype() + " and " + y.dtype());
                Sets.checkRank(x.shape());
                Sets.checkRank(y.shape());
                int rank = x.shape().hasRank() ? x.shape().rank() : y.shape().hasRank() ? y.shape().rank() : Shape.UNKNOWN;
                if (x.shape().hasRank() && y.shape().hasRank()) {
                    if (x.shape().rank() != y.shape().rank()) {
                        throw new InvalidArgumentError("Mismatched shapes " + x.shape().brief() + " vs " + y.shape().brief());
                    }
                    for (int d = 0; d < rank - 1; d++) {
                        int dx = x.shape().dim(d), dy = y.shape().dim(d);
                        if (dx >= 0 && dy >= 0 && dx != dy) {
                            throw new InvalidArgumentError("Mismatched shapes " + x.shape().brief() + " vs " + y.shape().brief());
                        }
                    }
                }
                return List.of(new TensorType(DType.INT64, Shape.of(Shape.UNKNOWN, rank)), new TensorType(x.dtype(), Shape.of(Shape.UNKNOWN)),
                        new TensorType(DType.INT64, Shape.of(rank)));
            })
            .kernel((in, a, r) -> Sets.denseToDense(in.get(0), in.get(1), Sets.operation(a.getString("set_operation"))))
            .build();

    /** {@code set_size %indices, %values, %dense_shape}: distinct values per set, int32 {@code dense_shape[:-1]}. */
    public static final OpDef SET_SIZE = OpDef.op("set_size").inputs(3)
            .type((in, a) -> {
                int r = SparseCoo.checkTypes("set_size", in.get(0), in.get(1), in.get(2));
                Sets.checkDType(in.get(1).dtype());
                if (r >= 0 && r < 2) throw new InvalidArgumentError("set_size: a set tensor has rank " + r + " < 2");
                return new TensorType(DType.INT32, r < 0 ? Shape.unknownRank() : Shape.unknownDims(r - 1));
            })
            .kernel1((in, a) -> Sets.size(in.get(0), in.get(1), in.get(2)))
            .build();
}
