package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.TensorType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

import static dev.tfjit.ir.kernels.Fn.ftz;

/**
 * {@code cumsum}/{@code cumprod} along {@code axis}, with {@code exclusive} and {@code reverse}.
 * A sequential scan in the compute type, which is what TF's float32 cumsum matches exactly;
 * the innermost loop runs over the contiguous dims after the axis.
 */
public final class Scan {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;

    private Scan() {}

    public static TensorType type(String op, List<TensorType> in, Attrs a) {
        TensorType x = in.get(0);
        if (!x.dtype().isNumeric()) {
            throw new DTypeError("Value for attr 'T' of " + x.dtype() + " is not in the list of allowed values for " + op);
        }
        if (x.shape().hasRank()) {
            if (x.shape().rank() == 0) throw new dev.tfjit.ir.InvalidArgumentError("ScanOp: Expected scan axis in the range [0, 0), but got 0");
            ReductionAxes.single(a.getLong("axis"), x.shape().rank());
        }
        return x;
    }

    public static Buffer run(boolean product, Buffer x, Attrs a) {
        DType t = x.dtype();
        int rank = x.shape().rank();
        int axis = ReductionAxes.single(a.getLong("axis"), rank);
        boolean exclusive = a.getBool("exclusive", false), reverse = a.getBool("reverse", false);
        int[] d = x.shape().dims();
        long outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= d[i];
        for (int i = axis + 1; i < rank; i++) inner *= d[i];
        int n = d[axis];
        ComputeType c = ComputeType.of(t);
        Buffer w = Casts.widen(x, c);
        Buffer r = Buffer.allocate(c.dtype(), x.shape());
        MemorySegment s = w.segment(), o = r.segment();
        for (long b = 0; b < outer; b++) {
            for (int step = 0; step < n; step++) {
                int j = reverse ? n - 1 - step : step;
                int prev = reverse ? j + 1 : j - 1;
                long dst = (b * n + j) * inner;
                long prevDst = (b * n + prev) * inner;
                // inclusive: out[j] = out[prev] (op) x[j]; exclusive: out[j] = out[prev] (op) x[prev]
                long src = exclusive ? prevDst : dst;
                scanRow(c, product, o, dst, step == 0 ? -1 : prevDst, s, step == 0 && exclusive ? -1 : src, inner);
            }
        }
        return Casts.narrow(r, t);
    }

    /** out[dst..] = out[prev..] (op) in[src..]; a negative offset stands for the identity. */
    private static void scanRow(ComputeType c, boolean product, MemorySegment o, long dst, long prev, MemorySegment s, long src, long n) {
        switch (c) {
            case F32 -> {
                float id = product ? 1f : 0f;
                for (long i = 0; i < n; i++) {
                    float p = prev < 0 ? id : o.getAtIndex(F, prev + i);
                    float v = src < 0 ? id : ftz(s.getAtIndex(F, src + i));
                    o.setAtIndex(F, dst + i, ftz(product ? p * v : p + v));
                }
            }
            case F64 -> {
                double id = product ? 1 : 0;
                for (long i = 0; i < n; i++) {
                    double p = prev < 0 ? id : o.getAtIndex(D, prev + i);
                    double v = src < 0 ? id : ftz(s.getAtIndex(D, src + i));
                    o.setAtIndex(D, dst + i, ftz(product ? p * v : p + v));
                }
            }
            case I32 -> {
                int id = product ? 1 : 0;
                for (long i = 0; i < n; i++) {
                    int p = prev < 0 ? id : o.getAtIndex(I, prev + i);
                    int v = src < 0 ? id : s.getAtIndex(I, src + i);
                    o.setAtIndex(I, dst + i, product ? p * v : p + v);
                }
            }
            case I64 -> {
                long id = product ? 1 : 0;
                for (long i = 0; i < n; i++) {
                    long p = prev < 0 ? id : o.getAtIndex(L, prev + i);
                    long v = src < 0 ? id : s.getAtIndex(L, src + i);
                    o.setAtIndex(L, dst + i, product ? p * v : p + v);
                }
            }
            default -> throw new DTypeError("cannot scan a " + c.dtype() + " tensor");
        }
    }
}
