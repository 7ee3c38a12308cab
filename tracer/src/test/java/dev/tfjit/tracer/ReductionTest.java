package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** tf.reduce_* semantics: axes, keepdims, identities, integer and NaN rules. */
class ReductionTest {
    private final Tensor m = Tf.constant(new float[][]{{1, 2, 3}, {4, 5, 6}});

    @Test
    void sumsOverAllAxesOneAxisOrSeveral() {
        assertEquals(21f, Tf.reduceSum(m).floatValue());
        assertArrayEquals(new float[]{5, 7, 9}, Tf.reduceSum(m, 0).toFloatArray());
        assertArrayEquals(new float[]{6, 15}, Tf.reduceSum(m, 1).toFloatArray());
        assertArrayEquals(new float[]{6, 15}, Tf.reduceSum(m, -1).toFloatArray());
        assertEquals(21f, Tf.reduceSum(m, 0, 1).floatValue());
        assertEquals(Shape.SCALAR, Tf.reduceSum(m).shape());
    }

    @Test
    void keepdimsKeepsReducedAxesAsOne() {
        Tensor s = Tf.reduceSum(m, new int[]{1}, true);
        assertEquals(Shape.of(2, 1), s.shape());
        assertArrayEquals(new float[]{6, 15}, s.toFloatArray());
        assertEquals(Shape.of(1, 1), Tf.reduceMax(m, null, true).shape());
    }

    @Test
    void meanMaxMinProdOfAMatrix() {
        assertArrayEquals(new float[]{2.5f, 3.5f, 4.5f}, Tf.reduceMean(m, 0).toFloatArray());
        assertArrayEquals(new float[]{3, 6}, Tf.reduceMax(m, 1).toFloatArray());
        assertArrayEquals(new float[]{1, 4}, Tf.reduceMin(m, 1).toFloatArray());
        assertArrayEquals(new float[]{6, 120}, Tf.reduceProd(m, 1).toFloatArray());
    }

    @Test
    void integerMeanTruncatesTowardZeroAndSumsWrap() {
        assertEquals(-1, Tf.reduceMean(Tf.constant(new int[]{-1, -2, -2})).intValue());
        assertEquals(Integer.MIN_VALUE, Tf.reduceSum(Tf.constant(new int[]{Integer.MAX_VALUE, 1})).intValue());
        assertEquals(-3L, Tf.reduceMin(Tf.constant(new long[]{5, -3, 7})).longValue());
    }

    @Test
    void emptyReductionsGiveTheIdentity() {
        Tensor empty = Tf.constant(new float[0], 0, 3);
        assertArrayEquals(new float[]{0, 0, 0}, Tf.reduceSum(empty, 0).toFloatArray());
        assertArrayEquals(new float[]{1, 1, 1}, Tf.reduceProd(empty, 0).toFloatArray());
        assertArrayEquals(new float[]{Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY},
                Tf.reduceMax(empty, 0).toFloatArray());
        assertTrue(Float.isNaN(Tf.reduceMean(empty).floatValue()));
        assertEquals(Integer.MIN_VALUE, Tf.reduceMax(Tf.constant(new int[0])).intValue());
        assertEquals(-128, Tf.reduceMax(Tf.constant(new int[0], DType.INT8)).intValue());
        assertFalse(Tf.reduceAny(Tf.constant(new boolean[0])).booleanValue());
        assertTrue(Tf.reduceAll(Tf.constant(new boolean[0])).booleanValue());
    }

    @Test
    void maxAndMinPropagateNaN() {
        Tensor x = Tf.constant(new float[]{1, Float.NaN, 3});
        assertTrue(Float.isNaN(Tf.reduceMax(x).floatValue()));
        assertTrue(Float.isNaN(Tf.reduceMin(x).floatValue()));
    }

    @Test
    void anyAndAllOnBools() {
        Tensor b = Tf.constant(new boolean[][]{{true, false}, {true, true}});
        assertArrayEquals(new boolean[]{false, true}, Tf.reduceAll(b, 1).toBooleanArray());
        assertArrayEquals(new boolean[]{true, true}, Tf.reduceAny(b, 1).toBooleanArray());
        assertThrows(DTypeError.class, () -> Tf.reduceAny(m));
        assertThrows(DTypeError.class, () -> Tf.reduceSum(b));
    }

    @Test
    void rankZeroInputReducesToItself() {
        assertEquals(7f, Tf.reduceSum(Tf.constant(7f)).floatValue());
    }

    @Test
    void float32SumIsAccurateOverManyValues() {
        // 0.1f summed 1e6 times: a sequential float loop drifts to ~100958; the exact sum of the
        // float 0.1f values is 100000.0015, so a pairwise sum stays within a few ulp of it.
        float[] x = new float[1_000_000];
        java.util.Arrays.fill(x, 0.1f);
        assertEquals(100000.0015, Tf.reduceSum(Tf.constant(x, x.length)).floatValue(), 0.02);
    }

    @Test
    void leadingAxisSumMatchesTheColumnwiseSum() {
        float[] x = new float[37 * 11];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i);
        float[] got = Tf.reduceSum(Tf.constant(x, 37, 11), 0).toFloatArray();
        for (int j = 0; j < 11; j++) {
            double exact = 0;
            for (int i = 0; i < 37; i++) exact += x[i * 11 + j];
            assertEquals(exact, got[j], 1e-5);
        }
    }

    @Test
    void badAxesAreTfErrors() {
        var e = assertThrows(InvalidArgumentError.class, () -> Tf.reduceSum(m, 2));
        assertTrue(e.getMessage().contains("Invalid reduction dimension (2 for input with 2 dimension(s)"), e.getMessage());
        assertTrue(e.getMessage().contains("reduce_sum"), e.getMessage());
        var d = assertThrows(InvalidArgumentError.class, () -> Tf.reduceSum(m, 0, -2));
        assertTrue(d.getMessage().contains("duplicate"), d.getMessage());
    }
}
