package dev.tfjit.tracer;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TfException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** slice, strided_slice with its masks, Python index syntax, and tensor_strided_slice_update. */
class SlicingTest {
    /** x[i][j][k] = 100i + 10j + k, shape [2,3,4]. */
    private static Tensor cube() {
        int[] v = new int[24];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 4; k++) v[i * 12 + j * 4 + k] = 100 * i + 10 * j + k;
        return Tf.reshape(Tf.constant(v), 2, 3, 4);
    }

    private final Tensor v = Tf.constant(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});

    @Test
    void sliceTakesABoxAndMinusOneMeansTheRest() {
        Tensor s = Tf.slice(cube(), new int[] {0, 1, 1}, new int[] {-1, 2, 3});
        assertEquals(Shape.of(2, 2, 3), s.shape());
        assertArrayEquals(new int[] {11, 12, 13, 21, 22, 23, 111, 112, 113, 121, 122, 123}, s.toIntArray());
        var e = assertThrows(InvalidArgumentError.class, () -> Tf.slice(v, new int[] {8}, new int[] {3}));
        assertTrue(e.getMessage().contains("Expected size[0] in [0, 2], but got 3"), e.getMessage());
        e = assertThrows(InvalidArgumentError.class, () -> Tf.slice(v, new int[] {-1}, new int[] {1}));
        assertTrue(e.getMessage().contains("Expected begin[0] in [0, 10], but got -1"), e.getMessage());
    }

    @Test
    void pythonRangesClampLikeNumpy() {
        assertArrayEquals(new int[] {2, 3, 4, 5, 6}, v.get("2:7").toIntArray());
        assertArrayEquals(new int[] {7, 8, 9}, v.get("-3:").toIntArray());
        assertArrayEquals(new int[0], v.get("20:30").toIntArray());
        assertArrayEquals(new int[] {0, 2, 4, 6, 8}, v.get("::2").toIntArray());
        assertArrayEquals(new int[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}, v.get("::-1").toIntArray());
        assertArrayEquals(new int[] {8, 6, 4}, v.get("8:2:-2").toIntArray());
        assertArrayEquals(new int[0], v.get("2:8:-1").toIntArray());
        assertArrayEquals(new int[] {0, 1, 2}, v.get("-100:3").toIntArray());
    }

    @Test
    void integerIndicesRemoveTheirDim() {
        Tensor x = cube();
        assertEquals(Shape.of(3, 4), x.get(1).shape());
        assertEquals(123, x.get(1, 2, 3).intValue());
        assertEquals(Shape.SCALAR, x.get(-1, -1, -1).shape());
        assertEquals(123, x.get(-1, -1, -1).intValue());
        var e = assertThrows(InvalidArgumentError.class, () -> x.get(2));
        assertTrue(e.getMessage().contains("slice index 2 of dimension 0 out of bounds."), e.getMessage());
        e = assertThrows(InvalidArgumentError.class, () -> x.get(0, -4));
        assertTrue(e.getMessage().contains("slice index -4 of dimension 1 out of bounds."), e.getMessage());
    }

    @Test
    void ellipsisAndNewAxisFollowNumpy() {
        Tensor x = cube();
        assertEquals(Shape.of(2, 3, 3), x.get("..., 1:").shape());
        Tensor y = x.get("..., tf.newaxis, 0");
        assertEquals(Shape.of(2, 3, 1), y.shape());
        assertArrayEquals(new int[] {0, 10, 20, 100, 110, 120}, y.toIntArray());
        assertEquals(Shape.of(2, 1, 4), x.get(":, None, 0").shape());
        assertEquals(Shape.of(1, 2, 3, 4), x.get("newaxis").shape());
        assertEquals(Shape.of(2, 3, 4, 1), x.get("..., None").shape());
        Tensor z = x.get("1, ..., ::-1");
        assertEquals(Shape.of(3, 4), z.shape());
        assertArrayEquals(new int[] {103, 102, 101, 100}, z.get(0).toIntArray());
        assertArrayEquals(x.toIntArray(), x.get("...").toIntArray());
    }

    @Test
    void sliceObjectsAndStringsLowerTheSameWay() {
        Tensor x = cube();
        Tensor viaString = x.get("1:3, ::-1, tf.newaxis, 2");
        Tensor viaSlices = x.get(Slice.range(1, 3), Slice.step(-1), Slice.NEW_AXIS, Slice.at(2));
        assertEquals(viaString.shape(), viaSlices.shape());
        assertEquals(Shape.of(1, 3, 1), viaString.shape());
        assertArrayEquals(new int[] {122, 112, 102}, viaSlices.toIntArray());
        assertEquals(Shape.of(2, 3, 2), x.get(Slice.ALL, Slice.ELLIPSIS, Slice.from(2)).shape());
        assertEquals(Shape.of(2, 2, 4), x.get(Slice.ALL, Slice.to(2)).shape());
    }

    @Test
    void stridedSliceMasksMatchTheLoweredPythonIndex() {
        Tensor x = cube();
        // x[::-1, -1:0:-1, 3:0:-2]
        Tensor masks = Tf.stridedSlice(x, new int[] {0, -1, 3}, new int[] {0, 0, 0}, new int[] {-1, -1, -2}, 1, 1, 0, 0, 0);
        assertEquals(Shape.of(2, 2, 2), masks.shape());
        assertArrayEquals(new int[] {123, 121, 113, 111, 23, 21, 13, 11}, masks.toIntArray());
        assertArrayEquals(masks.toIntArray(), x.get("::-1, -1:0:-1, 3:0:-2").toIntArray());
        var e = assertThrows(InvalidArgumentError.class, () -> Tf.stridedSlice(v, new int[] {0}, new int[] {1}, new int[] {0}));
        assertTrue(e.getMessage().contains("strides[0] must be non-zero"), e.getMessage());
    }

    @Test
    void pythonSyntaxErrorsAreClear() {
        var e = assertThrows(IllegalArgumentException.class, () -> v.get("1:a"));
        assertTrue(e.getMessage().contains("invalid index 'a' in '1:a'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> v.get("1:2:3:4"));
        assertTrue(e.getMessage().contains("at most two ':'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> v.get("::0"));
        assertTrue(e.getMessage().contains("slice step cannot be zero"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> v.get("..., ..."));
        assertTrue(e.getMessage().contains("single ellipsis"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> v.get("1,,2"));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        assertThrows(InvalidArgumentError.class, () -> v.get("0, 0"));
    }

    @Test
    void scalarsAndEmptyTensorsSlice() {
        Tensor s = Tf.constant(5f);
        assertEquals(Shape.of(1), s.get("tf.newaxis").shape());
        assertEquals(5f, s.get("...").floatValue());
        Tensor empty = Tf.constant(new float[0], 0, 3);
        assertEquals(Shape.of(0, 2), empty.get(":, 1:").shape());
        assertThrows(InvalidArgumentError.class, () -> empty.get(0));
    }

    @Test
    void stridedSliceUpdateWritesIntoACopy() {
        Tensor x = Tf.constant(new int[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor y = Tf.tensorStridedSliceUpdate(x, ":, ::-2", Tf.constant(new int[][] {{30, 10}, {60, 40}}));
        assertArrayEquals(new int[] {10, 2, 30, 40, 5, 60}, y.toIntArray());
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, x.toIntArray(), "the input is unchanged");
        Tensor z = Tf.tensorStridedSliceUpdate(x, "1", Tf.constant(new int[] {7, 8, 9}));
        assertArrayEquals(new int[] {1, 2, 3, 7, 8, 9}, z.toIntArray());
        var e = assertThrows(TfException.class, () -> Tf.tensorStridedSliceUpdate(x, "1", Tf.constant(new int[] {7, 8})));
        assertTrue(e.getMessage().contains("sliced l-value shape [3] does not match r-value shape [2]"), e.getMessage());
    }
}
