package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ops.ArrayOps;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** concat, stack, unstack, split, split_v, pad and mirror_pad match the interpreter bit for bit. */
class JoinSplitPadTest {
    @Test
    void concatAlongEveryAxisIncludingNegativeAndEmptyPieces() {
        for (DType t : SliceOpsTest.DTYPES) {
            Buffer a = TestData.mixed(t, Shape.of(2, 3, 4), 1), b = TestData.mixed(t, Shape.of(2, 1, 4), 2);
            Buffer c = TestData.mixed(t, Shape.of(2, 0, 4), 3);
            Oracle.assertOp(ArrayOps.CONCAT, Attrs.of("axis", 1), a, b, c, a);
            Oracle.assertOp(ArrayOps.CONCAT, Attrs.of("axis", -2), b, a);
            Oracle.assertOp(ArrayOps.CONCAT, Attrs.of("axis", 0), a, a);
            Oracle.assertOp(ArrayOps.CONCAT, Attrs.of("axis", 2), a);
        }
        Oracle.assertOp(ArrayOps.CONCAT, Attrs.of("axis", 0), TestData.mixed(DType.FLOAT32, Shape.of(0, 2), 1),
                TestData.mixed(DType.FLOAT32, Shape.of(0, 2), 2));
        // Pieces whose other dims disagree: the interpreter's error, at compile time.
        Oracle.assertOp(ArrayOps.CONCAT, Attrs.of("axis", 0), TestData.mixed(DType.INT32, Shape.of(1, 2), 1),
                TestData.mixed(DType.INT32, Shape.of(1, 3), 2));
    }

    @Test
    void stackAndUnstackAlongNewAxes() {
        for (DType t : SliceOpsTest.DTYPES) {
            Buffer a = TestData.mixed(t, Shape.of(3, 2), 4), b = TestData.mixed(t, Shape.of(3, 2), 5);
            for (long axis : new long[] {0, 1, 2, -1, -3}) Oracle.assertOp(ArrayOps.STACK, Attrs.of("axis", axis), a, b, a);
            for (long axis : new long[] {0, 1, -1}) {
                Oracle.assertOp(ArrayOps.UNSTACK, Attrs.of("axis", axis, "num", a.shape().dim((int) (axis < 0 ? axis + 2 : axis))), a);
            }
        }
        Oracle.assertOp(ArrayOps.STACK, Attrs.of("axis", 0), Buffer.scalar(DType.FLOAT32, 1), Buffer.scalar(DType.FLOAT32, -0.0));
        Oracle.assertOp(ArrayOps.UNSTACK, Attrs.of("axis", 1, "num", 3), TestData.mixed(DType.FLOAT64, Shape.of(0, 3), 1));
        Oracle.assertOp(ArrayOps.UNSTACK, Attrs.of("axis", 0, "num", 1), TestData.mixed(DType.FLOAT64, Shape.of(1), 1));
        Oracle.assertOp(ArrayOps.UNSTACK, Attrs.of("axis", 0, "num", 2), TestData.mixed(DType.FLOAT64, Shape.of(3), 1)); // wrong num: error
    }

    @Test
    void splitIntoEqualAndGivenSizes() {
        for (DType t : SliceOpsTest.DTYPES) {
            Buffer x = TestData.mixed(t, Shape.of(4, 6), 6);
            Oracle.assertOp(ArrayOps.SPLIT, Attrs.of("axis", 1, "num_split", 3), x);
            Oracle.assertOp(ArrayOps.SPLIT, Attrs.of("axis", -2, "num_split", 2), x);
            Oracle.assertOp(ArrayOps.SPLIT_V, Attrs.of("axis", 1, "size_splits", new long[] {1, -1, 0, 2}), x);
        }
        Oracle.assertOp(ArrayOps.SPLIT, Attrs.of("axis", 0, "num_split", 2), TestData.mixed(DType.INT32, Shape.of(0, 3), 1));
        Oracle.assertOp(ArrayOps.SPLIT, Attrs.of("axis", 0, "num_split", 4), TestData.mixed(DType.INT32, Shape.of(6), 1)); // uneven: error
    }

    @Test
    void padWithAStoredOrLiteralValue() {
        for (DType t : SliceOpsTest.DTYPES) {
            Buffer x = TestData.mixed(t, Shape.of(2, 3), 7), v = TestData.mixed(t, Shape.of(), 9);
            Oracle.assertOp(ArrayOps.PAD, Attrs.of("paddings", new long[] {1, 2, 0, 3}), x, v);
            Oracle.assertOp(ArrayOps.PAD, Attrs.of("paddings", new long[] {0, 0, 0, 0}), x, v);
        }
        Oracle.assertOp(ArrayOps.PAD, Attrs.of("paddings", new long[] {1, 1, 2, 0}), TestData.mixed(DType.FLOAT32, Shape.of(0, 2), 1),
                Buffer.scalar(DType.FLOAT32, 3));
        List<Buffer> out = Oracle.compiled("""
                func @p(%x: i32[?]) -> i32[?] {
                  %v = constant {value=dense<i32[]: -1>} : i32[]
                  %0 = pad %x, %v {paddings=[2, 1]} : i32[?]
                  return %0
                }
                """, Buffer.ofInts(Shape.of(2), 5, 6));
        assertArrayEquals(new int[] {-1, -1, 5, 6, -1}, out.get(0).toIntArray());
    }

    @Test
    void mirrorPadReflectsOrRepeatsTheEdge() {
        for (DType t : SliceOpsTest.DTYPES) {
            Buffer x = TestData.mixed(t, Shape.of(3, 4), 8);
            Oracle.assertOp(ArrayOps.MIRROR_PAD, Attrs.of("paddings", new long[] {2, 1, 3, 0}, "mode", "REFLECT"), x);
            Oracle.assertOp(ArrayOps.MIRROR_PAD, Attrs.of("paddings", new long[] {3, 2, 1, 4}, "mode", "SYMMETRIC"), x);
        }
        Oracle.assertOp(ArrayOps.MIRROR_PAD, Attrs.of("paddings", new long[] {1, 1}, "mode", "SYMMETRIC"), TestData.mixed(DType.INT64, Shape.of(1), 1));
        Oracle.assertOp(ArrayOps.MIRROR_PAD, Attrs.of("paddings", new long[] {3, 0}, "mode", "REFLECT"), TestData.mixed(DType.INT64, Shape.of(3), 1));
        assertArrayEquals(new int[] {3, 2, 1, 2, 3, 2}, Oracle.compiled("""
                func @m(%x: i32[3]) -> i32[6] {
                  %0 = mirror_pad %x {paddings=[2, 1], mode="REFLECT"} : i32[6]
                  return %0
                }
                """, Buffer.ofInts(Shape.of(3), 1, 2, 3)).get(0).toIntArray());
    }
}
