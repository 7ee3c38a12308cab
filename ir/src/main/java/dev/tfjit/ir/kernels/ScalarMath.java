package dev.tfjit.ir.kernels;

import dev.tfjit.ir.InvalidArgumentError;

/**
 * Scalar functions whose TensorFlow semantics differ from plain Java operators: floor division
 * and modulo, integer powers, NaN-propagating min/max, the activations' formulas. Each follows
 * the C++ functor TensorFlow's CPU kernel uses (tensorflow/core/kernels/cwise_ops.h).
 */
public final class ScalarMath {
    private ScalarMath() {}

    static final String DIVISION_BY_ZERO = "Integer division by zero";
    static final String NEGATIVE_POWER = "Integers to negative integer powers are not allowed";

    private static InvalidArgumentError divisionByZero() { return new InvalidArgumentError(DIVISION_BY_ZERO); }

    // ---- division and modulo

    /** TF's google_floor_div: exact C semantics including its wrap at INT_MIN (abs(INT_MIN) stays negative). */
    public static int floorDiv(int x, int y) {
        if (y == 0) throw divisionByZero();
        if ((x < 0) != (y < 0)) {
            int ax = Math.abs(x), ay = Math.abs(y);
            return -(ax + ay - 1) / ay;
        }
        return x / y;
    }

    public static long floorDiv(long x, long y) {
        if (y == 0) throw divisionByZero();
        if ((x < 0) != (y < 0)) {
            long ax = Math.abs(x), ay = Math.abs(y);
            return -(ax + ay - 1) / ay;
        }
        return x / y;
    }

    /**
     * Float floor division: floor(x / y), where the quotient is itself a stored intermediate and
     * so is flushed ({@code -1 // 3e38} is -0.0, not -1).
     */
    public static float floorDiv(float x, float y) { return (float) Math.floor(Fn.ftz(x / y)); }

    public static double floorDiv(double x, double y) { return Math.floor(Fn.ftz(x / y)); }

    /** Integer floor modulo: the truncated remainder moved to the divisor's sign. */
    public static int floorMod(int x, int y) {
        if (y == 0) throw divisionByZero();
        int r = x % y;
        return r != 0 && ((y < 0) != (r < 0)) ? r + y : r;
    }

    public static long floorMod(long x, long y) {
        if (y == 0) throw divisionByZero();
        long r = x % y;
        return r != 0 && ((y < 0) != (r < 0)) ? r + y : r;
    }

    /** Float floor modulo: fmod, plus y when the signs differ; a zero keeps the sign of x. */
    public static float floorMod(float x, float y) {
        float r = Fn.ftz(x % y);
        return r != 0 && ((y < 0) != (r < 0)) ? r + y : r;
    }

    public static double floorMod(double x, double y) {
        double r = Fn.ftz(x % y);
        return r != 0 && ((y < 0) != (r < 0)) ? r + y : r;
    }

    public static int truncateDiv(int x, int y) {
        if (y == 0) throw divisionByZero();
        return x / y;
    }

    public static long truncateDiv(long x, long y) {
        if (y == 0) throw divisionByZero();
        return x / y;
    }

    public static int truncateMod(int x, int y) {
        if (y == 0) throw divisionByZero();
        return x % y;
    }

    public static long truncateMod(long x, long y) {
        if (y == 0) throw divisionByZero();
        return x % y;
    }

    // ---- powers

    /** Square-and-multiply with two's-complement wrap, as TF's integer pow. */
    public static int pow(int x, int y) {
        if (y < 0) throw new InvalidArgumentError(NEGATIVE_POWER);
        int r = 1;
        while (y != 0) {
            if ((y & 1) != 0) r *= x;
            y >>>= 1;
            x *= x;
        }
        return r;
    }

    public static long pow(long x, long y) {
        if (y < 0) throw new InvalidArgumentError(NEGATIVE_POWER);
        long r = 1;
        while (y != 0) {
            if ((y & 1) != 0) r *= x;
            y >>>= 1;
            x *= x;
        }
        return r;
    }

    /** C's pow: unlike Java's, pow(1, y) = 1 and pow(-1, ±inf) = 1 even for NaN or infinite y. */
    public static double pow(double x, double y) {
        if (x == 1 || (x == -1 && Double.isInfinite(y))) return 1;
        return Math.pow(x, y);
    }

    // ---- min / max

    /** TF's maximum: NaN from either side wins; on ties (0.0 vs -0.0) the second operand is returned. */
    public static float maximum(float x, float y) { return x > y || x != x ? x : y; }

    public static double maximum(double x, double y) { return x > y || x != x ? x : y; }

    public static float minimum(float x, float y) { return x < y || x != x ? x : y; }

    public static double minimum(double x, double y) { return x < y || x != x ? x : y; }

    // ---- sign and rounding

    /** -1, 0 or 1; zero of either sign gives +0 and NaN stays NaN. */
    public static float sign(float x) { return x > 0 ? 1f : x < 0 ? -1f : x == 0 ? 0f : x; }

    public static double sign(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : x == 0 ? 0.0 : x; }

    // ---- activations

    /** max(x, 0) that lets NaN through, as TF's relu does. */
    public static float relu(float x) { return x < 0 ? 0f : x; }

    public static double relu(double x) { return x < 0 ? 0.0 : x; }

    public static float relu6(float x) { return x < 0 ? 0f : x > 6 ? 6f : x; }

    public static double relu6(double x) { return x < 0 ? 0.0 : x > 6 ? 6.0 : x; }

    /** exp(x) - 1 for negative x (TF's elu uses exp - 1, not expm1). */
    public static float elu(float x) { return x < 0 ? FloatMath.exp(x) - 1f : x; }

    public static double elu(double x) { return x < 0 ? Math.exp(x) - 1 : x; }

    public static final double SELU_SCALE = 1.0507009873554804934193349852946;
    public static final double SELU_SCALE_ALPHA = 1.7580993408473768599402175208123;

    public static float selu(float x) {
        return x < 0 ? (float) SELU_SCALE_ALPHA * (FloatMath.exp(x) - 1f) : (float) SELU_SCALE * x;
    }

    public static double selu(double x) { return x < 0 ? SELU_SCALE_ALPHA * (Math.exp(x) - 1) : SELU_SCALE * x; }

    /** TF's switch points, log(eps) + 2: below it softplus(x) = exp(x); above its negation, x. */
    private static final float SOFTPLUS_THRESHOLD_F32 = (float) Math.log(Math.ulp(1f)) + 2f;
    private static final double SOFTPLUS_THRESHOLD_F64 = Math.log(Math.ulp(1.0)) + 2;

    public static float softplus(float x) {
        if (x > -SOFTPLUS_THRESHOLD_F32) return x;
        float e = FloatMath.exp(x);
        if (x < SOFTPLUS_THRESHOLD_F32) return e;
        return (float) Math.log1p(e);
    }

    public static double softplus(double x) {
        if (x > -SOFTPLUS_THRESHOLD_F64) return x;
        double e = Math.exp(x);
        if (x < SOFTPLUS_THRESHOLD_F64) return e;
        return Math.log1p(e);
    }

    public static float softsign(float x) { return x / (1f + Math.abs(x)); }

    public static double softsign(double x) { return x / (1 + Math.abs(x)); }

    public static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

    /** erf to about 1e-16: the Maclaurin series near zero, the continued fraction of erfc beyond 2.5. */
    public static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double ax = Math.abs(x);
        if (ax > 6) return Math.copySign(1.0, x);
        double r;
        if (ax < 2.5) {
            // Maclaurin series: erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))
            double term = ax, sum = ax, x2 = ax * ax;
            for (int n = 1; n < 100; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            // Continued fraction for erfc, evaluated backwards (converges quickly for x >= 2.5).
            double f = 0;
            for (int k = 60; k >= 1; k--) f = (k / 2.0) / (ax + f);
            r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
        }
        return Math.copySign(r, x);
    }
}
