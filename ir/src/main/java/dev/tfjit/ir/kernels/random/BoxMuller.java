package dev.tfjit.ir.kernels.random;

/**
 * TF's Box-Muller transforms ({@code BoxMullerFloat}, {@code BoxMullerDouble}) with the log,
 * sine and cosine they need written out as plain double arithmetic. These methods are the one
 * definition both backends share: the interpreter calls them, and the LLVM backend emits the
 * same operations in the same order with the same constants (codegen-llvm's
 * {@code RandomEmitter}), so compiled random normals equal interpreted ones bit for bit. The
 * JDK's {@code Math.log/sin/cos} could not be shared that way: HotSpot computes them with its
 * own intrinsics, which native code cannot reproduce.
 *
 * <p>Only the arguments Box-Muller produces are handled: {@link #log} takes positive normal
 * doubles (the clamped uniform is at least 1e-7), {@link #sinCos} takes angles in [0, 2pi]
 * (a little beyond works too). Against the correctly rounded result both stay within about one
 * ulp (BoxMullerTest measures them against {@code StrictMath}), so a float computed from them
 * rounds as TF's float functions would except in rare ties.
 */
public final class BoxMuller {
    private BoxMuller() {}

    /** Uniforms below this are raised to it, so that log stays finite. */
    public static final float EPSILON_FLOAT = 1.0e-7f;
    public static final double EPSILON_DOUBLE = 1.0e-7;
    /** {@code 2 * M_PI} as C++ computes it for both transforms (a double). */
    public static final double TWO_PI = 2 * Math.PI;

    // ---- log: x = 2^e m, m in [sqrt(1/2), sqrt(2)), log m = log(1 + f) = 2 atanh(f / (2 + f)) ----

    public static final double SQRT2 = Math.sqrt(2);
    /** ln 2 in two parts: the high part has trailing zero bits, so {@code e * LN2_HI} is exact for any exponent. */
    public static final double LN2_HI = 6.93147180369123816490e-01;
    public static final double LN2_LO = 1.90821492927058770002e-10;
    /**
     * 2/(2k+1) for k = 10 down to 1: {@code R(z) = z (2/3 + z (2/5 + ...))} with z = s^2 is the
     * series of {@code 2 atanh(s) - 2s}; for |s| <= 0.172 the terms left out are below 1e-19
     * of the result.
     */
    private static final double[] LOG_SERIES = logSeries();

    private static double[] logSeries() {
        double[] c = new double[10];
        for (int k = 10; k >= 1; k--) c[10 - k] = 2.0 / (2 * k + 1);
        return c;
    }

    public static double[] logSeriesCoefficients() { return LOG_SERIES.clone(); }

    /**
     * Natural log of a positive normal double. With {@code s = f/(2+f)}, {@code log(1+f) = f -
     * (f^2/2 - s (f^2/2 + R))}, which keeps f (exact) apart from the small correction, then
     * {@code e ln2} is added in two parts (fdlibm's arrangement).
     */
    public static double log(double x) {
        long bits = Double.doubleToRawLongBits(x);
        long e0 = (bits >>> 52) - 1023;
        double m0 = Double.longBitsToDouble((bits & 0x000fffffffffffffL) | 0x3ff0000000000000L);
        boolean big = m0 > SQRT2;
        double m = big ? m0 * 0.5 : m0;
        long e = big ? e0 + 1 : e0;
        double f = m - 1.0;
        double s = f / (2.0 + f);
        double z = s * s;
        double p = LOG_SERIES[0];
        for (int i = 1; i < LOG_SERIES.length; i++) p = p * z + LOG_SERIES[i];
        double r = p * z;
        double hfsq = 0.5 * f * f;
        double dk = (double) e;
        return dk * LN2_HI - ((hfsq - (s * (hfsq + r) + dk * LN2_LO)) - f);
    }

    // ---- sine and cosine: x = k pi/2 + r, |r| <= pi/4, Taylor polynomials in r ----

    public static final double TWO_OVER_PI = 2 / Math.PI;
    /**
     * pi/2 in three parts (each the double nearest to what the previous ones leave), subtracted
     * with fused multiply-adds: the first step is exact, so r keeps full relative precision even
     * when x is close to a multiple of pi/2.
     */
    public static final double PIO2_1 = 1.5707963267948966;
    public static final double PIO2_2 = 6.123233995736766e-17;
    public static final double PIO2_3 = -1.4973849048591698e-33;
    /** sin r = r + r z S(z), z = r^2: S's coefficients (-1)^n / (2n+1)! for n = 8 down to 1. */
    private static final double[] SIN_SERIES = series(8, 1);
    /** cos r = 1 - z/2 + z^2 C(z): C's coefficients (-1)^n / (2n)! for n = 9 down to 2. */
    private static final double[] COS_SERIES = series(9, 0);

    /** (-1)^n / (2n + odd)! for n = top down to the first term (n = 1 for sine, 2 for cosine). */
    private static double[] series(int top, int odd) {
        int first = odd == 1 ? 1 : 2;
        double[] c = new double[top - first + 1];
        for (int n = top; n >= first; n--) {
            double fact = 1;
            for (int i = 2; i <= 2 * n + odd; i++) fact *= i; // exact: 18! < 2^53
            c[top - n] = (n % 2 == 0 ? 1 : -1) / fact;
        }
        return c;
    }

    public static double[] sinSeriesCoefficients() { return SIN_SERIES.clone(); }

    public static double[] cosSeriesCoefficients() { return COS_SERIES.clone(); }

    /** {@code out[0] = sin x, out[1] = cos x} for x in [0, 2pi] (or a little beyond). */
    public static void sinCos(double x, double[] out) {
        double k = Math.rint(x * TWO_OVER_PI);
        double r = Math.fma(-k, PIO2_1, x);
        r = Math.fma(-k, PIO2_2, r);
        r = Math.fma(-k, PIO2_3, r);
        double z = r * r;
        double ps = SIN_SERIES[0];
        for (int i = 1; i < SIN_SERIES.length; i++) ps = ps * z + SIN_SERIES[i];
        double sin = r + r * z * ps;
        double pc = COS_SERIES[0];
        for (int i = 1; i < COS_SERIES.length; i++) pc = pc * z + COS_SERIES[i];
        // 1 - z/2 rounds; (1 - w) - hz recovers what the rounding lost (both steps exact).
        double hz = 0.5 * z;
        double w = 1.0 - hz;
        double cos = w + (((1.0 - w) - hz) + z * z * pc);
        int q = (int) k & 3;
        out[0] = q == 0 ? sin : q == 1 ? cos : q == 2 ? -sin : -cos;
        out[1] = q == 0 ? cos : q == 1 ? -sin : q == 2 ? -cos : sin;
    }

    // ---- the transforms ----

    /**
     * TF's {@code BoxMullerFloat}: two normals from two words. The angle is {@code 2.0f * M_PI * u}
     * computed in double (M_PI is a double) and rounded to float; log, sin and cos of float
     * arguments are computed in double and rounded to float, as C's float functions would round
     * them; sqrt of a float is correctly rounded either way.
     */
    public static void toFloats(int x0, int x1, float[] out, int at) {
        float u1 = Philox.toFloat(x0);
        if (u1 < EPSILON_FLOAT) u1 = EPSILON_FLOAT;
        float v1 = (float) (TWO_PI * Philox.toFloat(x1));
        float u2 = (float) Math.sqrt(-2.0f * (float) log(u1));
        double[] sc = new double[2];
        sinCos(v1, sc);
        out[at] = (float) sc[0] * u2;
        out[at + 1] = (float) sc[1] * u2;
    }

    /** TF's {@code BoxMullerDouble}: two normals from four words. */
    public static void toDoubles(int x0, int x1, int x2, int x3, double[] out) {
        double u1 = Philox.toDouble(x0, x1);
        if (u1 < EPSILON_DOUBLE) u1 = EPSILON_DOUBLE;
        double v1 = TWO_PI * Philox.toDouble(x2, x3);
        double u2 = Math.sqrt(-2.0 * log(u1));
        double[] sc = new double[2];
        sinCos(v1, sc);
        out[0] = sc[0] * u2;
        out[1] = sc[1] * u2;
    }
}
