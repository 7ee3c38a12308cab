package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** tf.math.argmax/argmin and tf.math.cumsum/cumprod. */
class ArgReduceAndScanTest {
    @Test
    void argmaxAndArgminAlongAnAxis() {
        Tensor x = Tf.constant(new float[][]{{1, 9, 3}, {7, 2, 8}});
        Tensor a = Tf.argmax(x, 1);
        assertEquals(DType.INT64, a.dtype());
        assertArrayEquals(new long[]{1, 2}, a.toLongArray());
        assertArrayEquals(new long[]{1, 0, 1}, Tf.argmax(x, 0).toLongArray());
        assertArrayEquals(new long[]{0, 1}, Tf.argmin(x, -1).toLongArray());
        assertEquals(DType.INT32, Tf.argmax(x, 1, DType.INT32).dtype());
    }

    @Test
    void argmaxSkipsNaNAndTiesGoToTheLowestIndex() {
        assertEquals(1, Tf.argmax(Tf.constant(new float[]{Float.NaN, 2, 1}), 0).longValue());
        assertEquals(1, Tf.argmin(Tf.constant(new int[]{5, 1, 1, 1}), 0).longValue());
        assertEquals(0, Tf.argmax(Tf.constant(new float[]{4, 4}), 0).longValue());
    }

    @Test
    void argmaxOverAnEmptyAxisIsAnError() {
        var e = assertThrows(InvalidArgumentError.class, () -> Tf.argmax(Tf.constant(new float[0], 0, 3), 0));
        assertTrue(e.getMessage().contains("Reduction axis 0 is empty in shape [0,3]"), e.getMessage());
    }

    @Test
    void cumsumWithExclusiveAndReverse() {
        Tensor x = Tf.constant(new float[]{1, 2, 3, 4});
        assertArrayEquals(new float[]{1, 3, 6, 10}, Tf.cumsum(x, 0).toFloatArray());
        assertArrayEquals(new float[]{0, 1, 3, 6}, Tf.cumsum(x, 0, true, false).toFloatArray());
        assertArrayEquals(new float[]{10, 9, 7, 4}, Tf.cumsum(x, 0, false, true).toFloatArray());
        assertArrayEquals(new float[]{9, 7, 4, 0}, Tf.cumsum(x, 0, true, true).toFloatArray());
        assertArrayEquals(new float[]{1, 2, 6, 24}, Tf.cumprod(x, 0).toFloatArray());
    }

    @Test
    void cumsumAlongAnInnerAxisAndIntsWrap() {
        Tensor m = Tf.constant(new int[][]{{1, 2}, {3, 4}});
        assertArrayEquals(new int[]{1, 3, 3, 7}, Tf.cumsum(m, 1).toIntArray());
        assertArrayEquals(new int[]{1, 2, 4, 6}, Tf.cumsum(m, -2).toIntArray());
        assertEquals(Integer.MIN_VALUE, Tf.cumsum(Tf.constant(new int[]{Integer.MAX_VALUE, 1}), 0).toIntArray()[1]);
    }

    @Test
    void cumsumIsASequentialFloatScan() {
        Tensor x = Tf.constant(new float[]{1e8f, 1, 1, -1e8f});
        float seq = 1e8f + 1 + 1 - 1e8f;
        assertEquals(seq, Tf.cumsum(x, 0).toFloatArray()[3]);
    }

    @Test
    void cumsumAxisOutOfRange() {
        assertThrows(InvalidArgumentError.class, () -> Tf.cumsum(Tf.constant(new float[]{1}), 1));
    }
}
