package dev.tfjit.tracer;

import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.TfException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** tf.norm, tf.clip_by_value, tf.clip_by_norm, tf.clip_by_global_norm and l2_loss. */
class NormAndClipTest {
    private final Tensor v = Tf.constant(new float[]{3, -4});
    private final Tensor m = Tf.constant(new float[][]{{1, -2}, {-3, 4}});

    @Test
    void vectorNorms() {
        assertEquals(5f, Tf.norm(v).floatValue());
        assertEquals(7f, Tf.norm(v, 1, null, false).floatValue());
        assertEquals(4f, Tf.norm(v, Double.POSITIVE_INFINITY, null, false).floatValue());
        assertEquals(4f, Tf.norm(v, "inf", null, false).floatValue());
        assertEquals(Math.cbrt(27 + 64), Tf.norm(v, 3, null, false).floatValue(), 1e-5);
    }

    @Test
    void normsAlongAxesAndKeepdims() {
        assertArrayEquals(new float[]{(float) Math.sqrt(5), 5}, Tf.norm(m, "euclidean", new int[]{1}, false).toFloatArray(), 1e-6f);
        Tensor k = Tf.norm(m, "euclidean", new int[]{0}, true);
        assertEquals(Shape.of(1, 2), k.shape());
        assertArrayEquals(new float[]{(float) Math.sqrt(10), (float) Math.sqrt(20)}, k.toFloatArray(), 1e-6f);
    }

    @Test
    void matrixNorms() {
        // 1-norm: max column abs sum = max(4, 6); inf-norm: max row abs sum = max(3, 7); fro = sqrt(30)
        assertEquals(6f, Tf.norm(m, 1, new int[]{0, 1}, false).floatValue());
        assertEquals(7f, Tf.norm(m, Double.POSITIVE_INFINITY, new int[]{0, 1}, false).floatValue());
        assertEquals((float) Math.sqrt(30), Tf.norm(m, "fro", new int[]{0, 1}, false).floatValue(), 1e-6f);
        assertThrows(dev.tfjit.ir.UnimplementedError.class, () -> Tf.norm(m, 2, new int[]{0, 1}, false));
    }

    @Test
    void normDoesNotRescaleSoLargeFloatsOverflow() {
        assertEquals(Float.POSITIVE_INFINITY, Tf.norm(Tf.constant(new float[]{1e20f, 1e20f})).floatValue());
    }

    @Test
    void unsupportedOrdsAndAxesAreErrors() {
        assertThrows(TfException.class, () -> Tf.norm(v, "fro", null, false));
        assertThrows(TfException.class, () -> Tf.norm(v, -1, null, false));
        assertThrows(TfException.class, () -> Tf.norm(m, "euclidean", new int[]{0, 0}, false));
    }

    @Test
    void clipByValuePassesNaNAndMinWinsWhenAboveMax() {
        Tensor x = Tf.constant(new float[]{-5, 0.5f, 5, Float.NaN});
        float[] c = Tf.clipByValue(x, -1, 1).toFloatArray();
        assertArrayEquals(new float[]{-1, 0.5f, 1}, java.util.Arrays.copyOf(c, 3));
        assertTrue(Float.isNaN(c[3]));
        assertArrayEquals(new float[]{1, 1, 1}, java.util.Arrays.copyOf(Tf.clipByValue(x, 1, -1).toFloatArray(), 3));
        assertArrayEquals(new int[]{-2, 2}, Tf.clipByValue(Tf.constant(new int[]{-9, 9}), -2, 2).toIntArray());
    }

    @Test
    void clipByValueWithTensorBounds() {
        Tensor x = Tf.constant(new float[][]{{-5, 5}, {0, 9}});
        Tensor lo = Tf.constant(new float[]{-1, 6});
        Tensor hi = Tf.constant(new float[]{1, 8});
        assertArrayEquals(new float[]{-1, 6, 0, 8}, Tf.clipByValue(x, lo, hi).toFloatArray());
        assertThrows(ShapeError.class, () -> Tf.clipByValue(Tf.constant(new float[]{1, 2}), Tf.constant(new float[][]{{0}, {0}}), Tf.constant(3f)));
    }

    @Test
    void clipByNormScalesDownOnlyAboveTheThreshold() {
        assertArrayEquals(new float[]{0.6f, -0.8f}, Tf.clipByNorm(v, 1).toFloatArray(), 1e-7f);
        assertArrayEquals(new float[]{3, -4}, Tf.clipByNorm(v, 10).toFloatArray(), 1e-6f);
        Tensor rows = Tf.clipByNorm(Tf.constant(new float[][]{{3, 4}, {0.3f, 0.4f}}), Tf.constant(1f), new int[]{1});
        assertArrayEquals(new float[]{0.6f, 0.8f, 0.3f, 0.4f}, rows.toFloatArray(), 1e-6f);
    }

    @Test
    void clipByNormOfZerosStaysZeroUnlessTheClipIsZero() {
        assertArrayEquals(new float[]{0, 0}, Tf.clipByNorm(Tf.constant(new float[2]), 1).toFloatArray());
        assertTrue(Float.isNaN(Tf.clipByNorm(Tf.constant(new float[2]), 0).toFloatArray()[0]));
    }

    @Test
    void clipByGlobalNormScalesAllTensorsTogether() {
        // global norm of [3] and [4] is 5; clip to 1 scales both by 0.2
        GlobalNormClip r = Tf.clipByGlobalNorm(List.of(Tf.constant(new float[]{3}), Tf.constant(new float[]{4})), 1);
        assertEquals(5f, r.globalNorm().floatValue(), 1e-6f);
        assertEquals(0.6f, r.clipped().get(0).floatValue(), 1e-6f);
        assertEquals(0.8f, r.clipped().get(1).floatValue(), 1e-6f);
        GlobalNormClip inf = Tf.clipByGlobalNorm(List.of(Tf.constant(new float[]{Float.POSITIVE_INFINITY})), 1);
        assertTrue(Float.isNaN(inf.clipped().get(0).floatValue()));
    }

    @Test
    void l2LossIsHalfTheSumOfSquares() {
        assertEquals(12.5f, Tf.l2Loss(v).floatValue());
        assertEquals(0.0, Tf.l2Loss(Tf.constant(new double[0])).item());
    }
}
