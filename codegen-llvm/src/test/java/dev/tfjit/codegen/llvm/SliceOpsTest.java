package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ops.ArrayOps;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** slice, strided_slice, reverse, tile and tensor_strided_slice_update match the interpreter bit for bit. */
class SliceOpsTest {
    static final DType[] DTYPES = {DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16, DType.INT8,
            DType.UINT8, DType.INT16, DType.INT32, DType.INT64, DType.BOOL};

    @Test
    void sliceTakesABoxOfEveryDTypeIncludingEmptyAndWholeDims() {
        for (DType t : DTYPES) {
            Buffer x = TestData.mixed(t, Shape.of(4, 5, 3), 2);
            Oracle.assertOp(ArrayOps.SLICE, Attrs.of("begin", new long[] {1, 2, 0}, "size", new long[] {2, -1, 3}), x);
            Oracle.assertOp(ArrayOps.SLICE, Attrs.of("begin", new long[] {3, 0, 1}, "size", new long[] {1, 5, 1}), x);
            Oracle.assertOp(ArrayOps.SLICE, Attrs.of("begin", new long[] {4, 0, 0}, "size", new long[] {0, -1, -1}), x);
        }
        Buffer empty = TestData.mixed(DType.FLOAT32, Shape.of(0, 3), 1);
        Oracle.assertOp(ArrayOps.SLICE, Attrs.of("begin", new long[] {0, 1}, "size", new long[] {-1, 2}), empty);
        Oracle.assertOp(ArrayOps.SLICE, Attrs.of("begin", new long[] {}, "size", new long[] {}), Buffer.scalar(DType.FLOAT64, -0.0));
    }

    @Test
    void sliceOutOfBoundsIsTheInterpretersError() {
        Oracle.assertOp(ArrayOps.SLICE, Attrs.of("begin", new long[] {3}, "size", new long[] {2}), TestData.mixed(DType.INT32, Shape.of(4), 1));
    }

    @Test
    void stridedSliceWithEveryMaskAndNegativeStrides() {
        Buffer x = TestData.mixed(DType.FLOAT32, Shape.of(5, 4, 3), 4);
        long[][][] specs = { // begin, end, strides, {begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask}
                {{1, 0, 0}, {4, 4, 3}, {1, 1, 1}, {0, 0, 0, 0, 0}},
                {{-1, 0, 0}, {0, 4, 3}, {-1, 2, 1}, {0, 0, 0, 0, 0}},
                {{0, 0, 0}, {0, 0, 0}, {-2, -1, -1}, {7, 7, 0, 0, 0}},
                {{2}, {3}, {1}, {0, 0, 0, 0, 1}},
                {{0, 1}, {0, 2}, {1, 1}, {0, 0, 1, 0, 2}},
                {{0, 0, 1}, {0, 0, 2}, {1, 1, 1}, {1, 1, 0, 2, 4}},
                {{-10, 1}, {10, -1}, {3, 1}, {0, 0, 0, 0, 0}},
                {{3, 0}, {1, 0}, {1, 1}, {0, 2, 0, 0, 0}}, // begin after end: empty
        };
        for (long[][] s : specs) {
            Attrs a = Attrs.of("begin", s[0], "end", s[1], "strides", s[2], "begin_mask", s[3][0], "end_mask", s[3][1],
                    "ellipsis_mask", s[3][2], "new_axis_mask", s[3][3], "shrink_axis_mask", s[3][4]);
            for (DType t : new DType[] {DType.FLOAT32, DType.BFLOAT16, DType.INT64, DType.BOOL}) {
                Oracle.assertOp(ArrayOps.STRIDED_SLICE, a, TestData.mixed(t, Shape.of(5, 4, 3), 4));
            }
            Oracle.assertOp(ArrayOps.STRIDED_SLICE, a, x);
        }
        // A shrunk index out of range is the interpreter's error.
        Attrs bad = Attrs.of("begin", new long[] {7}, "end", new long[] {8}, "strides", new long[] {1}, "shrink_axis_mask", 1);
        Oracle.assertOp(ArrayOps.STRIDED_SLICE, bad, x);
    }

    @Test
    void reverseAlongAnyAxesIncludingNegativeAndUnitDims() {
        for (DType t : DTYPES) {
            Buffer x = TestData.mixed(t, Shape.of(3, 1, 4), 6);
            Oracle.assertOp(ArrayOps.REVERSE, Attrs.of("axis", new long[] {0}), x);
            Oracle.assertOp(ArrayOps.REVERSE, Attrs.of("axis", new long[] {-1, 1}), x);
            Oracle.assertOp(ArrayOps.REVERSE, Attrs.of("axis", new long[] {}), x);
        }
        Oracle.assertOp(ArrayOps.REVERSE, Attrs.of("axis", new long[] {0}), TestData.mixed(DType.FLOAT32, Shape.of(0, 2), 1));
    }

    @Test
    void tileRepeatsBlocksIncludingZeroAndOneMultiples() {
        for (DType t : DTYPES) {
            Oracle.assertOp(ArrayOps.TILE, Attrs.of("multiples", new long[] {2, 1, 3}), TestData.mixed(t, Shape.of(2, 3, 1), 8));
        }
        Oracle.assertOp(ArrayOps.TILE, Attrs.of("multiples", new long[] {0, 2}), TestData.mixed(DType.INT32, Shape.of(2, 3), 1));
        Oracle.assertOp(ArrayOps.TILE, Attrs.of("multiples", new long[] {3}), TestData.mixed(DType.INT32, Shape.of(0), 1));
        Oracle.assertOp(ArrayOps.TILE, Attrs.of("multiples", new long[] {}), Buffer.scalar(DType.FLOAT32, 2));
        assertArrayEquals(new int[] {1, 2, 1, 2, 1, 2}, Oracle.compiled("""
                func @t(%x: i32[2]) -> i32[6] {
                  %0 = tile %x {multiples=[3]} : i32[6]
                  return %0
                }
                """, Buffer.ofInts(Shape.of(2), 1, 2)).get(0).toIntArray());
    }

    @Test
    void tensorStridedSliceUpdateWritesTheValueIntoItsView() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT16, DType.INT8, DType.INT64, DType.BOOL}) {
            Buffer x = TestData.mixed(t, Shape.of(4, 5), 3);
            Oracle.assertOp(ArrayOps.TENSOR_STRIDED_SLICE_UPDATE, Attrs.of("begin", new long[] {3, 0}, "end", new long[] {0, 5},
                    "strides", new long[] {-2, 2}), x, TestData.mixed(t, Shape.of(2, 3), 4));
            Oracle.assertOp(ArrayOps.TENSOR_STRIDED_SLICE_UPDATE, Attrs.of("begin", new long[] {1}, "end", new long[] {2},
                    "strides", new long[] {1}, "shrink_axis_mask", 1), x, TestData.mixed(t, Shape.of(5), 5));
        }
    }

    @Test
    void slicesOfConstantsAndResultsFeedingElementwiseOps() {
        String ir = """
                func @s(%x: f32[?,?]) -> (f32[2,2], f32[?,?], f32[1]) {
                  %c = constant {value=dense<f32[2,3]: 1.0, 2.0, 3.0, 4.0, 5.0, 6.0>} : f32[2,3]
                  %k = constant {value=dense<f32[1]: 7.5>} : f32[1]
                  %0 = slice %c {begin=[0,1], size=[2,2]} : f32[2,2]
                  %1 = reverse %x {axis=[0]} : f32[?,?]
                  %2 = exp %1 : f32[?,?]
                  %3 = tile %k {multiples=[1]} : f32[1]
                  return %0, %2, %3
                }
                """;
        Oracle.assertSame(ir, TestData.mixed(DType.FLOAT32, Shape.of(3, 4), 2));
        List<Buffer> out = Oracle.compiled(ir, TestData.mixed(DType.FLOAT32, Shape.of(1, 1), 2));
        assertArrayEquals(new float[] {2, 3, 5, 6}, out.get(0).toFloatArray());
        assertArrayEquals(new float[] {7.5f}, out.get(2).toFloatArray());
    }
}
