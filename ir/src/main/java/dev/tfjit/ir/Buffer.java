package dev.tfjit.ir;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * A tensor's value: dtype, a fully known shape, and its elements in row-major order. Dense
 * dtypes live in a 64-byte aligned native {@link MemorySegment}; strings live on the heap.
 *
 * <p>Buffers are immutable once a kernel has filled them. Native memory comes from
 * {@link NativeMemory}'s pool and goes back to it only once the buffer's segment (and every slice
 * of it) is unreachable, so it can never be touched after that; the pool keeps the total bounded.
 *
 * <p>This class lives in {@code ir} (not {@code runtime}) because constants in the IR and the
 * op catalog's reference kernels need host values, and {@code ir} depends on nothing.
 */
public final class Buffer {
    public static final long ALIGNMENT = 64;

    private static final ValueLayout.OfByte B = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfShort S = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    private final DType dtype;
    private final Shape shape;
    private final TensorType type; // made once: every eager op asks for it, usually more than once
    private final long size;
    private final MemorySegment data; // null for strings
    private final String[] strings;   // null for dense dtypes

    private Buffer(DType dtype, Shape shape, MemorySegment data, String[] strings) {
        this.dtype = dtype;
        this.shape = shape;
        this.type = new TensorType(dtype, shape);
        this.size = shape.numElements();
        this.data = data;
        this.strings = strings;
    }

    /** A zero-filled buffer. */
    public static Buffer allocate(DType dtype, Shape shape) { return create(dtype, shape, true); }

    /**
     * A buffer whose dense memory holds arbitrary bytes (often a freed tensor's), for kernels
     * that write every element before anything reads it: it saves a pass over memory that
     * large elementwise ops otherwise spend zeroing their result. String buffers hold "".
     */
    public static Buffer allocateUninitialized(DType dtype, Shape shape) { return create(dtype, shape, false); }

    private static Buffer create(DType dtype, Shape shape, boolean zeroed) {
        if (!shape.isFullyKnown()) throw new ShapeError("cannot allocate a buffer of partial shape " + shape);
        long n = shape.numElements();
        if (dtype == DType.STRING) {
            String[] s = new String[Math.toIntExact(n)];
            Arrays.fill(s, "");
            return new Buffer(dtype, shape, null, s);
        }
        long bytes = Math.multiplyExact(n, (long) dtype.byteSize());
        return new Buffer(dtype, shape, NativeMemory.allocate(bytes, ALIGNMENT, zeroed), null);
    }

    public static Buffer allocate(DType dtype, int... dims) { return allocate(dtype, Shape.of(dims)); }

    /** Wraps a string array (copied). */
    public static Buffer ofStrings(Shape shape, String... values) {
        if (values.length != shape.numElements()) {
            throw new ShapeError("cannot make a string tensor of shape " + shape + " from " + values.length + " values");
        }
        for (String v : values) if (v == null) throw new IllegalArgumentException("string tensors cannot hold null");
        return new Buffer(DType.STRING, shape, null, values.clone());
    }

    public static Buffer ofFloats(Shape shape, float... v) { return fill(DType.FLOAT32, shape, v.length).copyFrom(MemorySegment.ofArray(v)); }

    public static Buffer ofDoubles(Shape shape, double... v) { return fill(DType.FLOAT64, shape, v.length).copyFrom(MemorySegment.ofArray(v)); }

    public static Buffer ofInts(Shape shape, int... v) { return fill(DType.INT32, shape, v.length).copyFrom(MemorySegment.ofArray(v)); }

    public static Buffer ofLongs(Shape shape, long... v) { return fill(DType.INT64, shape, v.length).copyFrom(MemorySegment.ofArray(v)); }

    public static Buffer ofBytes(DType dtype, Shape shape, byte... v) {
        if (dtype.byteSize() != 1) throw new IllegalArgumentException("ofBytes needs a 1-byte dtype, not " + dtype);
        return fill(dtype, shape, v.length).copyFrom(MemorySegment.ofArray(v));
    }

    public static Buffer ofBooleans(Shape shape, boolean... v) {
        Buffer b = fill(DType.BOOL, shape, v.length);
        for (int i = 0; i < v.length; i++) b.data.set(B, i, v[i] ? (byte) 1 : 0);
        return b;
    }

    /** A scalar of any numeric or bool dtype holding {@code value} converted as {@link #setDouble} does. */
    public static Buffer scalar(DType dtype, double value) {
        Buffer b = allocate(dtype, Shape.SCALAR);
        b.setDouble(0, value);
        return b;
    }

    /** A scalar of an integer dtype holding {@code value} (low bits kept for narrow dtypes). */
    public static Buffer scalarLong(DType dtype, long value) {
        Buffer b = allocate(dtype, Shape.SCALAR);
        b.setLong(0, value);
        return b;
    }

    /** A buffer the caller fills completely from {@code count} values. */
    private static Buffer fill(DType dtype, Shape shape, int count) {
        if (!shape.isFullyKnown() || shape.numElements() != count) {
            throw new ShapeError("cannot make a " + dtype + " tensor of shape " + shape + " from " + count + " values");
        }
        return allocateUninitialized(dtype, shape);
    }

    private Buffer copyFrom(MemorySegment src) {
        data.copyFrom(src);
        return this;
    }

    public DType dtype() { return dtype; }

    public Shape shape() { return shape; }

    public TensorType type() { return type; }

    /** Number of elements. */
    public long size() { return size; }

    /** The native memory of a dense buffer. Kernels write only into buffers they allocated. */
    public MemorySegment segment() {
        if (data == null) throw new DTypeError("a " + dtype + " tensor has no dense memory");
        return data;
    }

    /** The elements of a string buffer (the live array: do not modify unless you allocated it). */
    public String[] strings() {
        if (strings == null) throw new DTypeError("expected a string tensor, got " + dtype);
        return strings;
    }

    /** The same elements seen with another shape of the same size (shares memory). */
    public Buffer reshaped(Shape newShape) {
        if (newShape.numElements() != size) {
            throw new ShapeError("cannot reshape " + size + " elements to " + newShape.brief());
        }
        return new Buffer(dtype, newShape, data, strings);
    }

    // ---- element access for slow, dtype-generic paths (conversion, printing, small kernels) ----

    /** Element {@code i} as a double (bool 0/1, uint8 unsigned, halves widened). */
    public double getDouble(long i) {
        return switch (dtype) {
            case BOOL -> data.get(B, i) != 0 ? 1 : 0;
            case INT8 -> data.get(B, i);
            case UINT8 -> Byte.toUnsignedInt(data.get(B, i));
            case INT16 -> data.getAtIndex(S, i);
            case INT32 -> data.getAtIndex(I, i);
            case INT64 -> data.getAtIndex(L, i);
            case FLOAT16 -> Float.float16ToFloat(data.getAtIndex(S, i));
            case BFLOAT16 -> Half.bfloat16ToFloat(data.getAtIndex(S, i));
            case FLOAT32 -> data.getAtIndex(F, i);
            case FLOAT64 -> data.getAtIndex(D, i);
            case STRING -> throw new DTypeError("a string tensor has no numeric value");
        };
    }

    /** Element {@code i} as a long (floats truncated toward zero). */
    public long getLong(long i) {
        return switch (dtype) {
            case INT64 -> data.getAtIndex(L, i);
            case INT32 -> data.getAtIndex(I, i);
            case INT16 -> data.getAtIndex(S, i);
            case INT8 -> data.get(B, i);
            case UINT8 -> Byte.toUnsignedInt(data.get(B, i));
            case BOOL -> data.get(B, i) != 0 ? 1 : 0;
            default -> (long) getDouble(i);
        };
    }

    public boolean getBoolean(long i) {
        return dtype == DType.BOOL ? data.get(B, i) != 0 : getDouble(i) != 0;
    }

    /** Stores {@code v} converted to this dtype (integers wrap to their width, halves round). */
    public void setDouble(long i, double v) {
        switch (dtype) {
            case BOOL -> data.set(B, i, v != 0 ? (byte) 1 : 0);
            case INT8, UINT8 -> data.set(B, i, (byte) (long) v);
            case INT16 -> data.setAtIndex(S, i, (short) (long) v);
            case INT32 -> data.setAtIndex(I, i, (int) (long) v);
            case INT64 -> data.setAtIndex(L, i, (long) v);
            case FLOAT16 -> data.setAtIndex(S, i, Float.floatToFloat16((float) v));
            case BFLOAT16 -> data.setAtIndex(S, i, Half.floatToBfloat16((float) v));
            case FLOAT32 -> data.setAtIndex(F, i, (float) v);
            case FLOAT64 -> data.setAtIndex(D, i, v);
            case STRING -> throw new DTypeError("a string tensor has no numeric value");
        }
    }

    /** Stores {@code v} converted to this dtype, keeping all 64 bits for int64. */
    public void setLong(long i, long v) {
        switch (dtype) {
            case BOOL -> data.set(B, i, v != 0 ? (byte) 1 : 0);
            case INT8, UINT8 -> data.set(B, i, (byte) v);
            case INT16 -> data.setAtIndex(S, i, (short) v);
            case INT32 -> data.setAtIndex(I, i, (int) v);
            case INT64 -> data.setAtIndex(L, i, v);
            default -> setDouble(i, v);
        }
    }

    public String getString(long i) { return strings()[Math.toIntExact(i)]; }

    // ---- whole-buffer conversions ----

    public float[] toFloatArray() {
        if (dtype == DType.FLOAT32) return data.toArray(ValueLayout.JAVA_FLOAT);
        float[] out = new float[Math.toIntExact(size)];
        for (int i = 0; i < out.length; i++) out[i] = (float) getDouble(i);
        return out;
    }

    public double[] toDoubleArray() {
        if (dtype == DType.FLOAT64) return data.toArray(ValueLayout.JAVA_DOUBLE);
        double[] out = new double[Math.toIntExact(size)];
        for (int i = 0; i < out.length; i++) out[i] = getDouble(i);
        return out;
    }

    public int[] toIntArray() {
        if (dtype == DType.INT32) return data.toArray(ValueLayout.JAVA_INT);
        int[] out = new int[Math.toIntExact(size)];
        for (int i = 0; i < out.length; i++) out[i] = (int) getLong(i);
        return out;
    }

    public long[] toLongArray() {
        if (dtype == DType.INT64) return data.toArray(ValueLayout.JAVA_LONG);
        long[] out = new long[Math.toIntExact(size)];
        for (int i = 0; i < out.length; i++) out[i] = getLong(i);
        return out;
    }

    public boolean[] toBooleanArray() {
        boolean[] out = new boolean[Math.toIntExact(size)];
        for (int i = 0; i < out.length; i++) out[i] = getBoolean(i);
        return out;
    }

    /** Exact equality of dtype, shape and bits (NaNs with equal bits are equal). */
    public boolean contentEquals(Buffer o) {
        if (dtype != o.dtype || !shape.equals(o.shape)) return false;
        if (strings != null) return Arrays.equals(strings, o.strings);
        return data.mismatch(o.data) == -1;
    }

    /** A short debug form; the user-facing printer lives with Tensor. */
    @Override
    public String toString() { return "Buffer(" + dtype.shortName() + shape.irString() + ")"; }

    /** Copies this buffer into fresh memory. */
    public Buffer copy() {
        if (strings != null) return new Buffer(dtype, shape, null, strings.clone());
        Buffer b = allocateUninitialized(dtype, shape);
        b.data.copyFrom(data);
        return b;
    }

}
