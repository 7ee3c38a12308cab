package dev.tfjit.ir.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Hand-written loops for the hottest arithmetic on dense operands (same shape, or one side a
 * scalar). A loop that calls a scalar function through an interface cannot be vectorized once
 * several ops share it, so each op here has its own plain indexed loops, which C2 turns into
 * SIMD code.
 *
 * <p>Flush-to-zero without a branch per element: each chunk is computed with plain IEEE
 * arithmetic, then checked for subnormals (inputs or results) with an integer OR-reduction over
 * the raw bits, which also vectorizes. Only a chunk that holds a subnormal is recomputed
 * element by element with flushing; for add/sub/mul/div that gives exactly the flushed result,
 * because without subnormal inputs or outputs the flush changes nothing.
 */
public enum DenseArith {
    ADD, SUB, MUL, DIV;

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;

    /** Elements per chunk: three float chunks stay in L1 between computing and checking. */
    private static final int CHUNK = 2048;

    /**
     * Computes {@code o = a op b} for {@code n} elements, a scalar operand read at index 0.
     * Returns false (doing nothing) for compute types without dense loops.
     */
    boolean run(ComputeType c, MemorySegment o, MemorySegment a, boolean aScalar, MemorySegment b, boolean bScalar, long n) {
        switch (c) {
            case F32 -> f32(o, a, aScalar, b, bScalar, n);
            case F64 -> f64(o, a, aScalar, b, bScalar, n);
            case I32 -> {
                if (this == DIV) return false;
                i32(o, a, aScalar, b, bScalar, n);
            }
            case I64 -> {
                if (this == DIV) return false;
                i64(o, a, aScalar, b, bScalar, n);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private void f32(MemorySegment o, MemorySegment a, boolean aScalar, MemorySegment b, boolean bScalar, long n) {
        float sa = aScalar ? a.getAtIndex(F, 0) : 0f, sb = bScalar ? b.getAtIndex(F, 0) : 0f;
        boolean scalarSubnormal = (aScalar && isSubnormal(sa)) || (bScalar && isSubnormal(sb));
        for (long base = 0; base < n; base += CHUNK) {
            int len = (int) Math.min(CHUNK, n - base);
            switch (this) {
                case ADD -> {
                    if (aScalar) for (int i = 0; i < len; i++) o.setAtIndex(F, base + i, (sa + b.getAtIndex(F, base + i)));
                    else if (bScalar) for (int i = 0; i < len; i++) o.setAtIndex(F, base + i, (a.getAtIndex(F, base + i) + sb));
                    else for (int i = 0; i < len; i++) o.setAtIndex(F, base + i, (a.getAtIndex(F, base + i) + b.getAtIndex(F, base + i)));
                }
                case SUB -> {
                    if (aScalar) for (int i = 0; i < len; i++) o.setAtIndex(F, base + i, (sa - b.getAtIndex(F, base + i)));
                    else if (bScalar) for (int i = 0; i < len; i++) o.setAtIndex(F, base + i, (a.getAtIndex(F, base + i) - sb));
                    else for (int i = 0; i < len; i++) o.setAtIndex(F, base + i, (a.getAtIndex(F, base + i) - b.getAtIndex(F, base + i)));
                }
                case MUL -> {
                    if (aScalar) for (int i = 0; i < len; i++) o.setAtIndex(F, base + i, (sa * b.getAtIndex(F, base + i)));
                    else if (bScalar) for (int i = 0; i < len; i++) o.setAtIndex(F, base + i, (a.getAtIndex(F, base + i) * sb));
                    else for (int i = 0; i < len; i++) o.setAtIndex(F, base + i, (a.getAtIndex(F, base + i) * b.getAtIndex(F, base + i)));
                }
                case DIV -> {
                    if (aScalar) for (int i = 0; i < len; i++) o.setAtIndex(F, base + i, (sa / b.getAtIndex(F, base + i)));
                    else if (bScalar) for (int i = 0; i < len; i++) o.setAtIndex(F, base + i, (a.getAtIndex(F, base + i) / sb));
                    else for (int i = 0; i < len; i++) o.setAtIndex(F, base + i, (a.getAtIndex(F, base + i) / b.getAtIndex(F, base + i)));
                }
            }
            int flags = aScalar ? 0 : subnormalFlags32(a, base, len);
            if (!bScalar) flags |= subnormalFlags32(b, base, len);
            flags |= subnormalFlags32(o, base, len);
            if (flags < 0 || scalarSubnormal) {
                for (int i = 0; i < len; i++) {
                    float x = aScalar ? sa : a.getAtIndex(F, base + i), y = bScalar ? sb : b.getAtIndex(F, base + i);
                    o.setAtIndex(F, base + i, Fn.ftz(exact(Fn.ftz(x), Fn.ftz(y))));
                }
            }
        }
    }

    private void f64(MemorySegment o, MemorySegment a, boolean aScalar, MemorySegment b, boolean bScalar, long n) {
        double sa = aScalar ? a.getAtIndex(D, 0) : 0, sb = bScalar ? b.getAtIndex(D, 0) : 0;
        boolean scalarSubnormal = (aScalar && isSubnormal(sa)) || (bScalar && isSubnormal(sb));
        for (long base = 0; base < n; base += CHUNK) {
            int len = (int) Math.min(CHUNK, n - base);
            switch (this) {
                case ADD -> {
                    if (aScalar) for (int i = 0; i < len; i++) o.setAtIndex(D, base + i, (sa + b.getAtIndex(D, base + i)));
                    else if (bScalar) for (int i = 0; i < len; i++) o.setAtIndex(D, base + i, (a.getAtIndex(D, base + i) + sb));
                    else for (int i = 0; i < len; i++) o.setAtIndex(D, base + i, (a.getAtIndex(D, base + i) + b.getAtIndex(D, base + i)));
                }
                case SUB -> {
                    if (aScalar) for (int i = 0; i < len; i++) o.setAtIndex(D, base + i, (sa - b.getAtIndex(D, base + i)));
                    else if (bScalar) for (int i = 0; i < len; i++) o.setAtIndex(D, base + i, (a.getAtIndex(D, base + i) - sb));
                    else for (int i = 0; i < len; i++) o.setAtIndex(D, base + i, (a.getAtIndex(D, base + i) - b.getAtIndex(D, base + i)));
                }
                case MUL -> {
                    if (aScalar) for (int i = 0; i < len; i++) o.setAtIndex(D, base + i, (sa * b.getAtIndex(D, base + i)));
                    else if (bScalar) for (int i = 0; i < len; i++) o.setAtIndex(D, base + i, (a.getAtIndex(D, base + i) * sb));
                    else for (int i = 0; i < len; i++) o.setAtIndex(D, base + i, (a.getAtIndex(D, base + i) * b.getAtIndex(D, base + i)));
                }
                case DIV -> {
                    if (aScalar) for (int i = 0; i < len; i++) o.setAtIndex(D, base + i, (sa / b.getAtIndex(D, base + i)));
                    else if (bScalar) for (int i = 0; i < len; i++) o.setAtIndex(D, base + i, (a.getAtIndex(D, base + i) / sb));
                    else for (int i = 0; i < len; i++) o.setAtIndex(D, base + i, (a.getAtIndex(D, base + i) / b.getAtIndex(D, base + i)));
                }
            }
            long flags = aScalar ? 0 : subnormalFlags64(a, base, len);
            if (!bScalar) flags |= subnormalFlags64(b, base, len);
            flags |= subnormalFlags64(o, base, len);
            if (flags < 0 || scalarSubnormal) {
                for (int i = 0; i < len; i++) {
                    double x = aScalar ? sa : a.getAtIndex(D, base + i), y = bScalar ? sb : b.getAtIndex(D, base + i);
                    o.setAtIndex(D, base + i, Fn.ftz(exact(Fn.ftz(x), Fn.ftz(y))));
                }
            }
        }
    }

    private void i32(MemorySegment o, MemorySegment a, boolean aScalar, MemorySegment b, boolean bScalar, long n) {
        int sa = aScalar ? a.getAtIndex(I, 0) : 0, sb = bScalar ? b.getAtIndex(I, 0) : 0;
        for (long base = 0; base < n; base += CHUNK) {
            int len = (int) Math.min(CHUNK, n - base);
            switch (this) {
                case ADD -> {
                    if (aScalar) for (int i = 0; i < len; i++) o.setAtIndex(I, base + i, (sa + b.getAtIndex(I, base + i)));
                    else if (bScalar) for (int i = 0; i < len; i++) o.setAtIndex(I, base + i, (a.getAtIndex(I, base + i) + sb));
                    else for (int i = 0; i < len; i++) o.setAtIndex(I, base + i, (a.getAtIndex(I, base + i) + b.getAtIndex(I, base + i)));
                }
                case SUB -> {
                    if (aScalar) for (int i = 0; i < len; i++) o.setAtIndex(I, base + i, (sa - b.getAtIndex(I, base + i)));
                    else if (bScalar) for (int i = 0; i < len; i++) o.setAtIndex(I, base + i, (a.getAtIndex(I, base + i) - sb));
                    else for (int i = 0; i < len; i++) o.setAtIndex(I, base + i, (a.getAtIndex(I, base + i) - b.getAtIndex(I, base + i)));
                }
                case MUL -> {
                    if (aScalar) for (int i = 0; i < len; i++) o.setAtIndex(I, base + i, (sa * b.getAtIndex(I, base + i)));
                    else if (bScalar) for (int i = 0; i < len; i++) o.setAtIndex(I, base + i, (a.getAtIndex(I, base + i) * sb));
                    else for (int i = 0; i < len; i++) o.setAtIndex(I, base + i, (a.getAtIndex(I, base + i) * b.getAtIndex(I, base + i)));
                }
                case DIV -> throw new IllegalStateException("integer division has no dense loop");
            }
        }
    }

    private void i64(MemorySegment o, MemorySegment a, boolean aScalar, MemorySegment b, boolean bScalar, long n) {
        long sa = aScalar ? a.getAtIndex(L, 0) : 0, sb = bScalar ? b.getAtIndex(L, 0) : 0;
        for (long base = 0; base < n; base += CHUNK) {
            int len = (int) Math.min(CHUNK, n - base);
            switch (this) {
                case ADD -> {
                    if (aScalar) for (int i = 0; i < len; i++) o.setAtIndex(L, base + i, (sa + b.getAtIndex(L, base + i)));
                    else if (bScalar) for (int i = 0; i < len; i++) o.setAtIndex(L, base + i, (a.getAtIndex(L, base + i) + sb));
                    else for (int i = 0; i < len; i++) o.setAtIndex(L, base + i, (a.getAtIndex(L, base + i) + b.getAtIndex(L, base + i)));
                }
                case SUB -> {
                    if (aScalar) for (int i = 0; i < len; i++) o.setAtIndex(L, base + i, (sa - b.getAtIndex(L, base + i)));
                    else if (bScalar) for (int i = 0; i < len; i++) o.setAtIndex(L, base + i, (a.getAtIndex(L, base + i) - sb));
                    else for (int i = 0; i < len; i++) o.setAtIndex(L, base + i, (a.getAtIndex(L, base + i) - b.getAtIndex(L, base + i)));
                }
                case MUL -> {
                    if (aScalar) for (int i = 0; i < len; i++) o.setAtIndex(L, base + i, (sa * b.getAtIndex(L, base + i)));
                    else if (bScalar) for (int i = 0; i < len; i++) o.setAtIndex(L, base + i, (a.getAtIndex(L, base + i) * sb));
                    else for (int i = 0; i < len; i++) o.setAtIndex(L, base + i, (a.getAtIndex(L, base + i) * b.getAtIndex(L, base + i)));
                }
                case DIV -> throw new IllegalStateException("integer division has no dense loop");
            }
        }
    }

    private float exact(float x, float y) {
        return switch (this) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
        };
    }

    private double exact(double x, double y) {
        return switch (this) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
        };
    }

    private static boolean isSubnormal(float x) { return x != 0 && Math.abs(x) < Float.MIN_NORMAL; }

    private static boolean isSubnormal(double x) { return x != 0 && Math.abs(x) < Double.MIN_NORMAL; }

    /**
     * Negative when a float in the range is subnormal: with m = |bits| - 1, subnormals are
     * exactly the m in [0, 0x7ffffe], where both ~m and m - 0x7fffff have the sign bit set
     * (zero gives m = -1, normals, infinities and NaNs give m >= 0x7fffff).
     */
    private static int subnormalFlags32(MemorySegment s, long base, int len) {
        int acc = 0;
        for (int i = 0; i < len; i++) {
            int m = (s.getAtIndex(I, base + i) & 0x7fffffff) - 1;
            acc |= ~m & (m - 0x7fffff);
        }
        return acc;
    }

    /** The float64 version of {@link #subnormalFlags32}. */
    private static long subnormalFlags64(MemorySegment s, long base, int len) {
        long acc = 0;
        for (int i = 0; i < len; i++) {
            long m = (s.getAtIndex(L, base + i) & 0x7fffffffffffffffL) - 1;
            acc |= ~m & (m - 0xfffffffffffffL);
        }
        return acc;
    }
}
