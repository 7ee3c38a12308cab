package dev.tfjit.tracer;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.ops.LinalgOps;
import dev.tfjit.ir.ops.NnOps;
import dev.tfjit.ir.ops.ReductionOps;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Static typing of the reduction, linear algebra and nn ops, as tracing sees it: unknown dims and ranks. */
class ReductionAndNnTypeRulesTest {
    private static final int Q = Shape.UNKNOWN;

    private static TensorType f32(int... dims) { return TensorType.of(DType.FLOAT32, dims); }

    @Test
    void reductionsKeepUnknownDimsTheyDoNotReduce() {
        TensorType t = ReductionOps.REDUCE_SUM.inferTypes(List.of(f32(Q, 784)), Attrs.of("axis", new int[]{1})).get(0);
        assertEquals(f32(Q), t);
        TensorType k = ReductionOps.REDUCE_MEAN.inferTypes(List.of(f32(Q, 3)), Attrs.of("axis", new int[]{0}, "keepdims", true)).get(0);
        assertEquals(f32(1, 3), k);
        TensorType all = ReductionOps.REDUCE_MAX.inferTypes(List.of(new TensorType(DType.FLOAT32, Shape.unknownRank())), Attrs.EMPTY).get(0);
        assertFalse(all.shape().hasRank());
        assertThrows(InvalidArgumentError.class,
                () -> ReductionOps.REDUCE_SUM.inferTypes(List.of(f32(Q, 3)), Attrs.of("axis", new int[]{-3})));
    }

    @Test
    void argmaxAndCumsumTypes() {
        assertEquals(TensorType.of(DType.INT32, Q),
                ReductionOps.ARGMAX.inferTypes(List.of(f32(Q, 10)), Attrs.of("axis", 1, "output_type", DType.INT32)).get(0));
        assertThrows(DTypeError.class,
                () -> ReductionOps.ARGMAX.inferTypes(List.of(f32(3)), Attrs.of("axis", 0, "output_type", DType.FLOAT32)));
        assertEquals(f32(Q, 4), ReductionOps.CUMSUM.inferTypes(List.of(f32(Q, 4)), Attrs.of("axis", 1)).get(0));
    }

    @Test
    void matmulWithUnknownDims() {
        Attrs plain = Attrs.of("transpose_a", false, "transpose_b", false);
        assertEquals(f32(Q, 10), LinalgOps.MATMUL.inferTypes(List.of(f32(Q, 784), f32(784, 10)), plain).get(0));
        assertEquals(f32(Q, 2, 5), LinalgOps.MATMUL.inferTypes(List.of(f32(Q, 2, Q), f32(Q, 5)), plain).get(0));
        assertEquals(f32(7, 3), LinalgOps.MATMUL.inferTypes(List.of(f32(4, 7), f32(3, 4)),
                Attrs.of("transpose_a", true, "transpose_b", true)).get(0));
        assertThrows(InvalidArgumentError.class, () -> LinalgOps.MATMUL.inferTypes(List.of(f32(Q, 3), f32(4, 5)), plain));
    }

    @Test
    void topKAndSoftmaxAndXentTypes() {
        List<TensorType> top = LinalgOps.TOP_K.inferTypes(List.of(f32(Q, 10)), Attrs.of("k", 3));
        assertEquals(f32(Q, 3), top.get(0));
        assertEquals(TensorType.of(DType.INT32, Q, 3), top.get(1));
        assertEquals(f32(Q, 10), NnOps.SOFTMAX.inferTypes(List.of(f32(Q, 10)), Attrs.EMPTY).get(0));
        assertThrows(DTypeError.class, () -> NnOps.SOFTMAX.inferTypes(List.of(TensorType.of(DType.INT32, 3)), Attrs.EMPTY));
        List<TensorType> x = NnOps.SPARSE_SOFTMAX_XENT.inferTypes(List.of(f32(Q, 10), TensorType.of(DType.INT64, Q)), Attrs.EMPTY);
        assertEquals(f32(Q), x.get(0));
        assertEquals(f32(Q, 10), x.get(1));
        assertThrows(DTypeError.class,
                () -> NnOps.SPARSE_SOFTMAX_XENT.inferTypes(List.of(f32(2, 10), TensorType.of(DType.FLOAT32, 2)), Attrs.EMPTY));
        assertEquals(f32(Q), NnOps.SOFTMAX_XENT.inferTypes(List.of(f32(Q, 10), f32(1, 10)), Attrs.EMPTY).get(0));
    }
}
