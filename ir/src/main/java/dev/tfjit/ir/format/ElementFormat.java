package dev.tfjit.ir.format;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * How one element of an array is written, chosen once per printed array from the elements that
 * will be shown (NumPy's {@code _get_format_function}).
 */
sealed interface ElementFormat
        permits FloatingFormat, ElementFormat.IntegerFormat, ElementFormat.BoolFormat,
                ElementFormat.BytesFormat, ElementFormat.CFloatFormat {

    String format(Buffer b, long i);

    static ElementFormat of(Buffer b, long[] shown) {
        return switch (b.dtype()) {
            case FLOAT16, FLOAT32, FLOAT64 -> FloatingFormat.of(b, shown);
            // ml_dtypes' bfloat16 is not a NumPy floating type: NumPy prints each element's own repr.
            case BFLOAT16 -> new CFloatFormat();
            case BOOL -> new BoolFormat(b.shape().rank() > 0);
            case STRING -> new BytesFormat();
            case INT8, UINT8, INT16, INT32, INT64 -> IntegerFormat.of(b, shown);
        };
    }

    /** Integers right-aligned to the widest of the largest and smallest value shown. */
    record IntegerFormat(int width) implements ElementFormat {
        static IntegerFormat of(Buffer b, long[] shown) {
            if (shown.length == 0) return new IntegerFormat(0);
            long max = Long.MIN_VALUE, min = Long.MAX_VALUE;
            for (long i : shown) {
                long v = b.getLong(i);
                max = Math.max(max, v);
                min = Math.min(min, v);
            }
            return new IntegerFormat(Math.max(Long.toString(max).length(), Long.toString(min).length()));
        }

        @Override
        public String format(Buffer b, long i) { return FloatingFormat.padStart(Long.toString(b.getLong(i)), width); }
    }

    /** {@code " True"} so it lines up with {@code "False"}, except in a scalar. */
    record BoolFormat(boolean aligned) implements ElementFormat {
        @Override
        public String format(Buffer b, long i) { return b.getBoolean(i) ? (aligned ? " True" : "True") : "False"; }
    }

    /** TensorFlow hands strings to NumPy as Python bytes, so they print as {@code b'...'} of their UTF-8. */
    record BytesFormat() implements ElementFormat {
        @Override
        public String format(Buffer b, long i) { return bytesRepr(b.getString(i)); }

        /** Python's {@code repr(bytes)}: single quotes unless only double quotes avoid escaping. */
        static String bytesRepr(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            boolean hasSingle = s.indexOf('\'') >= 0, hasDouble = s.indexOf('"') >= 0;
            char quote = hasSingle && !hasDouble ? '"' : '\'';
            StringBuilder sb = new StringBuilder("b").append(quote);
            for (byte raw : bytes) {
                int c = raw & 0xff;
                if (c == quote || c == '\\') sb.append('\\').append((char) c);
                else if (c == '\t') sb.append("\\t");
                else if (c == '\n') sb.append("\\n");
                else if (c == '\r') sb.append("\\r");
                else if (c < 0x20 || c >= 0x7f) sb.append(String.format("\\x%02x", c));
                else sb.append((char) c);
            }
            return sb.append(quote).toString();
        }
    }

    /**
     * bfloat16 elements as ml_dtypes writes them: C++ {@code ostream << float}, i.e. {@code %g}
     * with 6 significant digits, trailing zeros removed ({@code 1}, {@code 0.5}, {@code 3.14062}).
     */
    record CFloatFormat() implements ElementFormat {
        @Override
        public String format(Buffer b, long i) { return percentG(b.getDouble(i), 6); }

        static String percentG(double v, int precision) {
            if (Double.isNaN(v)) return "nan";
            if (Double.isInfinite(v)) return v < 0 ? "-inf" : "inf";
            String sign = Double.doubleToRawLongBits(v) < 0 ? "-" : "";
            double a = Math.abs(v);
            if (a == 0) return sign + "0";
            BigDecimal rounded = FloatDigits.exact(a)
                    .round(new MathContext(precision, RoundingMode.HALF_EVEN));
            int exp = FloatDigits.exponent(rounded);
            if (exp >= -4 && exp < precision) {
                return sign + rounded.stripTrailingZeros().toPlainString();
            }
            String[] p = FloatDigits.scientificParts(rounded, 0);
            return sign + p[0] + (p[1].isEmpty() ? "" : "." + p[1]) + FloatDigits.exponentText(exp, 2);
        }
    }

    /**
     * A lone element as NumPy's scalar {@code str} writes it (what TensorFlow prints for a
     * rank-0 tensor): floats positional with at least one fraction digit between 1e-4 and 1e16,
     * scientific without a trailing point outside that range.
     */
    static String scalarText(Buffer b) {
        DType dtype = b.dtype();
        return switch (dtype) {
            case FLOAT16, FLOAT32, FLOAT64 -> floatScalarText(b.getDouble(0), dtype);
            case BFLOAT16 -> CFloatFormat.percentG(b.getDouble(0), 6);
            case BOOL -> b.getBoolean(0) ? "True" : "False";
            case STRING -> BytesFormat.bytesRepr(b.getString(0));
            case INT8, UINT8, INT16, INT32, INT64 -> Long.toString(b.getLong(0));
        };
    }

    private static String floatScalarText(double v, DType dtype) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v < 0 ? "-inf" : "inf";
        String sign = Double.doubleToRawLongBits(v) < 0 ? "-" : "";
        double a = Math.abs(v);
        BigDecimal d = FloatDigits.shortest(a, dtype);
        if (a == 0 || (a >= 1e-4 && a < 1e16)) {
            String[] p = FloatDigits.positionalParts(d);
            return sign + p[0] + "." + (p[1].isEmpty() ? "0" : p[1]);
        }
        String[] p = FloatDigits.scientificParts(d, 0);
        return sign + p[0] + (p[1].isEmpty() ? "" : "." + p[1]) + FloatDigits.exponentText(Integer.parseInt(p[2]), 2);
    }
}
