package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TfException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** where (both forms), pad (constant, reflect, symmetric) and one_hot. */
class WherePadOneHotTest {
    @Test
    void whereWithOneArgumentListsCoordinatesInRowMajorOrder() {
        Tensor c = Tf.constant(new boolean[][] {{true, false, true}, {false, false, true}});
        Tensor w = Tf.where(c);
        assertEquals(DType.INT64, w.dtype());
        assertEquals(Shape.of(3, 2), w.shape());
        assertArrayEquals(new long[] {0, 0, 0, 2, 1, 2}, w.toLongArray());
        assertEquals(Shape.of(0, 1), Tf.where(Tf.constant(new boolean[] {false, false})).shape());
        assertArrayEquals(new long[] {1}, Tf.where(Tf.constant(new float[] {0, Float.NaN, 0})).toLongArray());
        assertEquals(Shape.of(1, 0), Tf.where(Tf.constant(true)).shape());
    }

    @Test
    void whereWithThreeArgumentsSelectsWithBroadcasting() {
        Tensor c = Tf.constant(new boolean[][] {{true}, {false}});
        Tensor x = Tf.constant(new float[][] {{1, 2, 3}});
        Tensor s = Tf.where(c, x, Tf.constant(-1f));
        assertEquals(Shape.of(2, 3), s.shape());
        assertArrayEquals(new float[] {1, 2, 3, -1, -1, -1}, s.toFloatArray());
        Tensor alternating = Tf.where(Tf.constant(new boolean[] {true, false, true}),
                Tf.constant(new int[] {1, 2, 3}), Tf.constant(new int[] {10, 20, 30}));
        assertArrayEquals(new int[] {1, 20, 3}, alternating.toIntArray());
        var e = assertThrows(InvalidArgumentError.class,
                () -> Tf.where(Tf.constant(new boolean[2][3]), Tf.constant(new float[3][2]), Tf.constant(0f)));
        assertTrue(e.getMessage().contains("condition [2,3], then [3,2], and else [] must be broadcastable"), e.getMessage());
        assertThrows(TfException.class, () -> Tf.where(Tf.constant(true), Tf.constant(1f), Tf.constant(1.0)));
    }

    @Test
    void constantPadFillsTheBorder() {
        Tensor x = Tf.constant(new int[][] {{1, 2}, {3, 4}});
        Tensor p = Tf.pad(x, new int[][] {{1, 0}, {0, 2}}, "CONSTANT", -1);
        assertEquals(Shape.of(3, 4), p.shape());
        assertArrayEquals(new int[] {-1, -1, -1, -1, 1, 2, -1, -1, 3, 4, -1, -1}, p.toIntArray());
        assertArrayEquals(new int[] {0, 1, 2, 0}, Tf.pad(Tf.constant(new int[] {1, 2}), new int[][] {{1, 1}}).toIntArray());
        assertEquals(Shape.of(2), Tf.pad(Tf.constant(new float[0]), new int[][] {{1, 1}}).shape());
        var e = assertThrows(InvalidArgumentError.class, () -> Tf.pad(x, new int[][] {{1, 0}}));
        assertTrue(e.getMessage().contains("The first dimension of paddings must be the rank of inputs"), e.getMessage());
        assertThrows(InvalidArgumentError.class, () -> Tf.pad(x, new int[][] {{-1, 0}, {0, 0}}));
    }

    @Test
    void reflectAndSymmetricMirrorTheEdges() {
        Tensor v = Tf.constant(new int[] {1, 2, 3});
        assertArrayEquals(new int[] {3, 2, 1, 2, 3, 2, 1}, Tf.pad(v, new int[][] {{2, 2}}, "REFLECT").toIntArray());
        assertArrayEquals(new int[] {2, 1, 1, 2, 3, 3, 2}, Tf.pad(v, new int[][] {{2, 2}}, "SYMMETRIC").toIntArray());
        Tensor x = Tf.constant(new int[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor r = Tf.pad(x, new int[][] {{1, 1}, {2, 2}}, "REFLECT");
        assertEquals(Shape.of(4, 7), r.shape());
        assertArrayEquals(new int[] {6, 5, 4, 5, 6, 5, 4}, r.get(0).toIntArray());
        assertArrayEquals(new int[] {3, 2, 1, 2, 3, 2, 1}, r.get(1).toIntArray());
        var e = assertThrows(InvalidArgumentError.class, () -> Tf.pad(v, new int[][] {{3, 0}}, "REFLECT"));
        assertTrue(e.getMessage().contains("paddings must be less than the dimension size: 3, 0 not less than 3"), e.getMessage());
        e = assertThrows(InvalidArgumentError.class, () -> Tf.pad(v, new int[][] {{0, 4}}, "SYMMETRIC"));
        assertTrue(e.getMessage().contains("paddings must be no greater than the dimension size: 0, 4 greater than 3"), e.getMessage());
        assertArrayEquals(new int[] {1, 2, 3}, Tf.pad(v, new int[][] {{0, 0}}, "REFLECT").toIntArray());
    }

    @Test
    void oneHotGivesAllOffRowsForOutOfRangeIndices() {
        Tensor h = Tf.oneHot(Tf.constant(new int[] {0, 2, -1, 3}), 3);
        assertEquals(Shape.of(4, 3), h.shape());
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}, h.toFloatArray());
        Tensor t = Tf.oneHot(Tf.constant(new long[] {1, 0}), 3, 5, -5, 0, DType.INT32);
        assertEquals(Shape.of(3, 2), t.shape());
        assertArrayEquals(new int[] {-5, 5, 5, -5, -5, -5}, t.toIntArray());
        assertArrayEquals(new float[] {0, 0, 1, 0}, Tf.oneHot(Tf.constant(2), 4).toFloatArray());
        var e = assertThrows(InvalidArgumentError.class, () -> Tf.oneHot(Tf.constant(new int[] {1}), 3, 1, 0, 2, DType.FLOAT32));
        assertTrue(e.getMessage().contains("Expected axis to be -1 or between [0, 2).  But received: 2"), e.getMessage());
        assertThrows(TfException.class, () -> Tf.oneHot(Tf.constant(new float[] {1}), 3));
    }
}
