package dev.tfjit.tests.goldens;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;

import java.util.Set;

/**
 * How a tfjit result is compared with TensorFlow's, following the goldens README: exact for
 * integers, bools and data movement; a few ulp for transcendental math; a relative tolerance for
 * accumulations (reductions, norms, matmul, losses), whose summation order may differ. NaN must
 * match NaN, infinities must match exactly; signed zeros are not distinguished.
 */
final class GoldenComparison {
    private static final Set<String> ACCUMULATING = Set.of("reduce", "matmul", "norm", "clip", "softmax", "loss");
    private static final Set<String> TRANSCENDENTAL = Set.of("unary", "activation");
    private static final Set<String> TRANSCENDENTAL_OPS = Set.of("pow");

    private GoldenComparison() {}

    /** Returns null when equal, else a description of the first difference. */
    static String difference(GoldenCase c, Buffer expected, Buffer actual) {
        if (expected.dtype() != actual.dtype()) return "dtype " + actual.dtype() + ", TensorFlow gives " + expected.dtype();
        if (!expected.shape().equals(actual.shape())) return "shape " + actual.shape() + ", TensorFlow gives " + expected.shape();
        DType t = expected.dtype();
        for (long i = 0; i < expected.size(); i++) {
            if (!t.isFloating()) {
                if (expected.getLong(i) != actual.getLong(i)) {
                    return "element " + i + " is " + actual.getLong(i) + ", TensorFlow gives " + expected.getLong(i);
                }
                continue;
            }
            double e = expected.getDouble(i);
            double a = actual.getDouble(i);
            if (!close(c, t, e, a)) return "element " + i + " is " + a + ", TensorFlow gives " + e;
        }
        return null;
    }

    private static boolean close(GoldenCase c, DType t, double e, double a) {
        if (Double.isNaN(e) || Double.isNaN(a)) return Double.isNaN(e) && Double.isNaN(a);
        if (Double.isInfinite(e) || Double.isInfinite(a)) return e == a;
        if (e == a) return true;
        double ulp = t == DType.FLOAT32 ? Math.ulp((float) e) : Math.ulp(e);
        if (ACCUMULATING.contains(c.family())) {
            double rel = t == DType.FLOAT32 ? 2e-6 : 1e-12;
            return Math.abs(a - e) <= Math.max(4 * ulp, rel * Math.abs(e)) || Math.abs(a - e) <= rel;
        }
        if (TRANSCENDENTAL.contains(c.family()) || TRANSCENDENTAL_OPS.contains(c.op())) {
            return Math.abs(a - e) <= 4 * ulp;
        }
        return false;
    }
}
