package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.kernels.ComputeType;

import static dev.tfjit.ir.kernels.ComputeType.*;

/**
 * {@code cast} as {@link dev.tfjit.ir.kernels.Casts} defines it (x86 TensorFlow): float to int
 * truncates, and NaN or out-of-range values give the "integer indefinite" INT_MIN of the 32- or
 * 64-bit conversion (LLVM's fptosi would be poison there, so the range is checked first);
 * narrowing ints keep the low bits; float to bool is {@code x != 0}; float64 to a half rounds
 * through float32, as the interpreter does.
 */
final class CastLowering {
    private CastLowering() {}

    /** {@code x} holds a {@code from} element in its compute type; the result is in {@code to}'s compute type. */
    static Reg cast(KernelContext cx, Reg x, DType from, DType to) {
        ComputeType target = ComputeType.of(to);
        if (from.isFloating()) {
            Reg d = cx.fpext(x);
            return switch (to) {
                case FLOAT32, FLOAT16, BFLOAT16 -> x.type() == F32 ? x : cx.fptrunc(d); // rounding to halves happens when stored
                case FLOAT64 -> d;
                case BOOL -> new Reg(cx.cmp("fcmp une", d, cx.lit(F64, 0)), BOOL);
                case INT64 -> truncToLong(cx, d);
                case INT32, INT16, INT8, UINT8 -> truncToInt(cx, d); // the emitter keeps the low bits of narrower ints
                case STRING -> throw new IllegalStateException();
            };
        }
        // From an integer or bool: x is i1, i32 (sign- or zero-extended per dtype) or i64.
        Reg wide = x.type() == I64 ? x : new Reg(cx.f.let((x.type() == BOOL ? "zext " : "sext ") + x.typed() + " to i64"), I64);
        return switch (target) {
            case F32 -> new Reg(cx.f.let("sitofp i64 " + wide.name() + " to float"), F32);
            case F64 -> new Reg(cx.f.let("sitofp i64 " + wide.name() + " to double"), F64);
            case I64 -> wide;
            case I32 -> new Reg(cx.f.let("trunc i64 " + wide.name() + " to i32"), I32);
            case BOOL -> new Reg(cx.cmp("icmp ne", wide, cx.lit(I64, 0)), BOOL);
            case STRING -> throw new IllegalStateException();
        };
    }

    /** Casts.truncToInt: cvttsd2si, INT_MIN unless -2^31-1 < v < 2^31. */
    private static Reg truncToInt(KernelContext cx, Reg d) {
        String above = cx.cmp("fcmp ogt", d, cx.lit(F64, -2147483649.0));
        String below = cx.cmp("fcmp olt", d, cx.lit(F64, 2147483648.0));
        String fits = cx.f.let("and i1 " + above + ", " + below);
        Reg safe = cx.select(fits, d, cx.lit(F64, 0));
        Reg t = new Reg(cx.f.let("fptosi double " + safe.name() + " to i32"), I32);
        return cx.select(fits, t, cx.lit(I32, Integer.MIN_VALUE));
    }

    /** Casts.truncToLong: INT64_MIN unless -2^63 <= v < 2^63. */
    private static Reg truncToLong(KernelContext cx, Reg d) {
        String above = cx.cmp("fcmp oge", d, cx.lit(F64, -9.223372036854775808E18));
        String below = cx.cmp("fcmp olt", d, cx.lit(F64, 9.223372036854775808E18));
        String fits = cx.f.let("and i1 " + above + ", " + below);
        Reg safe = cx.select(fits, d, cx.lit(F64, 0));
        Reg t = new Reg(cx.f.let("fptosi double " + safe.name() + " to i64"), I64);
        return cx.select(fits, t, new Reg(Long.toString(Long.MIN_VALUE), I64));
    }
}
