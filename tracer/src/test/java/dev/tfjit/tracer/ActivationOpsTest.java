package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Elementwise activations, with values worked out from their definitions. */
class ActivationOpsTest {
    static final float INF = Float.POSITIVE_INFINITY;

    static Tensor f32(float... v) { return Tf.constant(v); }

    @Test
    void reluLetsNanThrough() {
        float[] r = f32(-2, 0, 3, Float.NaN).relu().toFloatArray();
        assertEquals(0f, r[0]);
        assertEquals(3f, r[2]);
        assertTrue(Float.isNaN(r[3]));
        assertArrayEquals(new int[]{0, 4}, Tf.relu(Tf.constant(new int[]{-4, 4})).toIntArray());
    }

    @Test
    void relu6ClipsAtSix() {
        assertArrayEquals(new float[]{0, 3, 6}, Tf.relu6(f32(-1, 3, 7)).toFloatArray());
        assertArrayEquals(new int[]{0, 6}, Tf.relu6(Tf.constant(new int[]{-1, 9})).toIntArray());
    }

    @Test
    void leakyReluScalesNegativesByAlpha() {
        assertArrayEquals(new float[]{-0.2f, 0, 3}, Tf.leakyRelu(f32(-1, 0, 3)).toFloatArray());
        assertArrayEquals(new float[]{-0.5f, 2}, Tf.leakyRelu(f32(-5, 2), 0.1).toFloatArray());
        // float64 multiplies by the float32-rounded alpha, as TF stores alpha as a float attr.
        assertArrayEquals(new double[]{-(double) 0.1f}, Tf.leakyRelu(Tf.constant(new double[]{-1}), 0.1).toDoubleArray());
    }

    @Test
    void leakyReluCastsIntegersToFloat32() {
        Tensor r = Tf.leakyRelu(Tf.constant(new int[]{-10, 10}), 0.2);
        assertEquals(DType.FLOAT32, r.dtype());
        assertArrayEquals(new float[]{-2, 10}, r.toFloatArray());
    }

    @Test
    void eluAndSelu() {
        assertArrayEquals(new float[]{(float) Math.exp(-1) - 1, 2}, Tf.elu(f32(-1, 2)).toFloatArray(), 1e-7f);
        float scale = 1.0507009873554804934193349852946f, alpha = 1.6732632423543772848170429916717f;
        assertArrayEquals(new float[]{scale * alpha * (float) (Math.exp(-1) - 1), scale * 2}, Tf.selu(f32(-1, 2)).toFloatArray(), 1e-6f);
        var e = assertThrows(DTypeError.class, () -> Tf.elu(Tf.constant(new int[]{1})));
        assertTrue(e.getMessage().contains("Value for attr 'T' of int32 is not in the list of allowed values: half, bfloat16, float, double"), e.getMessage());
    }

    @Test
    void softplusSwitchesFormulaFarFromZero() {
        float[] r = Tf.softplus(f32(0, 1, 20, -20, 100)).toFloatArray();
        assertEquals((float) Math.log(2), r[0], 1e-7f);
        assertEquals((float) Math.log1p(Math.E), r[1], 1e-6f);
        assertEquals(20f, r[2]);
        assertEquals((float) Math.exp(-20), r[3], 1e-15f);
        assertEquals(100f, r[4]);
    }

    @Test
    void softsignOfInfinityIsNan() {
        float[] r = Tf.softsign(f32(1, -3, INF)).toFloatArray();
        assertEquals(0.5f, r[0]);
        assertEquals(-0.75f, r[1]);
        assertTrue(Float.isNaN(r[2]), "inf / inf");
    }

    @Test
    void sigmoidAndTanh() {
        float[] s = f32(0, 2, -88, 100).sigmoid().toFloatArray();
        assertEquals(0.5f, s[0]);
        // float32 sigmoid and tanh are computed in float (FloatMath): within 2 ulp of the exact value.
        assertEquals((float) (1 / (1 + Math.exp(-2))), s[1], 2 * Math.ulp(s[1]));
        assertEquals(0f, s[2], "sigmoid(-88) is subnormal, flushed");
        assertEquals(1f, s[3]);
        assertArrayEquals(new float[]{0, (float) Math.tanh(0.5), 1, -1}, f32(0, 0.5f, 50, -INF).tanh().toFloatArray(), 2 * Math.ulp(0.5f));
    }

    @Test
    void logSigmoidAndSilu() {
        assertArrayEquals(new double[]{-Math.log(2), -Math.log1p(Math.exp(-3))}, Tf.logSigmoid(Tf.constant(new double[]{0, 3})).toDoubleArray(), 1e-15);
        assertArrayEquals(new double[]{2 / (1 + Math.exp(-2)), 0}, Tf.silu(Tf.constant(new double[]{2, 0})).toDoubleArray(), 1e-15);
    }

    @Test
    void geluExactAndApproximate() {
        // gelu(x) = x * Phi(x): Phi(1) = 0.8413447460685429, Phi(-1) = 0.15865525393145707.
        assertArrayEquals(new double[]{0, 0.8413447460685429, -0.15865525393145707},
                Tf.gelu(Tf.constant(new double[]{0, 1, -1})).toDoubleArray(), 1e-15);
        double t = Math.tanh(0.7978845608028654 * (1 + 0.044715));
        assertArrayEquals(new double[]{0.5 * (1 + t)}, Tf.gelu(Tf.constant(new double[]{1}), true).toDoubleArray(), 1e-15);
    }
}
