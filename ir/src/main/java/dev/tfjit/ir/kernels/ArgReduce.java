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

/**
 * {@code argmax}/{@code argmin} over one axis ({@code axis}, {@code output_type}). As TF's CPU
 * kernels: NaN never compares better so it is skipped, and ties keep the lowest index.
 */
public final class ArgReduce {
    private ArgReduce() {}

    public static TensorType type(String op, List<TensorType> in, Attrs a) {
        TensorType x = in.get(0);
        DType out = a.getDType("output_type");
        if (out != DType.INT32 && out != DType.INT64) {
            throw new DTypeError(op + " output_type must be int32 or int64, got " + out);
        }
        if (!x.dtype().isNumeric()) {
            throw new DTypeError("Value for attr 'T' of " + x.dtype() + " is not in the list of allowed values for " + op);
        }
        if (!x.shape().hasRank()) return new TensorType(out, Shape.unknownRank());
        int rank = x.shape().rank();
        int axis = ReductionAxes.single(a.getLong("axis"), rank);
        if (x.shape().dim(axis) == 0) {
            throw new InvalidArgumentError("Reduction axis " + axis + " is empty in shape " + x.shape().brief());
        }
        boolean[] mask = new boolean[rank];
        mask[axis] = true;
        return new TensorType(out, ReductionAxes.reducedShape(x.shape(), mask, false));
    }

    public static Buffer run(boolean max, Buffer x, Attrs a) {
        int rank = x.shape().rank();
        int axis = ReductionAxes.single(a.getLong("axis"), rank);
        int[] d = x.shape().dims();
        long outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= d[i];
        for (int i = axis + 1; i < rank; i++) inner *= d[i];
        int n = d[axis];
        boolean[] mask = new boolean[rank];
        mask[axis] = true;
        Buffer r = Buffer.allocate(a.getDType("output_type"), ReductionAxes.reducedShape(x.shape(), mask, false));
        ComputeType c = ComputeType.of(x.dtype());
        boolean floating = c == ComputeType.F32 || c == ComputeType.F64;
        Buffer w = Casts.widen(x, floating ? ComputeType.F64 : ComputeType.I64);
        MemorySegment s = w.segment();
        for (long o = 0; o < outer; o++) {
            for (long i = 0; i < inner; i++) {
                long base = o * n * inner + i;
                long best = floating ? argF64(max, s, base, inner, n) : argI64(max, s, base, inner, n);
                r.setLong(o * inner + i, best);
            }
        }
        return r;
    }

    private static long argF64(boolean max, MemorySegment s, long base, long stride, int n) {
        long best = 0;
        double bestValue = max ? -Double.MAX_VALUE : Double.MAX_VALUE; // Eigen starts from lowest()/highest()
        for (int j = 0; j < n; j++) {
            double v = s.getAtIndex(ValueLayout.JAVA_DOUBLE, base + j * stride);
            if (max ? v > bestValue : v < bestValue) {
                bestValue = v;
                best = j;
            }
        }
        return best;
    }

    private static long argI64(boolean max, MemorySegment s, long base, long stride, int n) {
        long best = 0;
        long bestValue = s.getAtIndex(ValueLayout.JAVA_LONG, base);
        for (int j = 1; j < n; j++) {
            long v = s.getAtIndex(ValueLayout.JAVA_LONG, base + j * stride);
            if (max ? v > bestValue : v < bestValue) {
                bestValue = v;
                best = j;
            }
        }
        return best;
    }
}
