package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Reference kernels of {@code scatter_nd} (updates summed into zeros, so duplicate indices add
 * up) and {@code tensor_scatter_nd_update} (a copy of the tensor with slices overwritten; with
 * duplicate indices the last update wins).
 */
public final class Scatter {
    private Scatter() {}

    /** Checks that {@code updates} is {@code indices[:-1] + shape[K:]}; dims may be unknown. */
    public static void checkShapes(String op, Shape indices, Shape updates, Shape shape) {
        if (!indices.hasRank() || !updates.hasRank() || !shape.hasRank()) return;
        if (indices.rank() < 1) throw new ShapeError("indices must be at least a vector, got shape " + indices.brief());
        int depth = indices.dim(-1);
        if (depth == Shape.UNKNOWN) return;
        if (depth > shape.rank()) {
            throw new ShapeError("indices.shape[-1] must be <= shape.rank(): " + depth + " vs. " + shape.rank());
        }
        int[] want = new int[indices.rank() - 1 + shape.rank() - depth];
        System.arraycopy(indices.dims(), 0, want, 0, indices.rank() - 1);
        System.arraycopy(shape.dims(), depth, want, indices.rank() - 1, shape.rank() - depth);
        Shape expected = Shape.of(want);
        if (expected.rank() != updates.rank() || !compatible(expected, updates)) {
            throw new ShapeError(op + ": updates has shape " + updates.brief() + ", but indices of shape " + indices.brief()
                    + " into shape " + shape.brief() + " need updates of shape " + expected.brief());
        }
    }

    private static boolean compatible(Shape a, Shape b) {
        for (int i = 0; i < a.rank(); i++) {
            if (a.dim(i) != Shape.UNKNOWN && b.dim(i) != Shape.UNKNOWN && a.dim(i) != b.dim(i)) return false;
        }
        return true;
    }

    /** Output offsets (in elements) of each update slice, validated against {@code shape}. */
    private static long[] offsets(Buffer indices, Shape shape) {
        Shape is = indices.shape();
        int depth = is.dim(-1);
        long slice = Gather.product(shape, depth, shape.rank());
        long rows = Gather.product(is, 0, is.rank() - 1);
        long[] idx = indices.toLongArray();
        long[] strides = new long[depth];
        long acc = 1;
        for (int j = depth - 1; j >= 0; j--) { strides[j] = acc; acc *= shape.dim(j); }
        long[] out = new long[Math.toIntExact(rows)];
        for (int r = 0; r < rows; r++) {
            long off = 0;
            for (int j = 0; j < depth; j++) {
                long v = idx[r * depth + j];
                if (v < 0 || v >= shape.dim(j)) {
                    throw new InvalidArgumentError("indices" + Gather.coordinates(Shape.of(Arrays.copyOf(is.dims(), is.rank() - 1)), r)
                            + " = " + Gather.row(idx, r, depth) + " does not index into shape " + shape.brief());
                }
                off += v * strides[j];
            }
            out[r] = off * slice;
        }
        return out;
    }

    public static Buffer update(Buffer tensor, Buffer indices, Buffer updates) {
        long[] offs = offsets(indices, tensor.shape());
        Buffer out = tensor.copy();
        long slice = offs.length == 0 ? 0 : updates.size() / offs.length;
        for (int r = 0; r < offs.length; r++) StridedCopy.copyRun(updates, r * slice, 1, out, offs[r], 1, slice);
        return out;
    }

    public static Buffer scatterNd(Buffer indices, Buffer updates, Shape shape) {
        long[] offs = offsets(indices, shape);
        Buffer out = Buffer.allocate(updates.dtype(), shape);
        long slice = offs.length == 0 ? 0 : updates.size() / offs.length;
        MemorySegment u = updates.dtype() == DType.STRING ? null : updates.segment();
        MemorySegment o = updates.dtype() == DType.STRING ? null : out.segment();
        for (int r = 0; r < offs.length; r++) {
            long src = r * slice, dst = offs[r];
            switch (updates.dtype()) {
                case FLOAT32 -> {
                    for (long k = 0; k < slice; k++) {
                        o.setAtIndex(ValueLayout.JAVA_FLOAT, dst + k, o.getAtIndex(ValueLayout.JAVA_FLOAT, dst + k)
                                + u.getAtIndex(ValueLayout.JAVA_FLOAT, src + k));
                    }
                }
                case FLOAT64 -> {
                    for (long k = 0; k < slice; k++) {
                        o.setAtIndex(ValueLayout.JAVA_DOUBLE, dst + k, o.getAtIndex(ValueLayout.JAVA_DOUBLE, dst + k)
                                + u.getAtIndex(ValueLayout.JAVA_DOUBLE, src + k));
                    }
                }
                case INT32 -> {
                    for (long k = 0; k < slice; k++) {
                        o.setAtIndex(ValueLayout.JAVA_INT, dst + k, o.getAtIndex(ValueLayout.JAVA_INT, dst + k)
                                + u.getAtIndex(ValueLayout.JAVA_INT, src + k));
                    }
                }
                case INT64 -> {
                    for (long k = 0; k < slice; k++) {
                        o.setAtIndex(ValueLayout.JAVA_LONG, dst + k, o.getAtIndex(ValueLayout.JAVA_LONG, dst + k)
                                + u.getAtIndex(ValueLayout.JAVA_LONG, src + k));
                    }
                }
                case INT8, UINT8, INT16 -> {
                    for (long k = 0; k < slice; k++) out.setLong(dst + k, out.getLong(dst + k) + updates.getLong(src + k));
                }
                case FLOAT16, BFLOAT16 -> {
                    for (long k = 0; k < slice; k++) out.setDouble(dst + k, (float) (out.getDouble(dst + k) + updates.getDouble(src + k)));
                }
                case BOOL, STRING -> throw new DTypeError("scatter_nd sums duplicate indices, which is not defined for " + updates.dtype());
            }
        }
        return out;
    }
}
