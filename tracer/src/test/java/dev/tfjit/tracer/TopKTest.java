package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** tf.math.top_k over the last dim. */
class TopKTest {
    @Test
    void returnsTheLargestValuesAndTheirIndices() {
        List<Tensor> r = Tf.topK(Tf.constant(new float[]{1, 5, 3, 9, 2}), 3);
        assertArrayEquals(new float[]{9, 5, 3}, r.get(0).toFloatArray());
        assertEquals(DType.INT32, r.get(1).dtype());
        assertArrayEquals(new int[]{3, 1, 2}, r.get(1).toIntArray());
    }

    @Test
    void tiesKeepTheLowerIndexFirstAndSignedZerosAreEqual() {
        List<Tensor> r = Tf.topK(Tf.constant(new float[]{0f, 2, -0f, 2, Float.NEGATIVE_INFINITY}), 5);
        assertArrayEquals(new int[]{1, 3, 0, 2, 4}, r.get(1).toIntArray());
    }

    @Test
    void worksRowByRowOnHigherRanks() {
        Tensor x = Tf.constant(new int[][][]{{{1, 3, 2}}, {{6, 4, 5}}});
        List<Tensor> r = Tf.topK(x, 2);
        assertEquals(Shape.of(2, 1, 2), r.get(0).shape());
        assertArrayEquals(new int[]{3, 2, 6, 5}, r.get(0).toIntArray());
        assertArrayEquals(new int[]{1, 2, 0, 2}, r.get(1).toIntArray());
    }

    @Test
    void kZeroAndLongKeysAreExact() {
        assertEquals(Shape.of(0), Tf.topK(Tf.constant(new float[]{1, 2}), 0).get(0).shape());
        long big = (1L << 60) + 1;
        assertArrayEquals(new long[]{big, big - 1}, Tf.topK(Tf.constant(new long[]{big - 1, big}), 2).get(0).toLongArray());
    }

    @Test
    void kLargerThanTheLastDimIsAnError() {
        var e = assertThrows(InvalidArgumentError.class, () -> Tf.topK(Tf.constant(new float[]{1, 2}), 3));
        assertTrue(e.getMessage().contains("input must have at least k columns. Had 2, needed 3"), e.getMessage());
        assertThrows(InvalidArgumentError.class, () -> Tf.topK(Tf.constant(1f), 1));
    }
}
