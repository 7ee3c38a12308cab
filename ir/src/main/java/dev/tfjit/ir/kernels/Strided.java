package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * Walks an output shape row by row for kernels that read inputs with arbitrary strides
 * (broadcasting, transposes). Adjacent dims are first merged where every operand's strides
 * allow it, so the innermost row is as long as possible and the per-row overhead is amortized.
 */
public final class Strided {
    /** Called once per innermost row: output offset, each operand's offset and row stride (arrays are reused: read, do not keep). */
    @FunctionalInterface
    public interface RowVisitor {
        void row(long outOffset, long[] inOffsets, long[] inRowStrides, long length);
    }

    private Strided() {}

    /**
     * Visits every row of a row-major output of shape {@code out}, with operands read through
     * {@code inStrides[k]} (one stride per output dim).
     */
    public static void forEachRow(Shape out, long[][] inStrides, RowVisitor visitor) {
        long total = out.numElements();
        int operands = inStrides.length;
        if (total == 0) return;
        // Merge dims: [dims..] with strides per operand; output is row-major contiguous.
        List<long[]> dims = new ArrayList<>(); // each entry: {size, stride_op0, stride_op1, ...}
        for (int i = 0; i < out.rank(); i++) {
            if (out.dim(i) == 1) continue;
            long[] e = new long[operands + 1];
            e[0] = out.dim(i);
            for (int k = 0; k < operands; k++) e[k + 1] = inStrides[k][i];
            dims.add(e);
        }
        List<long[]> merged = new ArrayList<>();
        for (long[] e : dims) {
            if (!merged.isEmpty()) {
                long[] prev = merged.get(merged.size() - 1);
                boolean ok = true;
                for (int k = 1; k <= operands; k++) if (prev[k] != e[k] * e[0]) { ok = false; break; }
                if (ok) {
                    prev[0] *= e[0];
                    for (int k = 1; k <= operands; k++) prev[k] = e[k];
                    continue;
                }
            }
            merged.add(e.clone());
        }
        if (merged.isEmpty()) merged.add(new long[operands + 1]); // scalar output
        if (merged.size() == 1 && merged.get(0)[0] == 0) merged.get(0)[0] = 1;
        int r = merged.size();
        long rowLen = merged.get(r - 1)[0];
        long[] rowStrides = new long[operands];
        for (int k = 0; k < operands; k++) rowStrides[k] = merged.get(r - 1)[k + 1];
        long[] idx = new long[r];
        long[] offs = new long[operands];
        long rows = total / rowLen;
        long outOff = 0;
        for (long row = 0; row < rows; row++) {
            visitor.row(outOff, offs, rowStrides, rowLen);
            outOff += rowLen;
            // odometer over the outer dims
            for (int d = r - 2; d >= 0; d--) {
                long[] e = merged.get(d);
                idx[d]++;
                for (int k = 0; k < operands; k++) offs[k] += e[k + 1];
                if (idx[d] < e[0]) break;
                for (int k = 0; k < operands; k++) offs[k] -= e[k + 1] * e[0];
                idx[d] = 0;
            }
        }
    }
}
