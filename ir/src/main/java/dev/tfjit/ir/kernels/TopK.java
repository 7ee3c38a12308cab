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
 * {@code top_k} over the last dim ({@code k}, {@code sorted}): the k largest values, largest
 * first, and their int32 indices. Ties keep the lower index first (a stable descending sort),
 * {@code -0.0} equals {@code 0.0}, and NaN counts as larger than every number.
 */
public final class TopK {
    private TopK() {}

    public static List<TensorType> types(List<TensorType> in, Attrs a) {
        TensorType x = in.get(0);
        if (!x.dtype().isNumeric()) {
            throw new DTypeError("Value for attr 'T' of " + x.dtype() + " is not in the list of allowed values for top_k");
        }
        long k = a.getLong("k");
        if (k < 0) throw new InvalidArgumentError("Need k >= 0, got " + k);
        if (!x.shape().hasRank()) return List.of(new TensorType(x.dtype(), Shape.unknownRank()), new TensorType(DType.INT32, Shape.unknownRank()));
        if (x.shape().rank() < 1) throw new InvalidArgumentError("input must be >= 1-D, got shape " + x.shape().brief());
        int n = x.shape().dim(-1);
        if (n != Shape.UNKNOWN && n < k) throw new InvalidArgumentError("input must have at least k columns. Had " + n + ", needed " + k);
        Shape out = x.shape().withDim(x.shape().rank() - 1, (int) k);
        return List.of(new TensorType(x.dtype(), out), new TensorType(DType.INT32, out));
    }

    public static List<Buffer> run(Buffer x, Attrs a) {
        List<TensorType> t = types(List.of(x.type()), a);
        int k = a.getInt("k");
        int n = x.shape().dim(-1);
        Buffer values = Buffer.allocate(x.dtype(), t.get(0).shape());
        Buffer indices = Buffer.allocate(DType.INT32, t.get(1).shape());
        long rows = n == 0 ? values.size() / Math.max(k, 1) : x.size() / n;
        if (k == 0) return List.of(values, indices);
        boolean floating = x.dtype().isFloating();
        Buffer w = Casts.widen(x, floating ? ComputeType.F64 : ComputeType.I64);
        MemorySegment s = w.segment();
        double[] fkeys = floating ? new double[n] : null;
        long[] ikeys = floating ? null : new long[n];
        int[] order = new int[n], scratch = new int[n];
        for (long r = 0; r < rows; r++) {
            long base = r * n;
            if (floating) MemorySegment.copy(s, ValueLayout.JAVA_DOUBLE, base * 8, fkeys, 0, n);
            else MemorySegment.copy(s, ValueLayout.JAVA_LONG, base * 8, ikeys, 0, n);
            for (int i = 0; i < n; i++) order[i] = i;
            IndexSort.descending(order, scratch, fkeys, ikeys);
            long outBase = r * k;
            MemorySegment src = x.segment(), dst = values.segment();
            int width = x.dtype().byteSize();
            for (int j = 0; j < k; j++) {
                MemorySegment.copy(src, (base + order[j]) * width, dst, (outBase + j) * width, width);
                indices.segment().setAtIndex(ValueLayout.JAVA_INT, outBase + j, order[j]);
            }
        }
        return List.of(values, indices);
    }
}
