package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;

/**
 * The COO triple TensorFlow's sparse ops take (int64 {@code indices[N,R]}, {@code values[N]},
 * int64 {@code dense_shape[R]}): static checks for type rules and the concrete reads kernels
 * share. Positions are linear row-major offsets into the dense shape, so ordering and merging
 * compare one long.
 */
public final class SparseCoo {
    private SparseCoo() {}

    /** Checks the triple's static types; returns the rank R when known, else -1. */
    public static int checkTypes(String op, TensorType indices, TensorType values, TensorType denseShape) {
        if (indices.dtype() != DType.INT64) throw new DTypeError(op + ": indices must be int64, got " + indices.dtype());
        if (denseShape.dtype() != DType.INT64) throw new DTypeError(op + ": dense_shape must be int64, got " + denseShape.dtype());
        Shape i = indices.shape(), v = values.shape(), s = denseShape.shape();
        if (i.hasRank() && i.rank() != 2) throw new InvalidArgumentError(op + ": Input indices should be a matrix but received shape " + i.brief());
        if (v.hasRank() && v.rank() != 1) throw new InvalidArgumentError(op + ": Input values should be a vector but received shape " + v.brief());
        if (s.hasRank() && s.rank() != 1) throw new InvalidArgumentError(op + ": Input shape should be a vector but received shape " + s.brief());
        int n = i.hasRank() ? i.dim(0) : -1, nv = v.hasRank() ? v.dim(0) : -1;
        if (n >= 0 && nv >= 0 && n != nv) {
            throw new InvalidArgumentError(op + ": Expected " + n + " non-empty input values, got " + nv
                    + " (indices " + i.brief() + ", values " + v.brief() + ")");
        }
        int r = i.hasRank() ? i.dim(1) : -1, rs = s.hasRank() ? s.dim(0) : -1;
        if (r >= 0 && rs >= 0 && r != rs) {
            throw new InvalidArgumentError(op + ": Number of dimensions must match second dimension of indices. Got "
                    + rs + " dimensions, indices shape: " + i.brief());
        }
        return r >= 0 ? r : rs;
    }

    /** The dense shape's values. */
    public static long[] dims(Buffer denseShape) {
        long[] d = denseShape.toLongArray();
        for (long x : d) if (x < 0) throw new InvalidArgumentError("dense_shape must be non-negative, got " + java.util.Arrays.toString(d));
        return d;
    }

    /**
     * Linear row-major positions of every index; an index outside {@code dims} is TF's error
     * ({@code indices[1] = [0,5] is out of bounds: need 0 <= index < [3,4]}).
     */
    public static long[] positions(Buffer indices, long[] dims) {
        int n = indices.shape().dim(0), r = dims.length;
        MemoryView idx = MemoryView.longs(indices);
        long[] pos = new long[n];
        for (int k = 0; k < n; k++) {
            long p = 0;
            for (int j = 0; j < r; j++) {
                long v = idx.get((long) k * r + j);
                if (v < 0 || v >= dims[j]) {
                    throw new InvalidArgumentError("indices[" + k + "] = " + row(indices, k) + " is out of bounds: need 0 <= index < "
                            + list(dims));
                }
                p = p * dims[j] + v;
            }
            pos[k] = p;
        }
        return pos;
    }

    /** Row {@code k} of the indices, as TF prints it: {@code [0,5]}. */
    public static String row(Buffer indices, int k) {
        int r = indices.shape().dim(1);
        StringBuilder sb = new StringBuilder("[");
        for (int j = 0; j < r; j++) {
            if (j > 0) sb.append(',');
            sb.append(indices.getLong((long) k * r + j));
        }
        return sb.append(']').toString();
    }

    public static String list(long[] dims) {
        StringBuilder sb = new StringBuilder("[");
        for (int j = 0; j < dims.length; j++) {
            if (j > 0) sb.append(',');
            sb.append(dims[j]);
        }
        return sb.append(']').toString();
    }

    /** Writes linear positions back as int64 indices {@code [n, dims.length]}. */
    public static Buffer indicesOf(long[] pos, int n, long[] dims) {
        int r = dims.length;
        Buffer out = Buffer.allocate(DType.INT64, Shape.of(n, r));
        for (int k = 0; k < n; k++) {
            long p = pos[k];
            for (int j = r - 1; j >= 0; j--) {
                long d = dims[j];
                out.setLong((long) k * r + j, d == 0 ? 0 : p % d);
                p = d == 0 ? 0 : p / d;
            }
        }
        return out;
    }

    /** A stable ascending order of positions (TF's reorder keeps duplicates in input order). */
    public static int[] ascendingOrder(long[] pos) {
        int[] order = new int[pos.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        int[] scratch = new int[order.length];
        long[] negated = new long[pos.length];
        for (int i = 0; i < pos.length; i++) negated[i] = -pos[i];
        IndexSort.descending(order, scratch, null, negated);
        return order;
    }

    /** Values moved into {@code order}. */
    public static Buffer permute(Buffer values, int[] order) {
        Buffer out = Buffer.allocate(values.dtype(), Shape.of(order.length));
        for (int k = 0; k < order.length; k++) StridedCopy.copyRun(values, order[k], 1, out, k, 1, 1);
        return out;
    }

    /** Reads int64 memory without a dtype switch per element. */
    record MemoryView(java.lang.foreign.MemorySegment seg) {
        static MemoryView longs(Buffer b) { return new MemoryView(b.segment()); }

        long get(long i) { return seg.getAtIndex(java.lang.foreign.ValueLayout.JAVA_LONG, i); }
    }
}
