package dev.tfjit.ir.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The float32 exp, tanh and sigmoid both backends compute ({@link FloatMath}) against the exact
 * result (double precision, whose own error is far below a float ulp). The documented bounds:
 * exp 1 ulp, tanh 2 ulp, sigmoid 3 ulp (measured over every float32 with
 * {@code -Dtfjit.exhaustive=true}: exp 0.94, tanh 1.91, sigmoid 2.48). Results the ops flush
 * (below the smallest normal float) only need to be below it as well. tanh's exact properties
 * (odd to the bit, monotonic, |tanh| <= 1, x for tiny x, +-1 when saturated) are checked on dense
 * samples here and on every float by the exhaustive test.
 */
class FloatMathTest {
    private static final double EXP_ULPS = 1, TANH_ULPS = 2, SIGMOID_ULPS = 3;

    /** Distance of {@code got} from {@code exact} in units of the float ulp at the exact value. */
    static double ulps(float got, double exact) {
        if (Double.isNaN(exact)) return Float.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
        float rounded = (float) exact;
        if (Float.isInfinite(rounded)) return got == rounded ? 0 : Double.POSITIVE_INFINITY;
        if (Math.abs(rounded) < Float.MIN_NORMAL) return Math.abs(got) <= Float.MIN_NORMAL ? 0 : Double.POSITIVE_INFINITY;
        return Math.abs(got - exact) / Math.ulp(rounded);
    }

    private static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

    /** The worst error of each function over the float32 inputs whose bits are multiples of {@code step}. */
    private static double[] worst(long step) {
        double[] w = new double[3];
        for (long bits = 0; bits <= 0xFFFFFFFFL; bits += step) {
            float x = Float.intBitsToFloat((int) bits);
            w[0] = Math.max(w[0], ulps(FloatMath.exp(x), Math.exp(x)));
            w[1] = Math.max(w[1], ulps(FloatMath.tanh(x), Math.tanh(x)));
            w[2] = Math.max(w[2], ulps(FloatMath.sigmoid(x), sigmoid(x)));
        }
        return w;
    }

    private static void assertBounds(double[] w) {
        assertTrue(w[0] <= EXP_ULPS, "exp: " + w[0] + " ulp");
        assertTrue(w[1] <= TANH_ULPS, "tanh: " + w[1] + " ulp");
        assertTrue(w[2] <= SIGMOID_ULPS, "sigmoid: " + w[2] + " ulp");
    }

    @Test
    void withinTheDocumentedUlpsOverASpreadOfAllFloats() { assertBounds(worst(4099)); }

    @Test
    void withinTheDocumentedUlpsWhereTheMethodsChange() {
        // Dense around exp's clamps and overflow, tanh's worst errors (near 0.51) and sigmoid's tails.
        double[] w = new double[3];
        float[][] ranges = {{88f, 89.5f}, {-105f, -86f}, {0.45f, 0.55f}, {-0.55f, -0.45f}, {-20f, 20f}, {-1e-3f, 1e-3f}};
        for (float[] r : ranges) {
            for (float x = r[0]; x <= r[1]; x = Math.nextUp(x + (r[1] - r[0]) / 400_000)) {
                w[0] = Math.max(w[0], ulps(FloatMath.exp(x), Math.exp(x)));
                w[1] = Math.max(w[1], ulps(FloatMath.tanh(x), Math.tanh(x)));
                w[2] = Math.max(w[2], ulps(FloatMath.sigmoid(x), sigmoid(x)));
            }
        }
        assertBounds(w);
    }

    @Test
    void specialValues() {
        assertEquals(Float.POSITIVE_INFINITY, FloatMath.exp(89f));
        assertEquals(Float.POSITIVE_INFINITY, FloatMath.exp(Float.POSITIVE_INFINITY));
        assertEquals(0f, FloatMath.exp(Float.NEGATIVE_INFINITY));
        assertEquals(1f, FloatMath.exp(0f));
        assertEquals(1f, FloatMath.exp(-0f));
        assertTrue(Float.isNaN(FloatMath.exp(Float.NaN)));
        float big = Math.nextDown((float) Math.log(Float.MAX_VALUE)); // the largest float whose exp is finite
        assertEquals((float) Math.exp(big), FloatMath.exp(big), Math.ulp((float) Math.exp(big)));
        assertEquals(Float.POSITIVE_INFINITY, FloatMath.exp(Math.nextUp(big)));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(FloatMath.tanh(-0f)));
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(FloatMath.tanh(0f)));
        assertEquals(1f, FloatMath.tanh(Float.POSITIVE_INFINITY));
        assertEquals(-1f, FloatMath.tanh(Float.NEGATIVE_INFINITY));
        assertEquals(-1f, FloatMath.tanh(-50f));
        assertEquals(1f, FloatMath.tanh(Float.MAX_VALUE));
        assertEquals(1f, FloatMath.tanh(9.0109f)); // where the exact tanh starts rounding to 1
        assertEquals(1f, FloatMath.tanh(FloatMath.TANH_HIGH));
        assertTrue(Float.isNaN(FloatMath.tanh(Float.NaN)));
        assertTrue(Float.isNaN(FloatMath.tanh(Float.intBitsToFloat(0xFFC00001))));
        for (float tiny : new float[] {1e-30f, Float.MIN_NORMAL, 0x1p-25f, 2.9e-8f, -1e-20f, Float.MIN_VALUE}) {
            assertEquals(tiny, FloatMath.tanh(tiny), "tanh(" + tiny + ")"); // tiny x: tanh x = x
        }
        assertEquals(0.5f, FloatMath.sigmoid(0f));
        assertEquals(1f, FloatMath.sigmoid(Float.POSITIVE_INFINITY));
        float tail = FloatMath.sigmoid(Float.NEGATIVE_INFINITY); // below the normal floats: the op flushes it to 0
        assertTrue(tail >= 0 && tail < Float.MIN_NORMAL, "sigmoid(-inf) = " + tail);
        assertTrue(Float.isNaN(FloatMath.sigmoid(Float.NaN)));
    }

    /**
     * tanh's exact properties on every float of the ranges where they could fail: around 0, each
     * seam of the range reduction (|x| = (j + 1/2) ln2 / 2) and the saturation, plus a spread of all floats.
     */
    @Test
    void tanhIsOddMonotonicBoundedAndExactAtTheEnds() {
        List<float[]> ranges = new ArrayList<>(List.of(new float[] {0x1p-26f, 0x1p-24f}, new float[] {0.1f, 0.6f}, new float[] {8.3f, 9.2f}));
        for (int j = 0; j < 29; j++) {
            float seam = (float) ((j + 0.5) * Math.log(2) / 2);
            ranges.add(new float[] {seam - 1e-3f, seam + 1e-3f});
        }
        for (float[] r : ranges) assertTanhProperties(Float.floatToRawIntBits(r[0]), Float.floatToRawIntBits(r[1]), 1);
        assertTanhProperties(0, 0x7F800000, 4099);
    }

    /**
     * Checks the positive floats with bits in [lo, hi] stepping by {@code step} (and their negations):
     * odd to the bit, non-decreasing, at most 1 in magnitude, x itself below 2^-25, +-1 from 9.0109 on.
     */
    private static void assertTanhProperties(int lo, int hi, int step) {
        float prev = FloatMath.tanh(Float.intBitsToFloat(lo));
        for (long bits = lo; bits <= hi; bits += step) {
            float x = Float.intBitsToFloat((int) bits), y = FloatMath.tanh(x), ny = FloatMath.tanh(-x);
            if (Float.floatToRawIntBits(ny) != (Float.floatToRawIntBits(y) ^ 0x80000000)) fail("tanh(" + -x + ") = " + ny + " but tanh(" + x + ") = " + y);
            if (y < prev) fail("tanh is not monotonic: tanh(" + x + ") = " + y + " < " + prev + " (the value at the previous float checked)");
            if (y > 1f) fail("tanh(" + x + ") = " + y);
            if (x <= 0x1p-25f && y != x) fail("tanh(" + x + ") = " + y + ", not x");
            if (x >= 9.0109f && y != 1f) fail("tanh(" + x + ") = " + y + ", not 1");
            prev = y;
        }
    }

    /**
     * What lets compiled code feed exp and sigmoid unflushed operands: for every subnormal input
     * they return exactly what they return for the zero a flush makes of it.
     */
    @Test
    void expAndSigmoidOfEverySubnormalEqualTheirValueAtZero() {
        for (int bits = 1; bits < 0x00800000; bits++) {
            for (float x : new float[] {Float.intBitsToFloat(bits), -Float.intBitsToFloat(bits)}) {
                if (FloatMath.exp(x) != 1f || FloatMath.sigmoid(x) != 0.5f) {
                    fail("exp(" + x + ") = " + FloatMath.exp(x) + ", sigmoid = " + FloatMath.sigmoid(x));
                }
            }
        }
    }

    /** Every float32 input: minutes, so only on request ({@code -Dtfjit.exhaustive=true}); prints the worst errors. */
    @Test
    @EnabledIfSystemProperty(named = "tfjit.exhaustive", matches = "true")
    void withinTheDocumentedUlpsForEveryFloat() {
        double[] w = worst(1);
        System.out.printf("FloatMath over every float32: exp %.3f ulp, tanh %.3f ulp, sigmoid %.3f ulp%n", w[0], w[1], w[2]);
        assertBounds(w);
        assertTanhProperties(0, 0x7F800000, 1);
        for (int nan = 0x7F800001; nan != 0x80000000; nan++) {
            for (int bits : new int[] {nan, nan | 0x80000000}) {
                if (!Float.isNaN(FloatMath.tanh(Float.intBitsToFloat(bits)))) fail("tanh of the NaN " + Integer.toHexString(bits));
            }
        }
    }
}
