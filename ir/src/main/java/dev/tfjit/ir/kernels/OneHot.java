package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Shape;

/** Reference kernel of {@code one_hot}: indices outside {@code [0, depth)} (including -1) give an all-off row. */
public final class OneHot {
    private OneHot() {}

    /** The indices' shape with {@code depth} inserted at {@code axis} (already in {@code [0, rank]}). */
    public static Shape shape(Shape indices, int depth, int axis) {
        if (!indices.hasRank()) return Shape.unknownRank();
        int[] in = indices.dims();
        int[] out = new int[in.length + 1];
        for (int d = 0, k = 0; d < out.length; d++) out[d] = d == axis ? depth : in[k++];
        return Shape.of(out);
    }

    public static Buffer oneHot(Buffer indices, int depth, int axis, Buffer on, Buffer off) {
        Shape outShape = shape(indices.shape(), depth, axis);
        Buffer out = Buffer.allocate(on.dtype(), outShape);
        StridedCopy.fill(out, off);
        long suffix = Gather.product(indices.shape(), axis, indices.shape().rank());
        long prefix = indices.size() / Math.max(1, suffix);
        if (suffix == 0) return out;
        long[] idx = indices.toLongArray();
        for (long p = 0; p < prefix; p++) {
            for (long s = 0; s < suffix; s++) {
                long v = idx[(int) (p * suffix + s)];
                if (v >= 0 && v < depth) StridedCopy.copyRun(on, 0, 1, out, (p * depth + v) * suffix + s, 1, 1);
            }
        }
        return out;
    }
}
