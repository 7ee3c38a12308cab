package dev.tfjit.ir.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Hand-written, vectorizable loops for the hottest unary ops on a contiguous buffer, flushing
 * subnormals the way {@link DenseArith} does: compute a chunk with plain arithmetic, check
 * inputs and results for subnormals with an OR-reduction over their bits, and recompute only a
 * chunk that has one.
 */
public enum DenseUnary {
    NEG, ABS, SQUARE, RELU;

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;

    private static final int CHUNK = 2048;

    /** Computes {@code o[i] = op(s[i])} for {@code i < n}; false (doing nothing) for compute types without loops. */
    boolean run(ComputeType c, MemorySegment o, MemorySegment s, long n) {
        switch (c) {
            case F32 -> f32(o, s, n);
            case F64 -> f64(o, s, n);
            case I32 -> i32(o, s, n);
            case I64 -> i64(o, s, n);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void f32(MemorySegment o, MemorySegment s, long n) {
        for (long base = 0; base < n; base += CHUNK) {
            int len = (int) Math.min(CHUNK, n - base);
            switch (this) {
                case NEG -> {
                    for (int i = 0; i < len; i++) o.setAtIndex(F, base + i, -s.getAtIndex(F, base + i));
                }
                case ABS -> {
                    for (int i = 0; i < len; i++) o.setAtIndex(F, base + i, Math.abs(s.getAtIndex(F, base + i)));
                }
                case SQUARE -> {
                    for (int i = 0; i < len; i++) {
                        var x = s.getAtIndex(F, base + i);
                        o.setAtIndex(F, base + i, x * x);
                    }
                }
                case RELU -> {
                    for (int i = 0; i < len; i++) {
                        var x = s.getAtIndex(F, base + i);
                        o.setAtIndex(F, base + i, x < 0 ? 0f : x); // not Math.max: relu(-0.0) is -0.0 in TF
                    }
                }
            }
            if ((DenseArith.subnormalFlags32(s, base, len) | DenseArith.subnormalFlags32(o, base, len)) < 0) {
                for (int i = 0; i < len; i++) o.setAtIndex(F, base + i, Fn.ftz(exact(Fn.ftz(s.getAtIndex(F, base + i)))));
            }
        }
    }

    private void f64(MemorySegment o, MemorySegment s, long n) {
        for (long base = 0; base < n; base += CHUNK) {
            int len = (int) Math.min(CHUNK, n - base);
            switch (this) {
                case NEG -> {
                    for (int i = 0; i < len; i++) o.setAtIndex(D, base + i, -s.getAtIndex(D, base + i));
                }
                case ABS -> {
                    for (int i = 0; i < len; i++) o.setAtIndex(D, base + i, Math.abs(s.getAtIndex(D, base + i)));
                }
                case SQUARE -> {
                    for (int i = 0; i < len; i++) {
                        var x = s.getAtIndex(D, base + i);
                        o.setAtIndex(D, base + i, x * x);
                    }
                }
                case RELU -> {
                    for (int i = 0; i < len; i++) {
                        var x = s.getAtIndex(D, base + i);
                        o.setAtIndex(D, base + i, x < 0 ? 0.0 : x); // not Math.max: relu(-0.0) is -0.0 in TF
                    }
                }
            }
            if ((DenseArith.subnormalFlags64(s, base, len) | DenseArith.subnormalFlags64(o, base, len)) < 0) {
                for (int i = 0; i < len; i++) o.setAtIndex(D, base + i, Fn.ftz(exact(Fn.ftz(s.getAtIndex(D, base + i)))));
            }
        }
    }

    private void i32(MemorySegment o, MemorySegment s, long n) {
        for (long base = 0; base < n; base += CHUNK) {
            int len = (int) Math.min(CHUNK, n - base);
            switch (this) {
                case NEG -> {
                    for (int i = 0; i < len; i++) o.setAtIndex(I, base + i, -s.getAtIndex(I, base + i));
                }
                case ABS -> {
                    for (int i = 0; i < len; i++) o.setAtIndex(I, base + i, Math.abs(s.getAtIndex(I, base + i)));
                }
                case SQUARE -> {
                    for (int i = 0; i < len; i++) {
                        var x = s.getAtIndex(I, base + i);
                        o.setAtIndex(I, base + i, x * x);
                    }
                }
                case RELU -> {
                    for (int i = 0; i < len; i++) o.setAtIndex(I, base + i, Math.max(s.getAtIndex(I, base + i), 0));
                }
            }
        }
    }

    private void i64(MemorySegment o, MemorySegment s, long n) {
        for (long base = 0; base < n; base += CHUNK) {
            int len = (int) Math.min(CHUNK, n - base);
            switch (this) {
                case NEG -> {
                    for (int i = 0; i < len; i++) o.setAtIndex(L, base + i, -s.getAtIndex(L, base + i));
                }
                case ABS -> {
                    for (int i = 0; i < len; i++) o.setAtIndex(L, base + i, Math.abs(s.getAtIndex(L, base + i)));
                }
                case SQUARE -> {
                    for (int i = 0; i < len; i++) {
                        var x = s.getAtIndex(L, base + i);
                        o.setAtIndex(L, base + i, x * x);
                    }
                }
                case RELU -> {
                    for (int i = 0; i < len; i++) o.setAtIndex(L, base + i, Math.max(s.getAtIndex(L, base + i), 0L));
                }
            }
        }
    }

    private float exact(float x) {
        return switch (this) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SQUARE -> x * x;
            case RELU -> x < 0 ? 0f : x;
        };
    }

    private double exact(double x) {
        return switch (this) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SQUARE -> x * x;
            case RELU -> x < 0 ? 0.0 : x;
        };
    }
}
