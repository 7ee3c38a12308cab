package dev.tfjit.ir.kernels;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;

import java.util.EnumSet;
import java.util.Set;

/**
 * The dtypes a TensorFlow op registers for its type attr {@code T}, kept as TensorFlow lists them
 * so that a rejected dtype gets TensorFlow's exact message. Names tfjit has no dtype for
 * (uint16, complex64, ...) stay in the listing but allow nothing.
 */
public record AllowedTypes(String tfOp, String listing, Set<DType> dtypes) {

    /** Parses TensorFlow's listing, e.g. {@code "bfloat16, half, float, double, int32, int64"}. */
    public static AllowedTypes of(String tfOp, String listing) {
        Set<DType> set = EnumSet.noneOf(DType.class);
        for (String name : listing.split(",\\s*")) {
            DType t = fromTfInternalName(name.strip());
            if (t != null) set.add(t);
        }
        return new AllowedTypes(tfOp, listing, Set.copyOf(set));
    }

    public boolean allows(DType t) { return dtypes.contains(t); }

    /** Throws TensorFlow's error for a dtype outside the list. */
    public void check(DType t) {
        if (!allows(t)) {
            throw new DTypeError("Value for attr 'T' of " + tfInternalName(t) + " is not in the list of allowed values: "
                    + listing + "\n\t; NodeDef: {{node " + tfOp + "}}");
        }
    }

    /** The name TensorFlow's C++ core prints for a dtype ({@code float}, {@code double}, {@code half}). */
    public static String tfInternalName(DType t) {
        return switch (t) {
            case FLOAT16 -> "half";
            case FLOAT32 -> "float";
            case FLOAT64 -> "double";
            default -> t.tfName();
        };
    }

    private static DType fromTfInternalName(String name) {
        return switch (name) {
            case "half" -> DType.FLOAT16;
            case "float" -> DType.FLOAT32;
            case "double" -> DType.FLOAT64;
            case "bfloat16" -> DType.BFLOAT16;
            case "int8" -> DType.INT8;
            case "uint8" -> DType.UINT8;
            case "int16" -> DType.INT16;
            case "int32" -> DType.INT32;
            case "int64" -> DType.INT64;
            case "bool" -> DType.BOOL;
            case "string" -> DType.STRING;
            default -> null; // uint16, uint32, uint64, complex64, complex128, qint8: no tfjit dtype
        };
    }

    // TensorFlow's own lists (tensorflow/core/ops/math_ops.cc, nn_ops.cc), in its order.
    public static final String BINARY_MORE = "bfloat16, half, float, double, uint8, int8, uint16, int16, int32, uint32, uint64, int64, complex64, complex128";
    public static final String ADD_V2 = "bfloat16, half, float, double, uint8, uint16, uint32, uint64, int8, int16, int32, int64, complex64, complex128";
    public static final String MAX_MIN = "bfloat16, half, float, double, int8, uint8, int16, uint16, int32, uint32, int64, uint64";
    public static final String FLOOR_MOD = "int8, int16, int32, int64, uint8, uint16, uint32, uint64, bfloat16, half, float, double";
    public static final String TRUNCATE_MOD = "int32, int64, bfloat16, half, float, double";
    public static final String SQUARED_DIFFERENCE = "bfloat16, half, float, double, int32, int64, complex64, complex128";
    public static final String POW = "bfloat16, float, half, double, int8, int16, int32, int64, complex64, complex128";
    public static final String UNARY = "bfloat16, half, float, double, int8, int16, int32, int64, complex64, complex128";
    public static final String ABS = "bfloat16, half, float, double, int8, int16, int32, int64";
    public static final String UNARY_COMPLEX = "bfloat16, half, float, double, complex64, complex128";
    public static final String UNARY_REAL = "bfloat16, half, float, double";
    public static final String REAL_NUMBER = "float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, uint32, uint64";
    public static final String ALL_TYPES = "bool, string, bfloat16, half, float, double, uint8, int8, int16, int32, int64";
    public static final String BOOL = "bool";
    public static final String FLOATING = "half, bfloat16, float, double";
}
