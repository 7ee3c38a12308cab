package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;

/**
 * Reference kernels of {@code gather} (TF's GatherV2) and {@code gather_nd}: every index is
 * validated first, as TF's CPU kernels do (an out-of-range index is an error, never a clamp),
 * then each selected slice moves as one contiguous copy.
 */
public final class Gather {
    private Gather() {}

    /** Output shape of gather: {@code params[:axis] + indices[batchDims:] + params[axis+1:]} (dims may be unknown). */
    public static Shape shape(Shape params, Shape indices, int axis, int batchDims) {
        int[] p = params.dims(), i = indices.dims();
        int[] out = new int[p.length - 1 + i.length - batchDims];
        int k = 0;
        for (int d = 0; d < axis; d++) out[k++] = p[d];
        for (int d = batchDims; d < i.length; d++) out[k++] = i[d];
        for (int d = axis + 1; d < p.length; d++) out[k++] = p[d];
        return Shape.of(out);
    }

    public static Buffer gather(Buffer params, Buffer indices, int axis, int batchDims) {
        Shape ps = params.shape(), is = indices.shape();
        long batch = product(ps, 0, batchDims);
        long outer = product(ps, batchDims, axis);
        long n = ps.dim(axis);
        long inner = product(ps, axis + 1, ps.rank());
        long perBatch = product(is, batchDims, is.rank());
        long[] idx = indices.toLongArray();
        for (int k = 0; k < idx.length; k++) {
            if (idx[k] < 0 || idx[k] >= n) {
                throw new InvalidArgumentError("indices" + coordinates(is, k) + " = " + idx[k] + " is not in [0, " + n + ")");
            }
        }
        Buffer out = Buffer.allocate(params.dtype(), shape(ps, is, axis, batchDims));
        if (out.size() == 0) return out;
        long dst = 0;
        for (long b = 0; b < batch; b++) {
            for (long o = 0; o < outer; o++) {
                long base = (b * outer + o) * n;
                for (long k = 0; k < perBatch; k++) {
                    StridedCopy.copyRun(params, (base + idx[(int) (b * perBatch + k)]) * inner, 1, out, dst, 1, inner);
                    dst += inner;
                }
            }
        }
        return out;
    }

    /** Output shape of gather_nd: {@code indices[:-1] + params[K:]} where K is the last dim of indices. */
    public static Shape ndShape(Shape params, Shape indices) {
        int[] p = params.dims(), i = indices.dims();
        int depth = i[i.length - 1];
        int[] out = new int[i.length - 1 + p.length - depth];
        System.arraycopy(i, 0, out, 0, i.length - 1);
        System.arraycopy(p, depth, out, i.length - 1, p.length - depth);
        return Shape.of(out);
    }

    public static Buffer gatherNd(Buffer params, Buffer indices) {
        Shape ps = params.shape(), is = indices.shape();
        int depth = is.dim(-1);
        long slice = product(ps, depth, ps.rank());
        long rows = product(is, 0, is.rank() - 1);
        long[] idx = indices.toLongArray();
        long[] sliceStrides = new long[depth];
        for (int j = depth - 1, acc = 1; j >= 0; j--) { sliceStrides[j] = acc; acc *= ps.dim(j); }
        long[] offsets = new long[(int) rows];
        for (int r = 0; r < rows; r++) {
            long off = 0;
            for (int j = 0; j < depth; j++) {
                long v = idx[r * depth + j];
                if (v < 0 || v >= ps.dim(j)) {
                    throw new InvalidArgumentError("indices" + coordinates(Shape.of(java.util.Arrays.copyOf(is.dims(), is.rank() - 1)), r)
                            + " = " + row(idx, r, depth) + " does not index into param shape " + ps.brief());
                }
                off += v * sliceStrides[j];
            }
            offsets[r] = off * slice;
        }
        Buffer out = Buffer.allocate(params.dtype(), ndShape(ps, is));
        if (out.size() == 0) return out;
        for (int r = 0; r < rows; r++) StridedCopy.copyRun(params, offsets[r], 1, out, r * slice, 1, slice);
        return out;
    }

    static long product(Shape s, int from, int to) {
        long p = 1;
        for (int d = from; d < to; d++) p *= s.dim(d);
        return p;
    }

    /** TF's form of a flat position in a shape: {@code [1]}, {@code [0,2]}. */
    static String coordinates(Shape s, long flat) {
        int r = s.rank();
        long[] c = new long[r];
        for (int d = r - 1; d >= 0; d--) {
            c[d] = flat % s.dim(d);
            flat /= s.dim(d);
        }
        StringBuilder sb = new StringBuilder("[");
        for (int d = 0; d < r; d++) sb.append(d > 0 ? "," : "").append(c[d]);
        return sb.append(']').toString();
    }

    static String row(long[] idx, int r, int depth) {
        StringBuilder sb = new StringBuilder("[");
        for (int j = 0; j < depth; j++) sb.append(j > 0 ? ", " : "").append(idx[r * depth + j]);
        return sb.append(']').toString();
    }
}
