package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntBinaryOperator;

/**
 * Kernels of {@code tf.sets}: each set is a vector along the last axis (duplicates ignored).
 * Every row is sorted and de-duplicated, then two rows merge in one pass, so results come out
 * in ascending order as TF's (std::set based) kernels give them. Integers stay primitive longs.
 */
public final class Sets {
    private Sets() {}

    /** TF's {@code set_operation} attr. */
    public enum Operation { A_MINUS_B, B_MINUS_A, INTERSECTION, UNION }

    public static Operation operation(String name) {
        return switch (name) {
            case "a-b" -> Operation.A_MINUS_B;
            case "b-a" -> Operation.B_MINUS_A;
            case "intersection" -> Operation.INTERSECTION;
            case "union" -> Operation.UNION;
            default -> throw new InvalidArgumentError("Invalid set_operation " + name + ".");
        };
    }

    /** The dtypes TF's set kernels register (uint16 has no tfjit dtype). */
    public static void checkDType(DType t) {
        switch (t) {
            case INT8, INT16, INT32, INT64, UINT8, STRING -> { }
            default -> throw new DTypeError("Invalid dtype " + t + " for a set: must be one of int8, int16, int32, int64, uint8, uint16, string");
        }
    }

    /** Sets live on the last axis, so inputs need rank 2 or more (TF's wording). */
    public static void checkRank(Shape s) {
        if (s.hasRank() && s.rank() < 2) throw new InvalidArgumentError("Shape " + s.brief() + " has rank " + s.rank() + " < 2");
    }

    /** TF's {@code DenseToDenseSetOperation}: a sparse result (indices, values, dense_shape). */
    public static List<Buffer> denseToDense(Buffer a, Buffer b, Operation op) {
        Shape sa = a.shape(), sb = b.shape();
        checkRank(sa);
        checkRank(sb);
        int r = sa.rank();
        boolean groupsMatch = sb.rank() == r;
        for (int d = 0; groupsMatch && d < r - 1; d++) groupsMatch = sa.dim(d) == sb.dim(d);
        if (!groupsMatch) throw new InvalidArgumentError("Mismatched shapes " + sa.brief() + " vs " + sb.brief());
        int groups = 1;
        for (int d = 0; d < r - 1; d++) groups *= sa.dim(d);
        int wa = sa.dim(r - 1), wb = sb.dim(r - 1);
        boolean strings = a.dtype() == DType.STRING;
        long[] la = strings ? null : a.toLongArray(), lb = strings ? null : b.toLongArray();
        String[] ta = strings ? a.strings() : null, tb = strings ? b.strings() : null;
        int[] rowStart = new int[groups + 1];
        long[][] lrows = new long[groups][];
        String[][] srows = new String[groups][];
        int maxLen = 0;
        for (int g = 0; g < groups; g++) {
            if (strings) {
                srows[g] = merge(unique(Arrays.copyOfRange(ta, g * wa, (g + 1) * wa)), unique(Arrays.copyOfRange(tb, g * wb, (g + 1) * wb)), op);
            } else {
                lrows[g] = merge(unique(Arrays.copyOfRange(la, g * wa, (g + 1) * wa)), unique(Arrays.copyOfRange(lb, g * wb, (g + 1) * wb)), op);
            }
            int len = strings ? srows[g].length : lrows[g].length;
            rowStart[g + 1] = rowStart[g] + len;
            maxLen = Math.max(maxLen, len);
        }
        int n = rowStart[groups];
        Buffer indices = Buffer.allocate(DType.INT64, Shape.of(n, r));
        Buffer values = Buffer.allocate(a.dtype(), Shape.of(n));
        int[] groupDims = Arrays.copyOf(sa.dims(), r - 1);
        for (int g = 0; g < groups; g++) {
            for (int j = rowStart[g]; j < rowStart[g + 1]; j++) {
                int rem = g;
                for (int d = r - 2; d >= 0; d--) {
                    indices.setLong((long) j * r + d, rem % groupDims[d]);
                    rem /= groupDims[d];
                }
                indices.setLong((long) j * r + r - 1, j - rowStart[g]);
                if (strings) values.strings()[j] = srows[g][j - rowStart[g]];
                else values.setLong(j, lrows[g][j - rowStart[g]]);
            }
        }
        long[] shape = new long[r];
        for (int d = 0; d < r - 1; d++) shape[d] = groupDims[d];
        shape[r - 1] = maxLen;
        return List.of(indices, values, Buffer.ofLongs(Shape.of(r), shape));
    }

    /** TF's {@code SetSize}: the number of distinct values in each set of a sparse tensor, int32 {@code dense_shape[:-1]}. */
    public static Buffer size(Buffer indices, Buffer values, Buffer denseShape) {
        long[] dims = SparseCoo.dims(denseShape);
        if (dims.length < 2) throw new InvalidArgumentError("Shape " + SparseCoo.list(dims) + " has rank " + dims.length + " < 2");
        long[] pos = SparseCoo.positions(indices, dims);
        long last = dims[dims.length - 1];
        Buffer out = Buffer.allocate(DType.INT32, Shape.of(Arrays.copyOf(dims, dims.length - 1)));
        int n = pos.length;
        int[] order = SparseCoo.ascendingOrder(pos);
        boolean strings = values.dtype() == DType.STRING;
        long[] lv = strings ? null : values.toLongArray();
        String[] sv = strings ? values.strings() : null;
        int k = 0;
        while (k < n) {
            long group = last == 0 ? 0 : pos[order[k]] / last;
            int end = k;
            while (end < n && pos[order[end]] / last == group) end++;
            int distinct;
            if (strings) {
                String[] row = new String[end - k];
                for (int j = k; j < end; j++) row[j - k] = sv[order[j]];
                distinct = unique(row).length;
            } else {
                long[] row = new long[end - k];
                for (int j = k; j < end; j++) row[j - k] = lv[order[j]];
                distinct = unique(row).length;
            }
            out.setLong(group, distinct);
            k = end;
        }
        return out;
    }

    private static long[] unique(long[] v) {
        Arrays.sort(v);
        int n = 0;
        for (int i = 0; i < v.length; i++) if (i == 0 || v[i] != v[i - 1]) v[n++] = v[i];
        return Arrays.copyOf(v, n);
    }

    private static String[] unique(String[] v) {
        Arrays.sort(v);
        int n = 0;
        for (int i = 0; i < v.length; i++) if (i == 0 || !v[i].equals(v[i - 1])) v[n++] = v[i];
        return Arrays.copyOf(v, n);
    }

    private static long[] merge(long[] a, long[] b, Operation op) {
        int[] picks = merge(a.length, b.length, (i, j) -> Long.compare(a[i], b[j]), op);
        long[] out = new long[picks.length];
        for (int n = 0; n < picks.length; n++) out[n] = picks[n] >= 0 ? a[picks[n]] : b[~picks[n]];
        return out;
    }

    private static String[] merge(String[] a, String[] b, Operation op) {
        int[] picks = merge(a.length, b.length, (i, j) -> a[i].compareTo(b[j]), op);
        String[] out = new String[picks.length];
        for (int n = 0; n < picks.length; n++) out[n] = picks[n] >= 0 ? a[picks[n]] : b[~picks[n]];
        return out;
    }

    /**
     * One pass over two sorted, duplicate-free rows of {@code na} and {@code nb} elements that
     * {@code compare} orders (element i of a against element j of b): what {@code op} keeps, in
     * order, as indices, {@code i} for a's element i and {@code ~j} for b's element j.
     */
    private static int[] merge(int na, int nb, IntBinaryOperator compare, Operation op) {
        int[] out = new int[na + nb];
        int i = 0, j = 0, n = 0;
        while (i < na || j < nb) {
            int c = i >= na ? 1 : j >= nb ? -1 : compare.applyAsInt(i, j);
            if (c < 0) {
                if (op == Operation.A_MINUS_B || op == Operation.UNION) out[n++] = i;
                i++;
            } else if (c > 0) {
                if (op == Operation.B_MINUS_A || op == Operation.UNION) out[n++] = ~j;
                j++;
            } else {
                if (op == Operation.INTERSECTION || op == Operation.UNION) out[n++] = i;
                i++;
                j++;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
