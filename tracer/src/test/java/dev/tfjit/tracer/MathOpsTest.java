package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.InvalidArgumentError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Unary elementwise math: abs, sign, rounding, roots, exp/log, trig, erf, classification. */
class MathOpsTest {
    static Tensor f32(float... v) { return Tf.constant(v); }

    static void assertBits(float want, float got) { assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got), want + " vs " + got); }

    @Test
    void absOfIntMinWraps() {
        assertArrayEquals(new int[]{Integer.MIN_VALUE, 5, 0}, Tf.abs(Tf.constant(new int[]{Integer.MIN_VALUE, -5, 0})).toIntArray());
        assertArrayEquals(new float[]{1.5f, 0, Float.POSITIVE_INFINITY}, f32(-1.5f, -0f, Float.NEGATIVE_INFINITY).abs().toFloatArray());
        assertArrayEquals(new int[]{-128}, Tf.abs(Tf.constant(new int[]{-128}, DType.INT8)).toIntArray());
    }

    @Test
    void negativeOfIntMinIsIntMin() {
        assertArrayEquals(new int[]{Integer.MIN_VALUE}, Tf.negative(Tf.constant(new int[]{Integer.MIN_VALUE})).toIntArray());
    }

    @Test
    void absAndNegativeRejectUint8LikeTensorFlow() {
        var e = assertThrows(DTypeError.class, () -> Tf.abs(Tf.constant(new int[]{1}, DType.UINT8)));
        assertTrue(e.getMessage().contains("Value for attr 'T' of uint8 is not in the list of allowed values"), e.getMessage());
    }

    @Test
    void signOfZeroIsPositiveZeroAndNanStaysNan() {
        float[] s = f32(-3, -0f, 0, 2, Float.NaN).sign().toFloatArray();
        assertEquals(-1f, s[0]);
        assertBits(0f, s[1]);
        assertBits(0f, s[2]);
        assertEquals(1f, s[3]);
        assertTrue(Float.isNaN(s[4]));
        assertArrayEquals(new long[]{-1, 0, 1}, Tf.sign(Tf.constant(new long[]{-9, 0, 9})).toLongArray());
    }

    @Test
    void roundIsHalfToEvenAndKeepsTheSignOfZero() {
        float[] r = f32(0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 2.6f).round().toFloatArray();
        assertArrayEquals(new float[]{0, 2, 2, -0f, -2, 3}, r);
        assertBits(-0f, r[3]);
        assertArrayEquals(new int[]{7}, Tf.round(Tf.constant(new int[]{7})).toIntArray());
    }

    @Test
    void floorAndCeil() {
        assertArrayEquals(new float[]{-2, 1, Float.POSITIVE_INFINITY}, f32(-1.5f, 1.9f, Float.POSITIVE_INFINITY).floor().toFloatArray());
        float[] c = f32(-0.5f, 1.1f).ceil().toFloatArray();
        assertBits(-0f, c[0]);
        assertEquals(2f, c[1]);
        assertThrows(DTypeError.class, () -> Tf.floor(Tf.constant(new int[]{1})));
    }

    @Test
    void rootsAndReciprocals() {
        float[] s = f32(4, 2, -1, 0).sqrt().toFloatArray();
        assertEquals(2f, s[0]);
        assertEquals((float) Math.sqrt(2), s[1]);
        assertTrue(Float.isNaN(s[2]));
        assertArrayEquals(new float[]{0.5f, Float.POSITIVE_INFINITY}, f32(4, 0).rsqrt().toFloatArray());
        assertArrayEquals(new float[]{0.25f, Float.NEGATIVE_INFINITY}, f32(4, -0f).reciprocal().toFloatArray());
        assertArrayEquals(new int[]{1, 0, -1}, Tf.reciprocal(Tf.constant(new int[]{1, 2, -1})).toIntArray());
        assertThrows(InvalidArgumentError.class, () -> Tf.reciprocal(Tf.constant(new int[]{0})));
    }

    @Test
    void sqrtOfAnIntegerListsTheFloatTypes() {
        var e = assertThrows(DTypeError.class, () -> Tf.sqrt(Tf.constant(new int[]{4})));
        assertTrue(e.getMessage().contains("Value for attr 'T' of int32 is not in the list of allowed values: bfloat16, half, float, double, complex64, complex128"),
                e.getMessage());
    }

    @Test
    void expAndLogFamilies() {
        float[] e = f32(0, 1, -103, 89).exp().toFloatArray();
        assertEquals(1f, e[0]);
        assertEquals((float) Math.E, e[1]);
        assertEquals(0f, e[2], "exp(-103) is subnormal in float32, flushed");
        assertEquals(Float.POSITIVE_INFINITY, e[3]);
        assertArrayEquals(new float[]{1e-10f}, f32(1e-10f).expm1().toFloatArray());
        float[] l = f32(1, 0, -1).log().toFloatArray();
        assertEquals(0f, l[0]);
        assertEquals(Float.NEGATIVE_INFINITY, l[1]);
        assertTrue(Float.isNaN(l[2]));
        assertArrayEquals(new float[]{1e-10f, Float.NEGATIVE_INFINITY}, f32(1e-10f, -1).log1p().toFloatArray());
        assertArrayEquals(new double[]{Math.log(10)}, Tf.log(Tf.constant(new double[]{10})).toDoubleArray());
    }

    @Test
    void trigonometry() {
        assertArrayEquals(new float[]{0, 1}, Tf.sin(f32(0, (float) (Math.PI / 2))).toFloatArray(), 1e-7f);
        assertArrayEquals(new float[]{1, -1}, Tf.cos(f32(0, (float) Math.PI)).toFloatArray(), 1e-7f);
    }

    @Test
    void erfMatchesTabulatedValues() {
        // Abramowitz & Stegun table 7.1.
        double[] x = {0, 0.5, 1, 2, -1, 3, 7};
        double[] want = {0, 0.5204998778130465, 0.8427007929497149, 0.9953222650189527, -0.8427007929497149, 0.9999779095030014, 1};
        double[] got = Tf.erf(Tf.constant(x)).toDoubleArray();
        for (int i = 0; i < x.length; i++) assertEquals(want[i], got[i], 1e-15, "erf(" + x[i] + ")");
        assertTrue(Double.isNaN(Tf.erf(Tf.constant(Double.NaN)).item()));
    }

    @Test
    void classification() {
        Tensor x = f32(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1, 0);
        assertArrayEquals(new boolean[]{true, false, false, false, false}, Tf.isNan(x).toBooleanArray());
        assertArrayEquals(new boolean[]{false, true, true, false, false}, Tf.isInf(x).toBooleanArray());
        assertArrayEquals(new boolean[]{false, false, false, true, true}, Tf.isFinite(x).toBooleanArray());
        assertEquals(DType.BOOL, Tf.isNan(Tf.constant(new float[]{1}, DType.FLOAT16)).dtype());
        assertThrows(DTypeError.class, () -> Tf.isNan(Tf.constant(new int[]{1})));
    }

    @Test
    void squareWrapsForIntegers() {
        assertArrayEquals(new int[]{0, 9}, Tf.square(Tf.constant(new int[]{65536, -3})).toIntArray());
        assertArrayEquals(new float[]{0}, Tf.square(f32(1e-20f)).toFloatArray());
    }
}
