package dev.tfjit.ir.ops;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.kernels.StridedSliceSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The array ops' type rules on partial shapes, as tracing with an input signature like f32[?,784] needs them. */
class ArrayTypeRulesTest {
    private static final int U = Shape.UNKNOWN;

    private static TensorType f32(int... dims) { return new TensorType(DType.FLOAT32, Shape.of(dims)); }

    private static Shape out(dev.tfjit.ir.OpDef op, Attrs attrs, TensorType... in) {
        return op.inferTypes(List.of(in), attrs).get(0).shape();
    }

    @Test
    void reshapeKeepsAnInferredDimUnknownWhenTheInputIsPartial() {
        assertEquals(Shape.of(U, 28, 28), out(ArrayOps.RESHAPE, Attrs.of("shape", new int[] {-1, 28, 28}), f32(U, 784)));
        assertEquals(Shape.of(U, U), out(ArrayOps.RESHAPE, Attrs.EMPTY, f32(U, 4), new TensorType(DType.INT32, Shape.of(2))));
        assertFalse(out(ArrayOps.RESHAPE, Attrs.EMPTY, f32(6), new TensorType(DType.INT32, Shape.of(U))).hasRank());
    }

    @Test
    void shapeOpHasTheRankAsItsLength() {
        TensorType t = ArrayOps.SHAPE.inferTypes(List.of(f32(U, 3)), Attrs.EMPTY).get(0);
        assertEquals(new TensorType(DType.INT32, Shape.of(2)), t);
        assertEquals(Shape.of(U), out(ArrayOps.SHAPE, Attrs.EMPTY, new TensorType(DType.FLOAT32, Shape.unknownRank())));
    }

    @Test
    void joinsAndSplitsPropagateUnknownDims() {
        assertEquals(Shape.of(2, 7), out(ArrayOps.CONCAT, Attrs.of("axis", 1), f32(U, 3), f32(2, 4)), "the other input fixes dim 0");
        assertEquals(Shape.of(U, 7), out(ArrayOps.CONCAT, Attrs.of("axis", 1), f32(U, 3), f32(U, 4)));
        assertEquals(Shape.of(U, 3), out(ArrayOps.CONCAT, Attrs.of("axis", 0), f32(U, 3), f32(2, 3)));
        assertEquals(Shape.of(2, 5, 3), out(ArrayOps.STACK, Attrs.of("axis", 0), f32(U, 3), f32(5, 3)));
        List<TensorType> parts = ArrayOps.SPLIT.inferTypes(List.of(f32(U, 6)), Attrs.of("axis", 1, "num_split", 3));
        assertEquals(List.of(f32(U, 2), f32(U, 2), f32(U, 2)), parts);
        assertEquals(List.of(f32(U), f32(U)), ArrayOps.UNSTACK.inferTypes(List.of(f32(U, 2)), Attrs.of("axis", 1)));
        assertThrows(RuntimeException.class, () -> ArrayOps.UNSTACK.inferTypes(List.of(f32(U, 2)), Attrs.of("axis", 0)));
    }

    @Test
    void stridedSliceOnAnUnknownDimIsUnknownUnlessShrunk() {
        StridedSliceSpec rowZeroAllColumns = new StridedSliceSpec(new long[] {0, 1}, new long[] {1, 0}, new long[] {1, 1}, 0, 2, 0, 0, 1);
        assertEquals(Shape.of(U), out(ArrayOps.STRIDED_SLICE, rowZeroAllColumns.toAttrs(), f32(U, U)));
        assertEquals(Shape.of(9), out(ArrayOps.STRIDED_SLICE, rowZeroAllColumns.toAttrs(), f32(U, 10)));
    }

    @Test
    void gatherPadAndOneHotShapes() {
        assertEquals(Shape.of(3, U, 4), out(ArrayOps.GATHER, Attrs.of("axis", 1), f32(3, 10, 4), new TensorType(DType.INT64, Shape.of(U))));
        assertEquals(Shape.of(U, 6), out(ArrayOps.PAD, Attrs.of("paddings", new long[] {1, 1, 2, 2}), f32(U, 2), f32()));
        assertEquals(Shape.of(U, 10), out(ArrayOps.ONE_HOT, Attrs.of("depth", 10, "axis", -1),
                new TensorType(DType.INT32, Shape.of(U)), f32(), f32()));
        assertEquals(Shape.of(U, 2), out(ArrayOps.WHERE, Attrs.EMPTY, new TensorType(DType.BOOL, Shape.of(U, 5))));
    }

    @Test
    void squeezeWithoutAxesOfAnUnknownDimHasUnknownRank() {
        assertFalse(out(ArrayOps.SQUEEZE, Attrs.EMPTY, f32(1, U)).hasRank());
        assertEquals(Shape.of(U), out(ArrayOps.SQUEEZE, Attrs.of("axis", new int[] {0}), f32(1, U)));
        assertEquals(Shape.of(3), out(ArrayOps.SQUEEZE, Attrs.of("axis", new int[] {0}), f32(U, 3)));
        assertThrows(InvalidArgumentError.class, () -> out(ArrayOps.SQUEEZE, Attrs.of("axis", new int[] {1}), f32(U, 3)));
    }
}
