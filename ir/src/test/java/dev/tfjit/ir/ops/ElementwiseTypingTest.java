package dev.tfjit.ir.ops;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.UnimplementedError;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Type rules of the elementwise ops, which must work while tracing with unknown dims. */
class ElementwiseTypingTest {
    static final int U = Shape.UNKNOWN;

    static TensorType t(DType d, int... dims) { return new TensorType(d, Shape.of(dims)); }

    static TensorType infer(OpDef op, TensorType... in) { return op.inferTypes(List.of(in), Attrs.EMPTY).get(0); }

    @Test
    void unknownBatchDimSurvivesBroadcasting() {
        assertEquals(t(DType.FLOAT32, U, 3), infer(ElementwiseOps.ADD, t(DType.FLOAT32, U, 3), t(DType.FLOAT32, 3)));
        assertEquals(t(DType.FLOAT32, 4, 3), infer(ElementwiseOps.MUL, t(DType.FLOAT32, U, 3), t(DType.FLOAT32, 4, 1)));
        assertEquals(t(DType.BOOL, U, 3), infer(ElementwiseOps.LESS, t(DType.FLOAT32, U, 3), t(DType.FLOAT32)));
    }

    @Test
    void unknownRankGivesUnknownRank() {
        TensorType unknown = new TensorType(DType.INT32, Shape.unknownRank());
        assertFalse(infer(ElementwiseOps.FLOOR_MOD, unknown, t(DType.INT32, 2)).shape().hasRank());
    }

    @Test
    void knownIncompatibleDimsFailEvenBesideUnknownOnes() {
        var e = assertThrows(ShapeError.class, () -> infer(ElementwiseOps.SUB, t(DType.FLOAT32, U, 2), t(DType.FLOAT32, 3)));
        assertTrue(e.getMessage().contains("Incompatible shapes"), e.getMessage());
    }

    @Test
    void unaryOpsKeepTheTypeAndClassifiersGiveBool() {
        assertEquals(t(DType.BFLOAT16, U), infer(ElementwiseOps.SQRT, t(DType.BFLOAT16, U)));
        assertEquals(t(DType.BOOL, 2, U), infer(ElementwiseOps.IS_FINITE, t(DType.FLOAT64, 2, U)));
    }

    @Test
    void castChangesOnlyTheDType() {
        TensorType out = ElementwiseOps.CAST.inferTypes(List.of(t(DType.FLOAT32, U, 5)), Attrs.of("dtype", DType.UINT8)).get(0);
        assertEquals(t(DType.UINT8, U, 5), out);
    }

    @Test
    void dtypeErrorsComeFromTheTypeRuleBeforeAnythingRuns() {
        var e = assertThrows(DTypeError.class, () -> infer(ElementwiseOps.POW, t(DType.INT32), t(DType.INT64)));
        assertTrue(e.getMessage().contains("cannot compute Pow as input #1(zero-based) was expected to be a int32 tensor but is a int64 tensor"), e.getMessage());
        assertThrows(DTypeError.class, () -> infer(ElementwiseOps.RELU, t(DType.BOOL)));
        assertThrows(UnimplementedError.class, () -> infer(ElementwiseOps.TRUNCATE_DIV, t(DType.FLOAT32), t(DType.FLOAT32)));
    }

    @Test
    void leakyReluNeedsItsAlpha() {
        assertEquals(t(DType.FLOAT32, 2), ElementwiseOps.LEAKY_RELU.inferTypes(List.of(t(DType.FLOAT32, 2)), Attrs.of("alpha", 0.1)).get(0));
        assertThrows(IllegalArgumentException.class, () -> infer(ElementwiseOps.LEAKY_RELU, t(DType.FLOAT32, 2)));
    }
}
