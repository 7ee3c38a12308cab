package dev.tfjit.ir.ops;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.kernels.TensorArrays;

/**
 * TensorArray as a value: TF stages a TensorArray as a "flow" that each write threads through;
 * tfjit's flow is the stacked tensor {@code [size, element...]} itself, so a TensorArray in a
 * staged {@code while} is an ordinary loop-carried tensor and every backend that runs
 * {@code while} runs it. A dynamically sized array's flow has an unknown leading dim.
 */
public final class TensorArrayOps {
    private TensorArrayOps() {}

    /** {@code tensor_array_write %stacked, %index, %value {dynamic_size}}: the stacked tensor with element {@code index} replaced. */
    public static final OpDef TENSOR_ARRAY_WRITE = OpDef.op("tensor_array_write").inputs(3)
            .type((in, a) -> {
                TensorType stacked = in.get(0), value = in.get(2);
                checkStacked("tensor_array_write", stacked);
                checkIndex("tensor_array_write", in.get(1));
                if (value.dtype() != stacked.dtype()) {
                    throw new DTypeError("TensorArray dtype is " + stacked.dtype() + " but Op is trying to write dtype " + value.dtype());
                }
                Shape element = elementShape(stacked.shape());
                Shape v = value.shape();
                if (element.hasRank() && v.hasRank() && (element.rank() != v.rank() || !compatible(element, v))) {
                    throw new InvalidArgumentError("Incompatible shape for value (" + v + "), expected (" + element + ")");
                }
                Shape out = a.getBool("dynamic_size", false) && stacked.shape().hasRank() ? stacked.shape().withDim(0, Shape.UNKNOWN) : stacked.shape();
                return new TensorType(stacked.dtype(), out);
            })
            .kernel1((in, a) -> TensorArrays.write(in.get(0), in.get(1), in.get(2), a.getBool("dynamic_size", false)))
            .build();

    /** {@code tensor_array_read %stacked, %index}: one element. */
    public static final OpDef TENSOR_ARRAY_READ = OpDef.op("tensor_array_read").inputs(2)
            .type((in, a) -> {
                checkStacked("tensor_array_read", in.get(0));
                checkIndex("tensor_array_read", in.get(1));
                return new TensorType(in.get(0).dtype(), elementShape(in.get(0).shape()));
            })
            .kernel1((in, a) -> TensorArrays.read(in.get(0), in.get(1)))
            .build();

    private static void checkStacked(String op, TensorType stacked) {
        if (stacked.shape().hasRank() && stacked.shape().rank() == 0) {
            throw new InvalidArgumentError(op + ": the stacked array must have rank at least 1, got a scalar");
        }
    }

    private static void checkIndex(String op, TensorType index) {
        if (index.dtype() != DType.INT32 && index.dtype() != DType.INT64) {
            throw new DTypeError(op + ": index must be int32 or int64, got " + index.dtype());
        }
        if (index.shape().hasRank() && index.shape().rank() != 0) {
            throw new InvalidArgumentError(op + ": index must be a scalar, got shape " + index.shape().brief());
        }
    }

    private static Shape elementShape(Shape stacked) {
        return stacked.hasRank() ? TensorArrays.elementShape(stacked) : Shape.unknownRank();
    }

    private static boolean compatible(Shape a, Shape b) {
        for (int i = 0; i < a.rank(); i++) {
            if (a.dim(i) >= 0 && b.dim(i) >= 0 && a.dim(i) != b.dim(i)) return false;
        }
        return true;
    }
}
