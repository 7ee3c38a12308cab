package dev.tfjit.ir;

import java.lang.foreign.ValueLayout;

/**
 * The raw storage bits of floating-point tensor elements, so IR text can carry NaN payloads
 * exactly ({@code nan(0x7fc00001)}) where printing the value would lose them.
 */
final class FloatBits {
    private FloatBits() {}

    /** The bits of element {@code i} of a floating buffer, zero-extended. */
    static long raw(Buffer b, long i) {
        return switch (b.dtype()) {
            case FLOAT64 -> b.segment().getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i);
            case FLOAT32 -> Integer.toUnsignedLong(b.segment().getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i));
            case FLOAT16, BFLOAT16 -> Short.toUnsignedLong(b.segment().getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i));
            default -> throw new IllegalArgumentException(b.dtype() + " is not a floating dtype");
        };
    }

    /** Stores raw bits into element {@code i}; the bits must fit the dtype's width. */
    static void setRaw(Buffer b, long i, long bits) {
        int width = b.dtype().byteSize() * 8;
        if (width < 64 && (bits >>> width) != 0) {
            throw new IllegalArgumentException("0x" + Long.toHexString(bits) + " does not fit in " + width + " bits");
        }
        switch (b.dtype()) {
            case FLOAT64 -> b.segment().setAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i, bits);
            case FLOAT32 -> b.segment().setAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i, (int) bits);
            case FLOAT16, BFLOAT16 -> b.segment().setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, (short) bits);
            default -> throw new IllegalArgumentException(b.dtype() + " is not a floating dtype");
        }
    }

    /** The bits that storing Java's NaN into this dtype produces: what a plain {@code nan} means. */
    static long defaultNaN(DType dtype) {
        Buffer b = Buffer.allocate(dtype, Shape.SCALAR);
        b.setDouble(0, Double.NaN);
        return raw(b, 0);
    }
}
