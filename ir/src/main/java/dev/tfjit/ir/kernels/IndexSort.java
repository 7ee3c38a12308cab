package dev.tfjit.ir.kernels;

/**
 * A stable merge sort of indices by primitive keys, largest key first; equal keys keep their
 * index order. Keys are doubles (floats) or longs (ints, exact up to 64 bits); NaN sorts first.
 */
final class IndexSort {
    private IndexSort() {}

    /** Sorts {@code order} by {@code fkeys} (when non-null) or {@code ikeys}, descending and stable. */
    static void descending(int[] order, int[] scratch, double[] fkeys, long[] ikeys) {
        sort(order, scratch, 0, order.length, fkeys, ikeys);
    }

    private static void sort(int[] a, int[] tmp, int lo, int hi, double[] f, long[] l) {
        if (hi - lo < 2) return;
        if (hi - lo <= 16) {
            for (int i = lo + 1; i < hi; i++) {
                int v = a[i];
                int j = i - 1;
                while (j >= lo && before(v, a[j], f, l)) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = v;
            }
            return;
        }
        int mid = (lo + hi) >>> 1;
        sort(a, tmp, lo, mid, f, l);
        sort(a, tmp, mid, hi, f, l);
        if (!before(a[mid], a[mid - 1], f, l)) return;
        System.arraycopy(a, lo, tmp, lo, hi - lo);
        int i = lo, j = mid, o = lo;
        while (i < mid && j < hi) a[o++] = before(tmp[j], tmp[i], f, l) ? tmp[j++] : tmp[i++];
        while (i < mid) a[o++] = tmp[i++];
        while (j < hi) a[o++] = tmp[j++];
    }

    /** True when index x must come strictly before index y (its key is strictly larger). */
    private static boolean before(int x, int y, double[] f, long[] l) {
        if (f != null) {
            double a = f[x], b = f[y];
            return a > b || (a != a && b == b);
        }
        return l[x] > l[y];
    }
}
