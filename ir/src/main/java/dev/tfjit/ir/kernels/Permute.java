package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Shape;

/**
 * Layout changes for kernels (reductions, cross-entropy) that want the dims they work on
 * contiguous: permuted and broadcast copies, both through {@link StridedCopy}.
 */
public final class Permute {
    private Permute() {}

    /** {@code a} with output dim {@code i} taken from input dim {@code perm[i]} (the same buffer for the identity). */
    public static Buffer permuted(Buffer a, int[] perm) {
        boolean identity = true;
        for (int i = 0; i < perm.length; i++) identity &= perm[i] == i;
        if (identity) return a;
        long[] own = a.shape().strides();
        long[] strides = new long[perm.length];
        int[] dims = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            dims[i] = a.shape().dim(perm[i]);
            strides[i] = own[perm[i]];
        }
        return StridedCopy.read(a, 0, strides, Shape.of(dims));
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
        return StridedCopy.read(a, 0, Broadcast.readStrides(a.shape(), shape), shape);
    }
}
