package dev.tfjit.ir.format;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * How {@code tf.print} shows a tensor, which is not NumPy's format: TensorFlow's C++
 * {@code SummarizeValue}. Floats print with C's {@code %g} at 6 significant digits, or 9 when 6
 * do not read back to the same float ({@code [1 2.5]}, not {@code [1. 2.5]}); bools print as
 * 1 and 0; a scalar string prints as its text. Each dimension longer than twice
 * {@code summarize} shows its first and last {@code summarize} entries around {@code ...}.
 */
public final class PrintFormat {
    /** {@code tf.print}'s default {@code summarize}. */
    public static final int DEFAULT_SUMMARIZE = 3;

    private PrintFormat() {}

    public static String format(Buffer b) { return format(b, DEFAULT_SUMMARIZE); }

    /** {@code summarize < 0} prints every element. */
    public static String format(Buffer b, int summarize) {
        if (b.dtype() == DType.STRING && b.shape().rank() == 0) return b.getString(0);
        if (b.shape().rank() == 0) return element(b, 0);
        StringBuilder sb = new StringBuilder();
        append(sb, b, b.shape().dims(), b.shape().strides(), 0, 0, summarize);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Buffer b, int[] dims, long[] strides, int axis, long offset, int summarize) {
        sb.append('[');
        int n = dims[axis];
        boolean elide = summarize >= 0 && n > 2 * summarize;
        boolean first = true;
        for (int i = 0; i < n; i++) {
            if (elide && i == summarize) {
                separate(sb, dims.length - axis);
                sb.append("...");
                i = n - summarize - 1;
                continue;
            }
            if (!first) separate(sb, dims.length - axis);
            first = false;
            long at = offset + i * strides[axis];
            if (axis == dims.length - 1) sb.append(element(b, at));
            else append(sb, b, dims, strides, axis + 1, at, summarize);
        }
        sb.append(']');
    }

    /** Innermost entries are separated by a space, rows by a newline. */
    private static void separate(StringBuilder sb, int levelsBelow) {
        sb.append(levelsBelow == 1 ? ' ' : '\n');
    }

    private static String element(Buffer b, long i) {
        return switch (b.dtype().kind()) {
            case BOOL -> b.getBoolean(i) ? "1" : "0";
            case INT -> Long.toString(b.getLong(i));
            case STRING -> "\"" + b.getString(i) + "\"";
            case FLOAT -> b.dtype() == DType.FLOAT64 ? shortest(b.getDouble(i), 15, 17) : shortest(b.getDouble(i), 6, 9);
        };
    }

    /** C's {@code %.Pg} with P = {@code digits}, or {@code fallback} when that does not read back. */
    static String shortest(double v, int digits, int fallback) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        String s = percentG(v, digits);
        boolean exact = digits == 15 ? Double.parseDouble(s) == v : Float.parseFloat(s) == (float) v;
        return exact ? s : percentG(v, fallback);
    }

    private static String percentG(double v, int p) {
        if (v == 0) return (1 / v < 0) ? "-0" : "0";
        BigDecimal d = new BigDecimal(v).round(new MathContext(p));
        int x = d.precision() - d.scale() - 1; // decimal exponent of the rounded value
        if (x < -4 || x >= p) {
            BigDecimal m = d.movePointLeft(x).stripTrailingZeros();
            String e = (x < 0 ? "-" : "+") + (Math.abs(x) < 10 ? "0" : "") + Math.abs(x);
            return m.toPlainString() + "e" + e;
        }
        return d.stripTrailingZeros().toPlainString();
    }
}
