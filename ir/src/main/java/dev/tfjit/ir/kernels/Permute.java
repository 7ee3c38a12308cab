package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Row-major copies with permuted dims, for kernels (reductions, top-k) that want the dims they
 * work on to be innermost and contiguous. Copies by element width, so it serves every dense dtype.
 */
public final class Permute {
    private Permute() {}

    /** {@code a} with output dim {@code i} taken from input dim {@code perm[i]}. */
    public static Buffer permuted(Buffer a, int[] perm) {
        boolean identity = true;
        for (int i = 0; i < perm.length; i++) identity &= perm[i] == i;
        if (identity) return a;
        int[] in = a.shape().dims();
        int[] outDims = new int[perm.length];
        long[] own = a.shape().strides();
        long[] strides = new long[perm.length];
        for (int i = 0; i < perm.length; i++) {
            outDims[i] = in[perm[i]];
            strides[i] = own[perm[i]];
        }
        Shape outShape = Shape.of(outDims);
        if (a.dtype() == DType.STRING) {
            String[] src = a.strings();
            String[] dst = new String[src.length];
            Strided.forEachRow(outShape, new long[][] {strides}, (o, offs, rs, len) -> {
                for (long i = 0; i < len; i++) dst[(int) (o + i)] = src[(int) (offs[0] + i * rs[0])];
            });
            return Buffer.ofStrings(outShape, dst);
        }
        Buffer r = Buffer.allocate(a.dtype(), outShape);
        MemorySegment s = a.segment(), d = r.segment();
        int width = a.dtype().byteSize();
        Strided.forEachRow(outShape, new long[][] {strides}, (o, offs, rs, len) -> copyRow(width, s, offs[0], rs[0], d, o, len));
        return r;
    }

    private static void copyRow(int width, MemorySegment s, long so, long ss, MemorySegment d, long o, long n) {
        switch (width) {
            case 1 -> { for (long i = 0; i < n; i++) d.set(ValueLayout.JAVA_BYTE, o + i, s.get(ValueLayout.JAVA_BYTE, so + i * ss)); }
            case 2 -> { for (long i = 0; i < n; i++) d.setAtIndex(ValueLayout.JAVA_SHORT, o + i, s.getAtIndex(ValueLayout.JAVA_SHORT, so + i * ss)); }
            case 4 -> { for (long i = 0; i < n; i++) d.setAtIndex(ValueLayout.JAVA_INT, o + i, s.getAtIndex(ValueLayout.JAVA_INT, so + i * ss)); }
            case 8 -> { for (long i = 0; i < n; i++) d.setAtIndex(ValueLayout.JAVA_LONG, o + i, s.getAtIndex(ValueLayout.JAVA_LONG, so + i * ss)); }
            default -> throw new IllegalStateException("element width " + width);
        }
    }

    /** The permutation that moves the masked dims to the end, keeping both groups in order. */
    public static int[] maskedLast(boolean[] mask) {
        int[] perm = new int[mask.length];
        int j = 0;
        for (int i = 0; i < mask.length; i++) if (!mask[i]) perm[j++] = i;
        for (int i = 0; i < mask.length; i++) if (mask[i]) perm[j++] = i;
        return perm;
    }

    /** {@code a} materialized at a broadcast-compatible larger {@code shape} (the same buffer when equal). */
    public static Buffer broadcastTo(Buffer a, Shape shape) {
        if (a.shape().equals(shape)) return a;
        Buffer r = Buffer.allocate(a.dtype(), shape);
        MemorySegment s = a.segment(), d = r.segment();
        int width = a.dtype().byteSize();
        Strided.forEachRow(shape, new long[][] {Broadcast.readStrides(a.shape(), shape)},
                (o, offs, rs, len) -> copyRow(width, s, offs[0], rs[0], d, o, len));
        return r;
    }
}
