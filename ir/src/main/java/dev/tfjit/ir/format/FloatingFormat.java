package dev.tfjit.ir.format;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;

import java.math.BigDecimal;

/**
 * NumPy's {@code FloatingFormat} with its default options (precision 8, floatmode 'maxprec',
 * no suppression): one layout shared by every element shown, so columns line up.
 *
 * <p>Scientific notation is chosen when the largest non-zero magnitude is at least 1e8, the
 * smallest is below 1e-4, or their ratio exceeds 1000, each compared in the data's own dtype as
 * NumPy does. Positional values keep their shortest unique digits (at most 8 after the point)
 * and are padded with spaces; scientific values all get the same number of fraction digits.
 *
 * @param scientific whether values are written as {@code d.ddde±XX}
 * @param padLeft    width of the integer part, sign included
 * @param padRight   width of the fraction part (positional), or of everything after the point (scientific)
 * @param precision  fraction digits: at most this many (positional), exactly this many (scientific)
 * @param expDigits  minimum exponent digits (scientific only)
 */
record FloatingFormat(DType dtype, boolean scientific, int padLeft, int padRight, int precision, int expDigits)
        implements ElementFormat {

    static final int PRECISION = 8;

    /** Lays out the elements at {@code shown} (NumPy looks only at what it prints). */
    static FloatingFormat of(Buffer b, long[] shown) {
        DType dtype = b.dtype();
        double maxAbs = 0, minAbs = Double.POSITIVE_INFINITY;
        boolean anyFinite = false, anyNonFinite = false, negativeInf = false;
        for (long i : shown) {
            double v = b.getDouble(i);
            if (!Double.isFinite(v)) {
                anyNonFinite = true;
                negativeInf |= v == Double.NEGATIVE_INFINITY;
                continue;
            }
            anyFinite = true;
            double a = Math.abs(v);
            if (a != 0) {
                maxAbs = Math.max(maxAbs, a);
                minAbs = Math.min(minAbs, a);
            }
        }
        boolean scientific = maxAbs != 0 && needsScientific(dtype, maxAbs, minAbs);

        int padLeft = 0, padRight = 0, precision = PRECISION, expDigits = -1;
        if (anyFinite && scientific) {
            int expWidth = 0;
            precision = 0;
            for (long i : shown) {
                double v = b.getDouble(i);
                if (!Double.isFinite(v)) continue;
                BigDecimal d = FloatDigits.scientific(Math.abs(v), dtype, PRECISION);
                precision = Math.max(precision, FloatDigits.scientificFractionDigits(d));
                padLeft = Math.max(padLeft, signBit(v) ? 2 : 1);
                expWidth = Math.max(expWidth, Math.max(2, Integer.toString(Math.abs(FloatDigits.exponent(d))).length()));
            }
            expDigits = expWidth;
            padRight = expDigits + 2 + precision;
        } else if (anyFinite) {
            for (long i : shown) {
                double v = b.getDouble(i);
                if (!Double.isFinite(v)) continue;
                String[] parts = FloatDigits.positionalParts(FloatDigits.positional(Math.abs(v), dtype, PRECISION));
                padLeft = Math.max(padLeft, parts[0].length() + (signBit(v) ? 1 : 0));
                padRight = Math.max(padRight, parts[1].length());
            }
        }
        if (anyNonFinite) {
            int offset = padRight + 1; // the decimal point
            padLeft = Math.max(padLeft, Math.max("nan".length() - offset, "inf".length() + (negativeInf ? 1 : 0) - offset));
        }
        return new FloatingFormat(dtype, scientific, padLeft, padRight, precision, expDigits);
    }

    /** NumPy compares in the array's dtype: 1e-4 is a different number in float32 and float16. */
    private static boolean needsScientific(DType dtype, double maxAbs, double minAbs) {
        return switch (dtype) {
            case FLOAT64 -> maxAbs >= 1e8 || minAbs < 1e-4 || maxAbs / minAbs > 1000.;
            case FLOAT32 -> (float) maxAbs >= 1e8f || (float) minAbs < 1e-4f || (float) maxAbs / (float) minAbs > 1000f;
            default -> {
                float ratio = toHalf((float) maxAbs / (float) minAbs);
                yield maxAbs >= toHalf(1e8f) || minAbs < toHalf(1e-4f) || ratio > 1000f;
            }
        };
    }

    private static float toHalf(float f) { return Float.float16ToFloat(Float.floatToFloat16(f)); }

    private static boolean signBit(double v) { return Double.doubleToRawLongBits(v) < 0; }

    @Override
    public String format(Buffer b, long i) {
        double v = b.getDouble(i);
        if (!Double.isFinite(v)) {
            String text = Double.isNaN(v) ? "nan" : v < 0 ? "-inf" : "inf";
            return " ".repeat(Math.max(0, padLeft + padRight + 1 - text.length())) + text;
        }
        String sign = signBit(v) ? "-" : "";
        if (scientific) {
            String[] p = FloatDigits.scientificParts(FloatDigits.scientificExactly(Math.abs(v), precision), precision);
            String exp = FloatDigits.exponentText(Integer.parseInt(p[2]), expDigits);
            return padStart(sign + p[0], padLeft) + "." + p[1] + exp;
        }
        String[] p = FloatDigits.positionalParts(FloatDigits.positional(Math.abs(v), dtype, precision));
        return padStart(sign + p[0], padLeft) + "." + padEnd(p[1], padRight);
    }

    static String padStart(String s, int width) { return s.length() >= width ? s : " ".repeat(width - s.length()) + s; }

    static String padEnd(String s, int width) { return s.length() >= width ? s : s + " ".repeat(width - s.length()); }
}
