package dev.tfjit.codegen.ptx;

import dev.tfjit.codegen.llvm.KernelContext;
import dev.tfjit.codegen.llvm.Reg;
import dev.tfjit.codegen.llvm.Scalars;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.ir.kernels.Reduce;
import dev.tfjit.ir.ops.ReductionOps;

import static dev.tfjit.ir.kernels.ComputeType.F32;
import static dev.tfjit.ir.kernels.ComputeType.F64;
import static dev.tfjit.ir.kernels.ComputeType.I32;
import static dev.tfjit.ir.kernels.ComputeType.I64;

/**
 * What a {@code reduce_*} op computes, as the pieces a parallel reduction needs: the identity
 * each thread starts from, an associative combine (used within a thread, across a warp's lanes
 * and across warps), and the final step on the combined value (a mean divides). The results are
 * those of the interpreter's {@link Reduce} except for the order of float additions, which a
 * parallel sum changes (the CPU backend keeps the interpreter's order; the GPU cannot and stay
 * fast). Max and min let NaN win, read their input unflushed, and so are exact.
 */
final class Reducer {
    static boolean lowers(OpDef op) { return ReductionOps.reduceKind(op) != null; }

    final Reduce.Kind kind;
    final DType dtype;
    final ComputeType c;

    Reducer(OpDef op, DType dtype) {
        this.kind = ReductionOps.reduceKind(op);
        this.dtype = dtype;
        this.c = ComputeType.of(dtype);
    }

    /** Whether leaves are flushed when read (max and min read raw, as TensorFlow does). */
    boolean flushesInput() { return kind != Reduce.Kind.MAX && kind != Reduce.Kind.MIN; }

    private boolean isFloat() { return c == F32 || c == F64; }

    Reg identity() {
        String lit = switch (kind) {
            case SUM, MEAN -> Scalars.literal(c, 0);
            case PROD -> Scalars.literal(c, 1);
            case ANY -> "false";
            case ALL -> "true";
            case MAX -> isFloat() ? Scalars.literal(c, Double.NEGATIVE_INFINITY) : Long.toString(dtype.minIntegerValue());
            case MIN -> isFloat() ? Scalars.literal(c, Double.POSITIVE_INFINITY) : Long.toString(dtype.maxIntegerValue());
        };
        return new Reg(lit, c);
    }

    Reg combine(KernelContext cx, Reg a, Reg x) {
        return switch (kind) {
            case SUM, MEAN -> cx.bin(isFloat() ? "fadd" : "add", a, x);
            case PROD -> cx.bin(isFloat() ? "fmul" : "mul", a, x);
            case ANY -> cx.bin("or", a, x);
            case ALL -> cx.bin("and", a, x);
            case MAX, MIN -> {
                if (!isFloat()) yield cx.intrinsic(kind == Reduce.Kind.MAX ? "smax" : "smin", a, x);
                String better = cx.cmp(kind == Reduce.Kind.MAX ? "fcmp ogt" : "fcmp olt", x, a);
                String nan = cx.cmp("fcmp uno", x, x);
                yield cx.select(cx.f.let("or i1 " + better + ", " + nan), x, a);
            }
        };
    }

    /**
     * The combined value of {@code n} elements made the op's result (before rounding to the
     * dtype): a float mean divides by n; an integer mean divides the (wrapped) sum as a long,
     * truncating, as the interpreter does.
     */
    Reg finish(KernelContext cx, Reg combined, long n) {
        if (kind != Reduce.Kind.MEAN) return combined;
        if (isFloat()) return cx.bin("fdiv", combined, cx.lit(c, n));
        Reg wide = c == I64 ? combined : new Reg(cx.f.let("sext i32 " + combined.name() + " to i64"), I64);
        Reg q = cx.bin("sdiv", wide, cx.lit(I64, n));
        return c == I64 ? q : new Reg(cx.f.let("trunc i64 " + q.name() + " to i32"), I32);
    }

    /** The LLVM type a partial result is kept in memory as (bools as bytes). */
    String memoryType() { return c == ComputeType.BOOL ? "i8" : Scalars.llvmType(c); }

    /** Stores a partial result at element {@code index} (i64) of {@code base}. */
    void storePartial(KernelContext cx, Reg v, String base, String index) {
        String p = cx.f.let("getelementptr inbounds " + memoryType() + ", ptr " + base + ", i64 " + index);
        String value = c == ComputeType.BOOL ? cx.f.let("zext i1 " + v.name() + " to i8") : v.name();
        cx.f.line("store " + memoryType() + " " + value + ", ptr " + p);
    }

    Reg loadPartial(KernelContext cx, String base, String index) {
        String p = cx.f.let("getelementptr inbounds " + memoryType() + ", ptr " + base + ", i64 " + index);
        String raw = cx.f.let("load " + memoryType() + ", ptr " + p);
        return new Reg(c == ComputeType.BOOL ? cx.f.let("icmp ne i8 " + raw + ", 0") : raw, c);
    }

    /** Bytes of one partial result. */
    int partialBytes() {
        return switch (c) {
            case F32, I32 -> 4;
            case F64, I64 -> 8;
            case BOOL -> 1;
            case STRING -> throw new IllegalStateException();
        };
    }
}
