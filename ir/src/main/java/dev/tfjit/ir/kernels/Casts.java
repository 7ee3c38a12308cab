package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.Half;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * TensorFlow's {@code Cast} semantics on x86: float to int truncates toward zero, and NaN,
 * infinities and out-of-range values become the "integer indefinite" value (INT_MIN of the
 * 32- or 64-bit conversion; narrower ints then keep its low bits); narrowing int casts keep the
 * low bits; float to bool is {@code x != 0} after denormals-are-zero.
 */
public final class Casts {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfShort S = ValueLayout.JAVA_SHORT;
    private static final ValueLayout.OfByte B = ValueLayout.JAVA_BYTE;

    private Casts() {}

    /** The buffer in its compute type's dtype (the same buffer when it already is). */
    static Buffer widen(Buffer a, ComputeType c) {
        return a.dtype() == c.dtype() ? a : cast(a, c.dtype());
    }

    /** A computed buffer stored back in the op's dtype. */
    static Buffer narrow(Buffer r, DType t) {
        return r.dtype() == t ? r : cast(r, t);
    }

    public static Buffer cast(Buffer a, DType to) {
        DType from = a.dtype();
        if (from == to) return a;
        if (from == DType.STRING || to == DType.STRING) {
            throw new DTypeError("Cast string to " + to + " is not supported; use string conversion ops");
        }
        Buffer r = Buffer.allocateUninitialized(to, a.shape());
        MemorySegment s = a.segment(), o = r.segment();
        long n = a.size();
        if (from.isFloating()) {
            for (long i = 0; i < n; i++) storeFromDouble(o, to, i, loadFloating(s, from, i));
        } else {
            for (long i = 0; i < n; i++) storeFromLong(o, to, i, loadIntegral(s, from, i));
        }
        return r;
    }

    private static double loadFloating(MemorySegment s, DType t, long i) {
        return switch (t) {
            case FLOAT32 -> Fn.ftz(s.getAtIndex(F, i));
            case FLOAT64 -> Fn.ftz(s.getAtIndex(D, i));
            case FLOAT16 -> Float.float16ToFloat(s.getAtIndex(S, i));
            case BFLOAT16 -> Fn.ftz(Half.bfloat16ToFloat(s.getAtIndex(S, i)));
            default -> throw new IllegalStateException(t.toString());
        };
    }

    private static long loadIntegral(MemorySegment s, DType t, long i) {
        return switch (t) {
            case BOOL -> s.get(B, i) != 0 ? 1 : 0;
            case INT8 -> s.get(B, i);
            case UINT8 -> Byte.toUnsignedInt(s.get(B, i));
            case INT16 -> s.getAtIndex(S, i);
            case INT32 -> s.getAtIndex(I, i);
            case INT64 -> s.getAtIndex(L, i);
            default -> throw new IllegalStateException(t.toString());
        };
    }

    private static void storeFromDouble(MemorySegment o, DType to, long i, double v) {
        switch (to) {
            case FLOAT32 -> o.setAtIndex(F, i, Fn.ftz((float) v));
            case FLOAT64 -> o.setAtIndex(D, i, v);
            case FLOAT16 -> o.setAtIndex(S, i, Float.floatToFloat16((float) v));
            case BFLOAT16 -> o.setAtIndex(S, i, Half.floatToBfloat16((float) v));
            case BOOL -> o.set(B, i, v != 0 ? (byte) 1 : 0); // NaN != 0 is true, as in TF
            case INT64 -> o.setAtIndex(L, i, truncToLong(v));
            case INT32 -> o.setAtIndex(I, i, truncToInt(v));
            case INT16 -> o.setAtIndex(S, i, (short) truncToInt(v));
            case INT8, UINT8 -> o.set(B, i, (byte) truncToInt(v));
            case STRING -> throw new IllegalStateException();
        }
    }

    private static void storeFromLong(MemorySegment o, DType to, long i, long v) {
        switch (to) {
            case FLOAT32 -> o.setAtIndex(F, i, (float) v);
            case FLOAT64 -> o.setAtIndex(D, i, (double) v);
            case FLOAT16 -> o.setAtIndex(S, i, Float.floatToFloat16((float) v));
            case BFLOAT16 -> o.setAtIndex(S, i, Half.floatToBfloat16((float) v));
            case BOOL -> o.set(B, i, v != 0 ? (byte) 1 : 0);
            case INT64 -> o.setAtIndex(L, i, v);
            case INT32 -> o.setAtIndex(I, i, (int) v);
            case INT16 -> o.setAtIndex(S, i, (short) v);
            case INT8, UINT8 -> o.set(B, i, (byte) v);
            case STRING -> throw new IllegalStateException();
        }
    }

    /** x86 cvttsd2si: truncation, or INT_MIN when the result does not fit (NaN included). */
    public static int truncToInt(double v) {
        if (!(v > -2147483649.0 && v < 2147483648.0)) return Integer.MIN_VALUE;
        return (int) v;
    }

    /** 64-bit cvttsd2si: truncation, or INT64_MIN when the result does not fit. */
    public static long truncToLong(double v) {
        if (!(v >= -9.223372036854775808E18 && v < 9.223372036854775808E18)) return Long.MIN_VALUE;
        return (long) v;
    }
}
