package dev.tfjit.ir;

/**
 * Element types, named as TensorFlow names them. Half types are stored as 16-bit patterns and
 * computed in float32, the way TensorFlow's CPU kernels do.
 */
public enum DType {
    BOOL("bool", "bool", 1, Kind.BOOL),
    INT8("int8", "i8", 1, Kind.INT),
    UINT8("uint8", "u8", 1, Kind.INT),
    INT16("int16", "i16", 2, Kind.INT),
    INT32("int32", "i32", 4, Kind.INT),
    INT64("int64", "i64", 8, Kind.INT),
    FLOAT16("float16", "f16", 2, Kind.FLOAT),
    BFLOAT16("bfloat16", "bf16", 2, Kind.FLOAT),
    FLOAT32("float32", "f32", 4, Kind.FLOAT),
    FLOAT64("float64", "f64", 8, Kind.FLOAT),
    STRING("string", "str", 0, Kind.STRING);

    /** What arithmetic means for a dtype. */
    public enum Kind { BOOL, INT, FLOAT, STRING }

    private final String tfName;
    private final String shortName;
    private final int byteSize;
    private final Kind kind;

    DType(String tfName, String shortName, int byteSize, Kind kind) {
        this.tfName = tfName;
        this.shortName = shortName;
        this.byteSize = byteSize;
        this.kind = kind;
    }

    /** TensorFlow's name, as printed in {@code dtype=float32}. */
    public String tfName() { return tfName; }

    /** The IR's name, as in {@code f32[?,784]}. */
    public String shortName() { return shortName; }

    /** Bytes per element in a dense buffer; 0 for strings, which live on the Java heap. */
    public int byteSize() { return byteSize; }

    public Kind kind() { return kind; }

    public boolean isFloating() { return kind == Kind.FLOAT; }

    public boolean isInteger() { return kind == Kind.INT; }

    public boolean isNumeric() { return kind == Kind.INT || kind == Kind.FLOAT; }

    public boolean isSigned() { return this != UINT8 && this != BOOL && this != STRING; }

    /** The smallest value an integer dtype holds (int64's for the others). */
    public long minIntegerValue() {
        return switch (this) {
            case INT8 -> Byte.MIN_VALUE;
            case UINT8 -> 0;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            default -> Long.MIN_VALUE;
        };
    }

    /** The largest value an integer dtype holds (int64's for the others). */
    public long maxIntegerValue() {
        return switch (this) {
            case INT8 -> Byte.MAX_VALUE;
            case UINT8 -> 255;
            case INT16 -> Short.MAX_VALUE;
            case INT32 -> Integer.MAX_VALUE;
            default -> Long.MAX_VALUE;
        };
    }

    public static DType fromShortName(String s) {
        for (DType t : values()) if (t.shortName.equals(s)) return t;
        throw new IllegalArgumentException("unknown dtype '" + s + "'");
    }

    public static DType fromTfName(String s) {
        for (DType t : values()) if (t.tfName.equals(s) || t.shortName.equals(s)) return t;
        throw new IllegalArgumentException("unknown dtype '" + s + "'");
    }

    @Override
    public String toString() { return tfName; }
}
