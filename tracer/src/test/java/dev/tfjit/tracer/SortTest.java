package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** tf.sort / tf.argsort, built from top_k as sort_ops.py builds them. */
class SortTest {
    @Test
    void sortsAscendingByDefaultAndDescendingOnRequest() {
        Tensor x = Tf.constant(new float[]{3, 1, 2});
        assertArrayEquals(new float[]{1, 2, 3}, Tf.sort(x).toFloatArray());
        assertArrayEquals(new float[]{3, 2, 1}, Tf.sort(x, -1, "DESCENDING").toFloatArray());
        assertArrayEquals(new int[]{1, 2, 0}, Tf.argsort(x).toIntArray());
        assertEquals(DType.INT32, Tf.argsort(x).dtype());
    }

    @Test
    void argsortIsStableInBothDirections() {
        Tensor x = Tf.constant(new float[]{2, 1, 2, 1});
        assertArrayEquals(new int[]{1, 3, 0, 2}, Tf.argsort(x).toIntArray());
        assertArrayEquals(new int[]{0, 2, 1, 3}, Tf.argsort(x, 0, "DESCENDING").toIntArray());
    }

    @Test
    void sortsAlongANonLastAxis() {
        Tensor m = Tf.constant(new int[][]{{3, 1}, {1, 4}, {2, 0}});
        assertArrayEquals(new int[]{1, 0, 2, 1, 3, 4}, Tf.sort(m, 0, "ASCENDING").toIntArray());
        assertArrayEquals(new int[]{0, 1, 2, 0, 1, 2}, Tf.argsort(m, 0, "DESCENDING").toIntArray());
    }

    @Test
    void ascendingIntSortHandlesIntMin() {
        // -x-1 maps INT_MIN to INT_MAX instead of overflowing back to INT_MIN
        Tensor x = Tf.constant(new int[]{0, Integer.MIN_VALUE, Integer.MAX_VALUE});
        assertArrayEquals(new int[]{Integer.MIN_VALUE, 0, Integer.MAX_VALUE}, Tf.sort(x).toIntArray());
    }

    @Test
    void rejectsBadDirectionsAndUnsignedAscending() {
        Tensor x = Tf.constant(new float[]{1});
        assertThrows(dev.tfjit.ir.TfException.class, () -> Tf.sort(x, -1, "UP"));
        assertThrows(DTypeError.class, () -> Tf.sort(Tf.constant(new int[]{1, 2}, DType.UINT8)));
    }
}
