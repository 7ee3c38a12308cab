package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

import static dev.tfjit.ir.kernels.Fn.ftz;

/**
 * The {@code reduce_*} family: typing and a reference kernel. Attributes: {@code axis} (a list;
 * absent reduces every dim) and {@code keepdims}. The reduced dims are permuted innermost so
 * every output element reduces one contiguous row (no copy when they already are).
 */
public final class Reduce {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfByte B = ValueLayout.JAVA_BYTE;

    /**
     * The order of float sums over a row (and of float max/min), chosen so that both the
     * interpreter and vectorized native code follow it exactly: up to {@code SEQUENTIAL}
     * elements add left to right; up to {@code LEAF} elements accumulate in {@code LANES}
     * interleaved lanes (element i into lane i mod LANES, each lane from +0), and the lanes are
     * then added as a tree (lane j += lane j + w for w = 16, 8, 4, 2, 1); longer rows split at a
     * leaf boundary near the middle ({@link #pairwiseLeft}) and add the halves' sums. The error
     * grows with log n, not n, as in TF's tree reductions. Max/min use the lanes over the whole row.
     */
    public static final int SEQUENTIAL = 16, LANES = 32, LEAF = 256;

    /** What a reduction computes. */
    public enum Kind {
        SUM, PROD, MAX, MIN, MEAN, ANY, ALL;

        boolean isLogical() { return this == ANY || this == ALL; }
    }

    private Reduce() {}

    public static long[] axes(Attrs a) { return a.has("axis") ? a.getLongs("axis") : null; }

    public static TensorType type(String op, Kind kind, List<TensorType> in, Attrs a) {
        TensorType x = in.get(0);
        DType t = x.dtype();
        boolean ok = kind.isLogical() ? t == DType.BOOL : t.isNumeric();
        if (!ok) throw new DTypeError("Value for attr 'T' of " + t + " is not in the list of allowed values for " + op);
        if (!x.shape().hasRank()) return new TensorType(t, Shape.unknownRank());
        boolean[] mask = ReductionAxes.reductionMask(axes(a), x.shape().rank());
        return new TensorType(t, ReductionAxes.reducedShape(x.shape(), mask, a.getBool("keepdims", false)));
    }

    public static Buffer run(Kind kind, Buffer x, Attrs a) {
        DType t = x.dtype();
        boolean[] mask = ReductionAxes.reductionMask(axes(a), x.shape().rank());
        Shape outShape = ReductionAxes.reducedShape(x.shape(), mask, a.getBool("keepdims", false));
        ComputeType c = ComputeType.of(t);
        long n = 1;
        int[] d = x.shape().dims();
        for (int i = 0; i < d.length; i++) if (mask[i]) n *= d[i];
        Buffer r = Buffer.allocate(c.dtype(), outShape);
        long outer = r.size();
        boolean floatSum = (kind == Kind.SUM || kind == Kind.MEAN) && (c == ComputeType.F32 || c == ComputeType.F64);
        // TF sums leading axes with Eigen's column-preserving loop; following its order keeps
        // float results identical instead of merely close.
        if (floatSum && !reducesTrailingDims(mask)) {
            Buffer columns = Permute.permuted(Casts.widen(x, c), maskedFirst(mask));
            columnSums(c, columns.segment(), n, outer, r.segment(), kind == Kind.MEAN);
            return Casts.narrow(r, t);
        }
        Buffer rows = Permute.permuted(Casts.widen(x, c), Permute.maskedLast(mask));
        MemorySegment s = rows.segment(), o = r.segment();
        if (kind == Kind.MEAN && c != ComputeType.F32 && c != ComputeType.F64 && n == 0 && outer > 0) {
            throw new InvalidArgumentError("integer division by zero: the mean of an empty " + t + " reduction");
        }
        for (long row = 0; row < outer; row++) {
            long off = row * n;
            switch (c) {
                case F32 -> o.setAtIndex(F, row, ftz(reduceF32(kind, s, off, n)));
                case F64 -> o.setAtIndex(D, row, ftz(reduceF64(kind, s, off, n)));
                case I32 -> o.setAtIndex(I, row, (int) reduceLong(kind, t, s, off, n, false));
                case I64 -> o.setAtIndex(L, row, reduceLong(kind, t, s, off, n, true));
                case BOOL -> o.set(B, row, reduceBool(kind, s, off, n) ? (byte) 1 : 0);
                case STRING -> throw new DTypeError("cannot reduce a string tensor");
            }
        }
        return Casts.narrow(r, t);
    }

    private static boolean reducesTrailingDims(boolean[] mask) {
        boolean seen = false;
        for (boolean m : mask) {
            if (m) seen = true;
            else if (seen) return false;
        }
        return true;
    }

    private static int[] maskedFirst(boolean[] mask) {
        boolean[] inverse = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) inverse[i] = !mask[i];
        return Permute.maskedLast(inverse);
    }

    /**
     * Sums of a {@code [n, cols]} row-major block over its rows, in the order of Eigen's
     * inner-dim-preserving reduction that TF uses for leading axes: columns in whole SIMD
     * packets of 8 keep four accumulators (rows i mod 4), the leftover rows go to the first,
     * and the four are added in order; the last {@code cols mod 8} columns sum sequentially.
     */
    private static void columnSums(ComputeType c, MemorySegment s, long n, long cols, MemorySegment o, boolean mean) {
        int k = Math.toIntExact(cols);
        int packed = k / 8 * 8;
        long unrolled = n / 4 * 4;
        if (c == ComputeType.F32) {
            float[][] acc = new float[4][k];
            for (long i = 0; i < n; i++) {
                float[] a = i < unrolled ? acc[(int) (i & 3)] : acc[0];
                long row = i * cols;
                for (int j = 0; j < packed; j++) a[j] = ftz(a[j] + ftz(s.getAtIndex(F, row + j)));
                float[] tail = acc[0];
                for (int j = packed; j < k; j++) tail[j] = ftz(tail[j] + ftz(s.getAtIndex(F, row + j)));
            }
            for (int j = 0; j < k; j++) {
                float sum = j < packed ? ftz(ftz(ftz(acc[0][j] + acc[1][j]) + acc[2][j]) + acc[3][j]) : acc[0][j];
                o.setAtIndex(F, j, ftz(mean ? sum / n : sum));
            }
        } else {
            double[][] acc = new double[4][k];
            for (long i = 0; i < n; i++) {
                double[] a = i < unrolled ? acc[(int) (i & 3)] : acc[0];
                long row = i * cols;
                for (int j = 0; j < packed; j++) a[j] = ftz(a[j] + ftz(s.getAtIndex(D, row + j)));
                double[] tail = acc[0];
                for (int j = packed; j < k; j++) tail[j] = ftz(tail[j] + ftz(s.getAtIndex(D, row + j)));
            }
            for (int j = 0; j < k; j++) {
                double sum = j < packed ? ((acc[0][j] + acc[1][j]) + acc[2][j]) + acc[3][j] : acc[0][j];
                o.setAtIndex(D, j, ftz(mean ? sum / n : sum));
            }
        }
    }

    private static float reduceF32(Kind kind, MemorySegment s, long off, long n) {
        switch (kind) {
            case SUM: return sumF32(s, off, n);
            case MEAN: return sumF32(s, off, n) / n;
            case PROD: {
                float p = 1;
                for (long i = 0; i < n; i++) p *= ftz(s.getAtIndex(F, off + i));
                return p;
            }
            case MAX: return (float) maxMin(true, true, false, s, off, n);
            case MIN: return (float) maxMin(false, true, false, s, off, n);
            default: throw new IllegalStateException(kind.name());
        }
    }

    /** How many elements of a row longer than {@link #LEAF} the first half of a pairwise sum takes: whole leaves, about half. */
    public static long pairwiseLeft(long n) {
        long leaves = (n + LEAF - 1) / LEAF;
        return (leaves + 1) / 2 * LEAF;
    }

    /** A float32 sum in the order of {@link #LEAF}: nearly correctly rounded, like TF's tree reduction. */
    static float sumF32(MemorySegment s, long off, long n) {
        if (n <= SEQUENTIAL) {
            float acc = 0;
            for (long i = 0; i < n; i++) acc += ftz(s.getAtIndex(F, off + i));
            return acc;
        }
        if (n <= LEAF) {
            float[] acc = new float[LANES];
            long whole = n / LANES * LANES;
            for (long i = 0; i < whole; i += LANES) {
                for (int j = 0; j < LANES; j++) acc[j] += ftz(s.getAtIndex(F, off + i + j));
            }
            for (int j = 0; whole + j < n; j++) acc[j] += ftz(s.getAtIndex(F, off + whole + j));
            for (int w = LANES / 2; w > 0; w /= 2) for (int j = 0; j < w; j++) acc[j] += acc[j + w];
            return acc[0];
        }
        long left = pairwiseLeft(n);
        return sumF32(s, off, left) + sumF32(s, off + left, n - left);
    }

    static double sumF64(MemorySegment s, long off, long n) {
        if (n <= SEQUENTIAL) {
            double acc = 0;
            for (long i = 0; i < n; i++) acc += ftz(s.getAtIndex(D, off + i));
            return acc;
        }
        if (n <= LEAF) {
            double[] acc = new double[LANES];
            long whole = n / LANES * LANES;
            for (long i = 0; i < whole; i += LANES) {
                for (int j = 0; j < LANES; j++) acc[j] += ftz(s.getAtIndex(D, off + i + j));
            }
            for (int j = 0; whole + j < n; j++) acc[j] += ftz(s.getAtIndex(D, off + whole + j));
            for (int w = LANES / 2; w > 0; w /= 2) for (int j = 0; j < w; j++) acc[j] += acc[j + w];
            return acc[0];
        }
        long left = pairwiseLeft(n);
        return sumF64(s, off, left) + sumF64(s, off + left, n - left);
    }

    /** Whether max/min takes {@code x} over the running {@code a}: it is better, or NaN (NaN wins, as in TF). */
    private static boolean takes(boolean max, double x, double a) { return (max ? x > a : x < a) || x != x; }

    /**
     * Float max/min of a row: sequential up to {@link #SEQUENTIAL} elements (the first of equal
     * values is kept), otherwise in {@link #LANES} lanes combined as a tree (see {@link #LEAF}).
     * The lane order decides only which of +0 and -0 (or which NaN) a tie returns. The
     * reductions read their input raw, as TF does; softmax reads it flushed ({@code flush}).
     */
    static double maxMin(boolean max, boolean f32, boolean flush, MemorySegment s, long off, long n) {
        double identity = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        if (n <= SEQUENTIAL) {
            double m = identity;
            for (long i = 0; i < n; i++) {
                double v = element(f32, flush, s, off + i);
                if (takes(max, v, m)) m = v;
            }
            return m;
        }
        double[] acc = new double[LANES];
        java.util.Arrays.fill(acc, identity);
        for (long i = 0; i < n; i++) {
            double v = element(f32, flush, s, off + i);
            int j = (int) (i % LANES);
            if (takes(max, v, acc[j])) acc[j] = v;
        }
        for (int w = LANES / 2; w > 0; w /= 2) for (int j = 0; j < w; j++) if (takes(max, acc[j + w], acc[j])) acc[j] = acc[j + w];
        return acc[0];
    }

    private static double element(boolean f32, boolean flush, MemorySegment s, long i) {
        if (f32) {
            float v = s.getAtIndex(F, i);
            return flush ? ftz(v) : v;
        }
        double v = s.getAtIndex(D, i);
        return flush ? ftz(v) : v;
    }

    private static double reduceF64(Kind kind, MemorySegment s, long off, long n) {
        switch (kind) {
            case SUM: return sumF64(s, off, n);
            case MEAN: return sumF64(s, off, n) / n;
            case PROD: {
                double p = 1;
                for (long i = 0; i < n; i++) p *= ftz(s.getAtIndex(D, off + i));
                return p;
            }
            case MAX: return maxMin(true, false, false, s, off, n);
            case MIN: return maxMin(false, false, false, s, off, n);
            default: throw new IllegalStateException(kind.name());
        }
    }

    /** Integer reductions wrap like TF's; narrow dtypes were widened to int32, so identities come from {@code t}. */
    private static long reduceLong(Kind kind, DType t, MemorySegment s, long off, long n, boolean wide) {
        switch (kind) {
            case SUM:
            case MEAN: {
                long acc = 0;
                if (wide) for (long i = 0; i < n; i++) acc += s.getAtIndex(L, off + i);
                else {
                    int a = 0;
                    for (long i = 0; i < n; i++) a += s.getAtIndex(I, off + i);
                    acc = a;
                }
                return kind == Kind.SUM ? acc : acc / n; // Java's division truncates toward zero, as TF's does
            }
            case PROD: {
                long p = 1;
                if (wide) for (long i = 0; i < n; i++) p *= s.getAtIndex(L, off + i);
                else {
                    int q = 1;
                    for (long i = 0; i < n; i++) q *= s.getAtIndex(I, off + i);
                    p = q;
                }
                return p;
            }
            case MAX: {
                long m = t.minIntegerValue();
                for (long i = 0; i < n; i++) m = Math.max(m, wide ? s.getAtIndex(L, off + i) : s.getAtIndex(I, off + i));
                return m;
            }
            case MIN: {
                long m = t.maxIntegerValue();
                for (long i = 0; i < n; i++) m = Math.min(m, wide ? s.getAtIndex(L, off + i) : s.getAtIndex(I, off + i));
                return m;
            }
            default: throw new IllegalStateException(kind.name());
        }
    }

    private static boolean reduceBool(Kind kind, MemorySegment s, long off, long n) {
        boolean any = kind == Kind.ANY;
        for (long i = 0; i < n; i++) {
            boolean v = s.get(B, off + i) != 0;
            if (v == any) return any;
        }
        return !any;
    }


}
