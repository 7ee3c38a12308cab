package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;

/** NumPy broadcasting of shapes, static (with unknown dims) and concrete. */
public final class Broadcast {
    private Broadcast() {}

    /**
     * The broadcast of two shapes. Unknown dims stay unknown unless the other side fixes them
     * (a known dim other than 1 wins). Incompatible known dims throw TensorFlow's message.
     */
    public static Shape shapes(Shape a, Shape b) {
        if (!a.hasRank() || !b.hasRank()) return Shape.unknownRank();
        int r = Math.max(a.rank(), b.rank());
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.rank() ? 1 : a.dim(i - (r - a.rank()));
            int db = i < r - b.rank() ? 1 : b.dim(i - (r - b.rank()));
            out[i] = dim(da, db, a, b);
        }
        return Shape.of(out);
    }

    private static int dim(int da, int db, Shape a, Shape b) {
        if (da == db) return da;
        if (da == 1) return db;
        if (db == 1) return da;
        if (da == Shape.UNKNOWN) return db == Shape.UNKNOWN ? Shape.UNKNOWN : db;
        if (db == Shape.UNKNOWN) return da;
        throw new ShapeError("Incompatible shapes: " + a.brief() + " vs. " + b.brief());
    }

    /**
     * Strides (in elements) with which an operand of shape {@code in} is read while iterating
     * over {@code out}: zero on broadcast dims, aligned from the right.
     */
    public static long[] readStrides(Shape in, Shape out) {
        int r = out.rank();
        long[] strides = new long[r];
        long[] own = in.strides();
        int offset = r - in.rank();
        for (int i = 0; i < in.rank(); i++) {
            strides[i + offset] = in.dim(i) == 1 && out.dim(i + offset) != 1 ? 0 : own[i];
        }
        return strides;
    }
}
