package dev.tfjit.tracer;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;

import java.math.BigDecimal;

/** Python's {@code repr} of a ragged tensor's {@code to_list()}: {@code [[1, 2], [3]]}, {@code [[b'a'], []]}. */
final class RaggedFormat {
    private RaggedFormat() {}

    static String toPythonList(Buffer values, long[] splits) {
        long w = 1;
        for (int d = 1; d < values.shape().rank(); d++) w *= values.shape().dim(d);
        int[] inner = java.util.Arrays.copyOfRange(values.shape().dims(), 1, values.shape().rank());
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i + 1 < splits.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append('[');
            for (long k = splits[i]; k < splits[i + 1]; k++) {
                if (k > splits[i]) sb.append(", ");
                appendNested(sb, values, k * w, inner, 0);
            }
            sb.append(']');
        }
        return sb.append(']').toString();
    }

    private static void appendNested(StringBuilder sb, Buffer b, long offset, int[] dims, int depth) {
        if (depth == dims.length) {
            sb.append(element(b, offset));
            return;
        }
        long stride = 1;
        for (int d = depth + 1; d < dims.length; d++) stride *= dims[d];
        sb.append('[');
        for (int j = 0; j < dims[depth]; j++) {
            if (j > 0) sb.append(", ");
            appendNested(sb, b, offset + j * stride, dims, depth + 1);
        }
        sb.append(']');
    }

    private static String element(Buffer b, long i) {
        DType t = b.dtype();
        if (t == DType.STRING) return "b'" + b.getString(i).replace("\\", "\\\\").replace("'", "\\'") + "'";
        if (t == DType.BOOL) return b.getBoolean(i) ? "True" : "False";
        if (t.isInteger()) return Long.toString(b.getLong(i));
        return pythonFloat(b.getDouble(i));
    }

    /** Python's shortest {@code repr} of a float: {@code 1.0}, {@code 0.1}, {@code 1e-05}, {@code 1e+16}, {@code nan}. */
    static String pythonFloat(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        if (d == 0) return (1 / d < 0) ? "-0.0" : "0.0";
        BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int exp = bd.precision() - bd.scale() - 1;
        if (exp >= -4 && exp < 16) {
            String s = bd.toPlainString();
            return s.contains(".") ? s : s + ".0";
        }
        String digits = bd.unscaledValue().abs().toString();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (d < 0 ? "-" : "") + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
}
