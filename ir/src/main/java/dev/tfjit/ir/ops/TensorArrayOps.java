package dev.tfjit.ir.ops;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.GradientBuilder;
import dev.tfjit.ir.GradientRule;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Operand;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.kernels.TensorArrays;

import java.util.Arrays;
import java.util.List;

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
            .gradient(TensorArrayOps::writeGrad)
            .build();

    /** {@code tensor_array_read %stacked, %index}: one element. */
    public static final OpDef TENSOR_ARRAY_READ = OpDef.op("tensor_array_read").inputs(2)
            .type((in, a) -> {
                checkStacked("tensor_array_read", in.get(0));
                checkIndex("tensor_array_read", in.get(1));
                return new TensorType(in.get(0).dtype(), elementShape(in.get(0).shape()));
            })
            .kernel1((in, a) -> TensorArrays.read(in.get(0), in.get(1)))
            // The element's gradient, placed in its row of an otherwise zero array.
            .gradient((g, c) -> Arrays.asList(g.emit1(TENSOR_ARRAY_WRITE, Attrs.of("dynamic_size", false), g.zerosLike(c.x(0)), c.x(1), c.dy()), null))
            .build();

    /**
     * The written element gets its row of the gradient; the array written into gets the rest,
     * with the overwritten row zeroed and, when the write grew the array, only its old rows.
     */
    private static List<Operand> writeGrad(GradientBuilder g, GradientRule.Call c) {
        Operand dy = c.dy(), index = c.x(1);
        Operand dValue = g.emit1(TENSOR_ARRAY_READ, Attrs.EMPTY, dy, index);
        Operand dStacked = g.emit1(TENSOR_ARRAY_WRITE, Attrs.of("dynamic_size", false), dy, index, g.zerosLike(c.x(2)));
        if (c.attrs().getBool("dynamic_size", false)) {
            Operand rows = g.emit1(ArrayOps.GATHER, Attrs.of("axis", 0), g.shapeOf(c.x(0)), g.constant(Buffer.scalar(DType.INT32, 0)));
            Operand kept = g.emit1(CreationOps.RANGE, Attrs.EMPTY, g.constant(Buffer.scalar(DType.INT32, 0)), rows,
                    g.constant(Buffer.scalar(DType.INT32, 1)));
            dStacked = g.emit1(ArrayOps.GATHER, Attrs.of("axis", 0), dStacked, kept);
        }
        return Arrays.asList(dStacked, null, dValue);
    }

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
