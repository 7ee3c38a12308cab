package dev.tfjit.ir;

import java.util.Arrays;

/**
 * A tensor shape whose dims may be unknown ({@code ?}, stored as {@link #UNKNOWN}) and whose
 * rank itself may be unknown. Immutable.
 */
public final class Shape {
    public static final int UNKNOWN = -1;
    public static final Shape SCALAR = new Shape(new int[0]);
    private static final Shape UNKNOWN_RANK = new Shape(null);

    private final int[] dims; // null when the rank is unknown

    private Shape(int[] dims) { this.dims = dims; }

    /** A shape with the given dims; {@code -1} marks an unknown dim. */
    public static Shape of(int... dims) {
        if (dims.length == 0) return SCALAR;
        for (int d : dims) {
            if (d < UNKNOWN) throw new IllegalArgumentException("negative dim " + d + " in " + Arrays.toString(dims));
        }
        return new Shape(dims.clone());
    }

    public static Shape of(long... dims) {
        int[] d = new int[dims.length];
        for (int i = 0; i < d.length; i++) {
            if (dims[i] > Integer.MAX_VALUE) throw new IllegalArgumentException("dim " + dims[i] + " is too large");
            d[i] = (int) dims[i];
        }
        return of(d);
    }

    public static Shape unknownRank() { return UNKNOWN_RANK; }

    /** A shape of the given rank with every dim unknown. */
    public static Shape unknownDims(int rank) {
        int[] d = new int[rank];
        Arrays.fill(d, UNKNOWN);
        return new Shape(d);
    }

    public boolean hasRank() { return dims != null; }

    public int rank() {
        if (dims == null) throw new IllegalStateException("shape has unknown rank");
        return dims.length;
    }

    /** Dim {@code i}; negative {@code i} counts from the end. May be {@link #UNKNOWN}. */
    public int dim(int i) {
        int r = rank();
        return dims[i < 0 ? i + r : i];
    }

    public boolean isKnown(int i) { return dim(i) != UNKNOWN; }

    /** True when the rank and every dim are known. */
    public boolean isFullyKnown() {
        if (dims == null) return false;
        for (int d : dims) if (d == UNKNOWN) return false;
        return true;
    }

    public boolean isScalar() { return dims != null && dims.length == 0; }

    /** Number of elements; only for fully known shapes. */
    public long numElements() {
        if (!isFullyKnown()) throw new IllegalStateException("shape " + this + " is not fully known");
        long n = 1;
        for (int d : dims) n = Math.multiplyExact(n, d);
        return n;
    }

    public int[] dims() {
        if (dims == null) throw new IllegalStateException("shape has unknown rank");
        return dims.clone();
    }

    /** Row-major strides in elements. */
    public long[] strides() {
        int r = rank();
        long[] s = new long[r];
        long acc = 1;
        for (int i = r - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    /**
     * True when {@code other} fits this possibly partial shape: same rank (unless this rank is
     * unknown) and every dim this shape knows equal in {@code other}. {@code other} may itself be
     * partial, but then it fits only where this shape leaves the dim unknown.
     */
    public boolean accepts(Shape other) {
        if (dims == null) return true;
        if (!other.hasRank() || other.rank() != dims.length) return false;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] != UNKNOWN && dims[i] != other.dims[i]) return false;
        }
        return true;
    }

    /** The most specific shape that both shapes fit (dims that differ become unknown). */
    public Shape mostSpecificCommon(Shape other) {
        if (dims == null || other.dims == null || dims.length != other.dims.length) return UNKNOWN_RANK;
        int[] d = new int[dims.length];
        for (int i = 0; i < d.length; i++) d[i] = dims[i] == other.dims[i] ? dims[i] : UNKNOWN;
        return new Shape(d);
    }

    public Shape withDim(int axis, int value) {
        int[] d = dims();
        d[axis] = value;
        return of(d);
    }

    /** TensorFlow's printed form: {@code (2, 3)}, {@code (None, 784)}, {@code ()}, {@code <unknown>}. */
    @Override
    public String toString() {
        if (dims == null) return "<unknown>";
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(dims[i] == UNKNOWN ? "None" : Integer.toString(dims[i]));
        }
        if (dims.length == 1) sb.append(',');
        return sb.append(')').toString();
    }

    /** The IR's form: {@code [2,3]}, {@code [?,784]}, {@code []}, {@code [*]} for unknown rank. */
    public String irString() {
        if (dims == null) return "[*]";
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(dims[i] == UNKNOWN ? "?" : Integer.toString(dims[i]));
        }
        return sb.append(']').toString();
    }

    /** Error-message form, like TensorFlow's: {@code [2,3]}. */
    public String brief() { return irString(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(dims); }
}
