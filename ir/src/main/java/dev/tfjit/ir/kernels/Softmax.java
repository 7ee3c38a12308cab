package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.TensorType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

import static dev.tfjit.ir.kernels.Fn.ftz;

/**
 * Softmax and log-softmax over the last dim, computed as TF's Eigen kernel does: shift by the
 * row max (of the flushed logits, in the order of every float max, {@link Reduce#LEAF}; so logits around 1000 are fine), exponentiate, then multiply by the reciprocal of
 * the sum (softmax) or subtract the log of the sum (log-softmax). An all {@code -inf} row gives
 * NaN, and a NaN poisons its row, as in TF.
 */
public final class Softmax {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;

    private Softmax() {}

    public static TensorType type(String op, List<TensorType> in) {
        TensorType x = in.get(0);
        checkFloat(op, x.dtype());
        if (x.shape().hasRank() && x.shape().rank() < 1) {
            throw new InvalidArgumentError("logits must have >= 1 dimension, got " + x.shape().brief());
        }
        return x;
    }

    static void checkFloat(String op, DType t) {
        if (!t.isFloating()) throw new DTypeError("Value for attr 'T' of " + t + " is not in the list of allowed values for " + op);
    }

    public static Buffer run(boolean log, Buffer x) {
        DType t = x.dtype();
        ComputeType c = ComputeType.of(t);
        Buffer w = Casts.widen(x, c);
        Buffer r = Buffer.allocate(c.dtype(), x.shape());
        int n = x.shape().dim(-1);
        if (n == 0) return Casts.narrow(r, t);
        long rows = x.size() / n;
        MemorySegment s = w.segment(), o = r.segment();
        for (long row = 0; row < rows; row++) {
            long off = row * n;
            if (c == ComputeType.F32) rowF32(log, s, o, off, n);
            else rowF64(log, s, o, off, n);
        }
        return Casts.narrow(r, t);
    }

    private static void rowF32(boolean log, MemorySegment s, MemorySegment o, long off, int n) {
        float max = (float) Reduce.maxMin(true, true, true, s, off, n);
        for (int i = 0; i < n; i++) {
            float shifted = ftz(ftz(s.getAtIndex(F, off + i)) - max);
            o.setAtIndex(F, off + i, log ? shifted : ftz(FloatMath.exp(shifted)));
        }
        if (log) {
            // sum of exp(shifted) in the order of every float sum, without a scratch row: exp is recomputed into the sum
            float sum = expSumF32(o, off, n);
            float logSum = (float) Math.log(sum);
            for (int i = 0; i < n; i++) o.setAtIndex(F, off + i, ftz(o.getAtIndex(F, off + i) - logSum));
        } else {
            float inv = 1f / Reduce.sumF32(o, off, n);
            for (int i = 0; i < n; i++) o.setAtIndex(F, off + i, ftz(o.getAtIndex(F, off + i) * inv));
        }
    }

    /** The sum of {@code exp} of a shifted row in {@link Reduce#sumF32}'s order, without a scratch row. */
    private static float expSumF32(MemorySegment shifted, long off, long n) {
        if (n <= Reduce.SEQUENTIAL) {
            float acc = 0;
            for (long i = 0; i < n; i++) acc += ftz(FloatMath.exp(shifted.getAtIndex(F, off + i)));
            return acc;
        }
        if (n <= Reduce.LEAF) {
            float[] acc = new float[Reduce.LANES];
            for (long i = 0; i < n; i++) acc[(int) (i % Reduce.LANES)] += ftz(FloatMath.exp(shifted.getAtIndex(F, off + i)));
            for (int w = Reduce.LANES / 2; w > 0; w /= 2) for (int j = 0; j < w; j++) acc[j] += acc[j + w];
            return acc[0];
        }
        long left = Reduce.pairwiseLeft(n);
        return expSumF32(shifted, off, left) + expSumF32(shifted, off + left, n - left);
    }

    private static void rowF64(boolean log, MemorySegment s, MemorySegment o, long off, int n) {
        double max = Reduce.maxMin(true, false, true, s, off, n);
        for (int i = 0; i < n; i++) {
            double shifted = ftz(ftz(s.getAtIndex(D, off + i)) - max);
            o.setAtIndex(D, off + i, log ? shifted : ftz(Math.exp(shifted)));
        }
        if (log) {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += ftz(Math.exp(o.getAtIndex(D, off + i)));
            double logSum = Math.log(sum);
            for (int i = 0; i < n; i++) o.setAtIndex(D, off + i, ftz(o.getAtIndex(D, off + i) - logSum));
        } else {
            double inv = 1.0 / Reduce.sumF64(o, off, n);
            for (int i = 0; i < n; i++) o.setAtIndex(D, off + i, ftz(o.getAtIndex(D, off + i) * inv));
        }
    }
}
