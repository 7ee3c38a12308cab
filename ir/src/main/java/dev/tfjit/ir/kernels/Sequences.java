package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Kernels that lay out arithmetic sequences: range, linspace and identity matrices. */
public final class Sequences {
    private Sequences() {}

    /**
     * TensorFlow's {@code Range}: {@code start, start+delta, ...} up to but excluding {@code limit}.
     * Like TF the value is accumulated ({@code val += delta}) in the dtype, so float sequences
     * carry the same rounding as TF's; integer sizes use ceiling division.
     */
    public static Buffer range(Buffer start, Buffer limit, Buffer delta) {
        DType t = start.dtype();
        if (t.isFloating()) {
            double s = start.getDouble(0), l = limit.getDouble(0), d = delta.getDouble(0);
            checkRange(s, l, d, start, limit, delta);
            double count = Math.ceil(Math.abs((l - s) / d));
            if (t == DType.FLOAT32) count = Math.ceil(Math.abs((float) ((float) l - (float) s) / (float) d));
            if (!(count <= Integer.MAX_VALUE)) {
                throw new InvalidArgumentError("Requires ((limit - start) / delta) <= " + Integer.MAX_VALUE + " elements, got " + count);
            }
            Buffer out = Buffer.allocate(t, Shape.of((int) count));
            MemorySegment o = out.segment();
            int n = (int) count;
            if (t == DType.FLOAT32) {
                float v = (float) s, fd = (float) d;
                for (int i = 0; i < n; i++, v += fd) o.setAtIndex(ValueLayout.JAVA_FLOAT, i, v);
            } else if (t == DType.FLOAT64) {
                double v = s;
                for (int i = 0; i < n; i++, v += d) o.setAtIndex(ValueLayout.JAVA_DOUBLE, i, v);
            } else {
                float v = (float) s, fd = (float) d; // half types accumulate in float, then round per element
                for (int i = 0; i < n; i++, v += fd) out.setDouble(i, v);
            }
            return out;
        }
        long s = start.getLong(0), l = limit.getLong(0), d = delta.getLong(0);
        checkRange(s, l, d, start, limit, delta);
        long count = Math.ceilDiv(Math.abs(l - s), Math.abs(d));
        if (count > Integer.MAX_VALUE) throw new InvalidArgumentError("range of " + count + " elements is too large");
        Buffer out = Buffer.allocate(t, Shape.of((int) count));
        MemorySegment o = out.segment();
        int n = (int) count;
        if (t == DType.INT32) {
            int v = (int) s, id = (int) d;
            for (int i = 0; i < n; i++, v += id) o.setAtIndex(ValueLayout.JAVA_INT, i, v);
        } else {
            long v = s;
            for (int i = 0; i < n; i++, v += d) out.setLong(i, v);
        }
        return out;
    }

    private static void checkRange(double s, double l, double d, Buffer start, Buffer limit, Buffer delta) {
        if (d == 0) throw new InvalidArgumentError("Requires delta != 0: " + text(delta));
        if (d > 0 && !(s <= l)) {
            throw new InvalidArgumentError("Requires start <= limit when delta > 0: " + text(start) + "/" + text(limit));
        }
        if (d < 0 && !(s >= l)) {
            throw new InvalidArgumentError("Requires start >= limit when delta < 0: " + text(start) + "/" + text(limit));
        }
    }

    /** A scalar as TensorFlow's StrCat prints it: {@code 5}, {@code -2.5}. */
    static String text(Buffer scalar) {
        if (!scalar.dtype().isFloating()) return Long.toString(scalar.getLong(0));
        double v = scalar.getDouble(0);
        if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return scalar.dtype() == DType.FLOAT64 ? Double.toString(v) : Float.toString((float) v);
    }

    /**
     * {@code num} evenly spaced values from {@code start} to {@code stop} inclusive, with the
     * arithmetic of TF's {@code linspace_nd}: {@code delta = (stop - start) / max(num - 1, 1)},
     * interior points {@code start + delta * i}, and the end points copied exactly.
     */
    public static Buffer linspace(Buffer start, Buffer stop, int num) {
        DType t = start.dtype();
        Buffer out = Buffer.allocate(t, Shape.of(num));
        if (num == 0) return out;
        MemorySegment o = out.segment();
        if (t == DType.FLOAT64) {
            double s = start.getDouble(0), e = stop.getDouble(0);
            double delta = Fn.ftz((e - s) / Math.max(num - 1, 1));
            o.setAtIndex(ValueLayout.JAVA_DOUBLE, 0, s);
            for (int i = 1; i < num - 1; i++) o.setAtIndex(ValueLayout.JAVA_DOUBLE, i, Fn.ftz(s + Fn.ftz(delta * i)));
            if (num > 1) o.setAtIndex(ValueLayout.JAVA_DOUBLE, num - 1, e);
        } else {
            // float32 and the half types compute in float32, as TF's CPU kernels do.
            float s = (float) start.getDouble(0), e = (float) stop.getDouble(0);
            float delta = Fn.ftz((e - s) / (float) Math.max(num - 1, 1));
            out.setDouble(0, s);
            for (int i = 1; i < num - 1; i++) out.setDouble(i, Fn.ftz(s + Fn.ftz(delta * (float) i)));
            if (num > 1) out.setDouble(num - 1, e);
        }
        return out;
    }

    /** A batch of {@code rows x cols} matrices with ones on the main diagonal. */
    public static Buffer eye(DType t, Shape shape) {
        Buffer out = Buffer.allocate(t, shape);
        int r = shape.rank();
        int rows = shape.dim(r - 2), cols = shape.dim(r - 1);
        long matrices = rows == 0 || cols == 0 ? 0 : out.size() / ((long) rows * cols);
        int diag = Math.min(rows, cols);
        for (long m = 0; m < matrices; m++) {
            long base = m * rows * cols;
            for (int i = 0; i < diag; i++) out.setLong(base + (long) i * cols + i, 1);
        }
        return out;
    }
}
