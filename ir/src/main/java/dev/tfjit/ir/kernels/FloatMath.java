package dev.tfjit.ir.kernels;

/**
 * float32 exp, tanh and sigmoid computed in float32 with fused multiply-adds, the way
 * vectorized CPU kernels compute them (TensorFlow's Eigen kernels do the same, with their own
 * polynomials), rather than through double precision. They are the definition both backends
 * share: the interpreter calls these methods, and the LLVM backend emits the same operations
 * in the same order (codegen-llvm's {@code MathFunctions}), so the two agree bit for bit while
 * the native code runs eight lanes per AVX2 instruction.
 *
 * <p>Accuracy against the exact result, measured over every float32 input ({@code FloatMathTest}
 * with {@code -Dtfjit.exhaustive=true}): exp at most 0.94 ulp, tanh 1.91 ulp, sigmoid 2.48 ulp
 * (the tests hold them to 1, 2 and 3; results below the smallest normal float are flushed by the
 * ops anyway). tanh is also monotonic over all floats, odd to the bit, and exactly x below
 * 2^-25 and exactly +-1 from |x| = 8.5 on. The double-precision functions they replace were
 * within 0.5 ulp, but four lanes at a time and at several times the cost.
 * NaN propagates, exp overflows to +inf above ln(FLT_MAX) and underflows to 0.
 */
public final class FloatMath {
    private FloatMath() {}

    // The constants are public so that the LLVM backend emits exactly these float values.
    public static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split so that {@code k * LN2_HI} is exact for the k that occur (|k| <= 150). */
    public static final float LN2_HI = 0.693145751953125f;
    public static final float LN2_LO = 1.42860682030941723212e-6f;
    /** Above this exp overflows whatever the polynomial says; below the low clamp it is 0. */
    public static final float EXP_HIGH = 89f, EXP_LOW = -104f;
    /** 1/n! for n = 7 down to 2, the Taylor polynomial of e^r on |r| <= ln2/2 (truncation below 6e-9 relative). */
    private static final float[] EXP_POLY = {1f / 5040, 1f / 720, 1f / 120, 1f / 24, 1f / 6, 0.5f};
    /** tanh clamps |x| here: from 8.5 on it is exactly 1 anyway, and below the clamp 2^(j-1) is a normal float. */
    public static final float TANH_HIGH = 10f;
    /** 2 log2(e): tanh's {@code j = rint(2|x| log2 e)}, so that {@code e^(-2|x|) = 2^-j e^(-2r)}. */
    public static final float TANH_J_SCALE = (float) (2 / Math.log(2));
    /**
     * 1.5 * 2^23 + 126: {@code fma(|x|, TANH_J_SCALE, TANH_MAGIC)} rounds to this plus the integer j
     * (the sum stays in [2^23, 2^24), where floats are the integers), and the low bits of the sum
     * are {@code j + 126}, so shifting its bits left by 23 gives the bits of {@code 2^(j-1)}.
     */
    public static final float TANH_MAGIC = 12583038f;
    /**
     * ln 2 / 2 as a float, for the one-step reduction {@code r = |x| - j ln2/2} (|r| <= 0.1734): its
     * error (1e-9) scales e^(-2|x|) by 1 + 2e-9 j (j <= 29), which moves tanh by at most 0.03 ulp.
     */
    public static final float HALF_LN2 = (float) Math.log(2) / 2;
    /**
     * Highest power first, Q with {@code (1 - e^(-2r)) / 2 = r + r^2 Q(r)} for |r| <= 0.1734 (degree 7
     * in all): a minimax fit of the relative error by Remez exchange in 50-digit arithmetic with
     * Q(0) = -1 held exact (so that the result is exactly x for tiny x), then rounded to floats from
     * the lowest power up, refitting the higher ones after each rounding ({@code tools/tanh_poly_fit.py}).
     * Error 5e-10 relative, 0.008 ulp.
     */
    private static final float[] TANH_POLY = {0.0125832595f, -0.044592038f, 0.1333383f, -0.33333173f, 0.6666666f, -1f};
    /**
     * sigmoid reads e^t for t = -x clamped here: above, the result is below the smallest normal
     * float (and flushed); below, 1 + e^t rounds to 1. In this range 2^k is a normal float.
     */
    public static final float SIGMOID_HIGH = 88f, SIGMOID_LOW = -30f;

    /** The polynomial's coefficients, highest power first: e^r = 1 + r + r^2 P(r). */
    public static float[] expPolynomial() { return EXP_POLY.clone(); }

    /** tanh's polynomial Q, highest power first: {@code (1 - e^(-2r)) / 2 = r + r^2 Q(r)}. */
    public static float[] tanhPolynomial() { return TANH_POLY.clone(); }

    /** {@code x * log2(e)} rounded to an integer (as a float) and the reduced argument {@code x - k ln2}. */
    private static float reduce(float x, float[] r) {
        float k = (float) Math.rint(x * LOG2E);
        float t = Math.fma(k, -LN2_HI, x);
        r[0] = Math.fma(k, -LN2_LO, t);
        return k;
    }

    /** P(r) with e^r = 1 + r + r^2 P(r). */
    private static float poly(float r) {
        float p = EXP_POLY[0];
        for (int i = 1; i < EXP_POLY.length; i++) p = Math.fma(p, r, EXP_POLY[i]);
        return p;
    }

    /** 2^k for an integer-valued float k with a normal result; NaN k gives 1 (the NaN is in r). */
    private static float pow2(float k) { return Float.intBitsToFloat(((int) k + 127) << 23); }

    /** e^x: x = k ln2 + r, e^r by its Taylor polynomial, then scaled by 2^k in two exact steps. */
    public static float exp(float x) {
        float xc = x > EXP_HIGH ? EXP_HIGH : x;
        xc = xc < EXP_LOW ? EXP_LOW : xc;
        float[] r = new float[1];
        float k = reduce(xc, r);
        float p = Math.fma(poly(r[0]), r[0], 1f);
        p = Math.fma(p, r[0], 1f);
        int ki = (int) k; // 0 for NaN, which then propagates through r
        int k1 = ki >> 1, k2 = ki - k1;
        return p * Float.intBitsToFloat((k1 + 127) << 23) * Float.intBitsToFloat((k2 + 127) << 23);
    }

    /**
     * tanh |x| = (1 - w) / (1 + w) with w = e^(-2|x|) = 2^-j e^(-2r), j = rint(2|x| log2 e),
     * r = |x| - j ln2/2; then the sign of x. With e = (1 - e^(-2r)) / 2 (a polynomial), multiplying
     * both sides by 2^(j-1) gives {@code (2^(j-1) - 1/2 + e) / (2^(j-1) + 1/2 - e)}: 2^(j-1) -+ 1/2
     * are exact, so numerator and denominator are each rounded once, from the same e. No
     * cancellation for small x (j = 0 gives e / (1 - e)), and as x grows within a j the numerator
     * rises while the denominator falls, which keeps the result monotonic (a quotient of two
     * separately rounded polynomials, like Eigen's x P(x^2) / Q(x^2), is not: near 1 its rounding
     * noise is larger than tanh's steps, and in float it is also several ulp off there).
     * 19 vector instructions with AVX-512 (and two register copies), 9 of them multiplies or fused
     * multiply-adds (the exp-based form this replaces took 24 and 13).
     */
    public static float tanh(float x) {
        float a = Math.abs(x);
        a = a > TANH_HIGH ? TANH_HIGH : a;
        float jb = Math.fma(a, TANH_J_SCALE, TANH_MAGIC);
        float j = jb - TANH_MAGIC;
        float r = Math.fma(j, -HALF_LN2, a);
        float h = Float.intBitsToFloat(Float.floatToRawIntBits(jb) << 23); // 2^(j-1); for NaN some finite value (r is NaN)
        float q = TANH_POLY[0];
        for (int i = 1; i < TANH_POLY.length; i++) q = Math.fma(q, r, TANH_POLY[i]);
        float e = Math.fma(q, r * r, r);
        float num = (h - 0.5f) + e;
        float den = (h + 0.5f) - e;
        return Math.copySign(num / den, x);
    }

    /** 1 / (1 + e^-x), e^-x with a single scaling step (its argument is clamped to where that is exact). */
    public static float sigmoid(float x) {
        float t = -x;
        t = t > SIGMOID_HIGH ? SIGMOID_HIGH : t;
        t = t < SIGMOID_LOW ? SIGMOID_LOW : t;
        float[] r = new float[1];
        float k = reduce(t, r);
        float p = Math.fma(poly(r[0]), r[0], 1f);
        p = Math.fma(p, r[0], 1f);
        return 1f / (1f + p * pow2(k));
    }
}
