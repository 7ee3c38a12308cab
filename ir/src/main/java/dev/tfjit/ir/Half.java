package dev.tfjit.ir;

/** Conversions for bfloat16 (float16 uses {@link Float#float16ToFloat}). */
public final class Half {
    private Half() {}

    public static float bfloat16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** Round to nearest even, as TensorFlow's bfloat16 cast does; NaN stays a quiet NaN. */
    public static short floatToBfloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) return (short) ((bits >>> 16) | 0x40);
        int lsb = (bits >>> 16) & 1;
        int rounded = bits + 0x7fff + lsb;
        return (short) (rounded >>> 16);
    }
}
