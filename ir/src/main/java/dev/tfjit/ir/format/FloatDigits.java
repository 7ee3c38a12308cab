package dev.tfjit.ir.format;

import dev.tfjit.ir.DType;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.function.Predicate;

/**
 * The decimal digits NumPy's Dragon4 picks for a binary float: the shortest decimal that reads
 * back as the same value of its dtype, or, when a digit budget cuts it off, the exact binary
 * value rounded half-to-even there. Magnitudes only: callers handle the sign.
 */
final class FloatDigits {
    private FloatDigits() {}

    /** The exact value of a finite float widened to double (exact for every float dtype). */
    static BigDecimal exact(double magnitude) { return new BigDecimal(magnitude); }

    /** The shortest decimal that rounds back to {@code magnitude} in {@code dtype}; the closest one if several. */
    static BigDecimal shortest(double magnitude, DType dtype) {
        if (magnitude == 0) return BigDecimal.ZERO;
        return switch (dtype) {
            case FLOAT64 -> preferOneDigit(new BigDecimal(Double.toString(magnitude)), magnitude,
                    c -> Double.parseDouble(c.toString()) == magnitude);
            case FLOAT32 -> preferOneDigit(new BigDecimal(Float.toString((float) magnitude)), magnitude,
                    c -> Float.parseFloat(c.toString()) == (float) magnitude);
            case FLOAT16 -> shortestHalf(magnitude);
            default -> throw new IllegalArgumentException("not a float dtype with shortest digits: " + dtype);
        };
    }

    /**
     * Java's shortest form deliberately chooses two digits over one when the two-digit decimal
     * is closer (it prints 4.9E-324); NumPy keeps the single digit, so try that first.
     */
    private static BigDecimal preferOneDigit(BigDecimal javaShortest, double magnitude,
                                             Predicate<BigDecimal> readsBack) {
        BigDecimal s = javaShortest.stripTrailingZeros();
        if (s.precision() == 2) {
            BigDecimal one = exact(magnitude).round(new MathContext(1, RoundingMode.HALF_EVEN));
            if (readsBack.test(one)) return one;
        }
        return s;
    }

    /** float16 has no shortest-repr printer in the JDK: try 1..5 digits against its exact rounding interval. */
    private static BigDecimal shortestHalf(double magnitude) {
        int bits = Float.floatToFloat16((float) magnitude) & 0x7fff;
        BigDecimal value = exact(magnitude);
        BigDecimal below = bits == 0 ? value.negate() : exact(Float.float16ToFloat((short) (bits - 1)));
        // Past the largest finite half (65504) values round to infinity from 65520 on, which is
        // the midpoint towards a virtual next value of 65536.
        BigDecimal above = bits == 0x7bff ? BigDecimal.valueOf(65536) : exact(Float.float16ToFloat((short) (bits + 1)));
        BigDecimal two = BigDecimal.valueOf(2);
        BigDecimal lo = value.add(below).divide(two);
        BigDecimal hi = value.add(above).divide(two);
        boolean evenKeepsTies = (bits & 1) == 0;
        for (int digits = 1; digits < 17; digits++) {
            BigDecimal c = value.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            int cl = c.compareTo(lo);
            int ch = c.compareTo(hi);
            if ((cl > 0 && ch < 0) || (evenKeepsTies && (cl == 0 || ch == 0))) return c.stripTrailingZeros();
        }
        return value;
    }

    /** Digits after the decimal point when written positionally (no exponent). */
    static int fractionDigits(BigDecimal d) { return Math.max(0, d.stripTrailingZeros().scale()); }

    /** The exponent of the leading digit: 1234.5 has 3, 0.01 has -2, zero has 0. */
    static int exponent(BigDecimal d) {
        if (d.signum() == 0) return 0;
        return d.precision() - d.scale() - 1;
    }

    /** Digits after the point when written as d.ddd×10^e. */
    static int scientificFractionDigits(BigDecimal d) {
        return Math.max(0, d.stripTrailingZeros().precision() - 1);
    }

    /** Unique digits, but at most {@code maxFraction} after the point ({@code < 0}: no limit). */
    static BigDecimal positional(double magnitude, DType dtype, int maxFraction) {
        BigDecimal s = shortest(magnitude, dtype);
        if (maxFraction < 0 || fractionDigits(s) <= maxFraction) return s;
        return exact(magnitude).setScale(maxFraction, RoundingMode.HALF_EVEN).stripTrailingZeros();
    }

    /** Unique digits in scientific form, but at most {@code maxFraction} after the point ({@code < 0}: no limit). */
    static BigDecimal scientific(double magnitude, DType dtype, int maxFraction) {
        BigDecimal s = shortest(magnitude, dtype);
        if (maxFraction < 0 || scientificFractionDigits(s) <= maxFraction) return s;
        return exact(magnitude).round(new MathContext(maxFraction + 1, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

    /** The exact value with exactly {@code fraction} digits after the point in scientific form. */
    static BigDecimal scientificExactly(double magnitude, int fraction) {
        if (magnitude == 0) return BigDecimal.ZERO;
        return exact(magnitude).round(new MathContext(fraction + 1, RoundingMode.HALF_EVEN));
    }

    /** {@code [integer digits, fraction digits]} of a positional decimal, fraction without trailing zeros. */
    static String[] positionalParts(BigDecimal d) {
        String plain = d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        int dot = plain.indexOf('.');
        return dot < 0 ? new String[]{plain, ""} : new String[]{plain.substring(0, dot), plain.substring(dot + 1)};
    }

    /** {@code [leading digit, fraction digits, exponent]} of a scientific decimal, fraction padded to {@code minFraction} with zeros. */
    static String[] scientificParts(BigDecimal d, int minFraction) {
        String digits = d.signum() == 0 ? "0" : d.stripTrailingZeros().unscaledValue().toString();
        StringBuilder frac = new StringBuilder(digits.substring(1));
        while (frac.length() < minFraction) frac.append('0');
        return new String[]{digits.substring(0, 1), frac.toString(), Integer.toString(exponent(d))};
    }

    /** An exponent the way NumPy writes it: sign always, at least {@code minDigits} digits. */
    static String exponentText(int exponent, int minDigits) {
        StringBuilder digits = new StringBuilder(Integer.toString(Math.abs(exponent)));
        while (digits.length() < minDigits) digits.insert(0, '0');
        return (exponent < 0 ? "e-" : "e+") + digits;
    }
}
