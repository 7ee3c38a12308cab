package dev.tfjit.ir.kernels;

import dev.tfjit.ir.DType;

/**
 * The type an elementwise kernel computes in. Narrow types are widened, computed, and narrowed
 * back: halves compute in float32 (rounding once per op, as TensorFlow's CPU kernels do) and
 * 8/16-bit integers in int32 (so results wrap to their width when stored).
 */
public enum ComputeType {
    F32, F64, I32, I64, BOOL, STRING;

    public static ComputeType of(DType t) {
        return switch (t) {
            case FLOAT16, BFLOAT16, FLOAT32 -> F32;
            case FLOAT64 -> F64;
            case INT8, UINT8, INT16, INT32 -> I32;
            case INT64 -> I64;
            case BOOL -> BOOL;
            case STRING -> STRING;
        };
    }

    /** The dtype buffers are widened to before computing. */
    public DType dtype() {
        return switch (this) {
            case F32 -> DType.FLOAT32;
            case F64 -> DType.FLOAT64;
            case I32 -> DType.INT32;
            case I64 -> DType.INT64;
            case BOOL -> DType.BOOL;
            case STRING -> DType.STRING;
        };
    }
}
