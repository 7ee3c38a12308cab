package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Value;

import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * The native form of the interpreter's {@code StridedCopy}: elements of one strided view (an
 * offset plus a signed element stride per dim, zero to repeat, negative to reverse) copied to
 * another. Slices, reverse, tile, concat, split, stack, pad and fill are all such copies.
 * Elements move as integers of their width, so every bit (NaN payloads, -0.0, subnormals)
 * arrives as the interpreter's byte copies leave it. Dims are merged as {@link LoopNest} does;
 * an innermost run that is contiguous on both sides is one {@code memcpy}.
 */
final class ViewCopy {
    private ViewCopy() {}

    static final String MEMCPY = "declare void @llvm.memcpy.p0.p0.i64(ptr noalias, ptr noalias, i64, i1)";

    /** Where elements come from: a stored value's first element, or a one-element constant's bits. */
    record Source(String pointer, String bits) {
        static Source of(FunctionEmitter e, Value v) {
            return e.isImmediate(v) ? new Source(null, ViewCopy.bits(e.immediate(v))) : new Source(e.pointer(v), null);
        }

        boolean isImmediate() { return bits != null; }
    }

    /**
     * A pointer to a value's elements, also for a one-element constant, which otherwise lives
     * only as a literal: it gets a private global of its bytes.
     */
    static String address(FunctionEmitter e, Value v) {
        if (!e.isImmediate(v)) return e.pointer(v);
        return e.module.constantBytes(e.immediate(v).segment().toArray(ValueLayout.JAVA_BYTE));
    }

    /** The raw bits of element 0 of {@code c}, as an integer literal of the element's width. */
    static String bits(Buffer c) {
        var s = c.segment();
        return switch (c.dtype().byteSize()) {
            case 1 -> Byte.toString(s.get(ValueLayout.JAVA_BYTE, 0));
            case 2 -> Short.toString(s.get(ValueLayout.JAVA_SHORT_UNALIGNED, 0));
            case 4 -> Integer.toString(s.get(ValueLayout.JAVA_INT_UNALIGNED, 0));
            case 8 -> Long.toString(s.get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
            default -> throw new IllegalStateException("no element width " + c.dtype().byteSize());
        };
    }

    /** The integer type an element of {@code t} moves as. */
    static String bitsType(DType t) { return "i" + 8 * t.byteSize(); }

    /** A view over a buffer: element offset and one element stride per dim of the copied shape. */
    record View(long offset, long[] strides) {
        static View rowMajor(int[] shape) { return new View(0, dev.tfjit.ir.Shape.of(shape).strides()); }
    }

    /** {@code dst[view(i)] = src[view(i)]} for every index {@code i} of {@code shape}. */
    static void copy(FunctionEmitter e, DType t, Source src, View from, String dst, View to, int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        if (n == 0) return;
        IrFunction f = e.f;
        e.module.helper("memcpy", MEMCPY);
        LoopNest nest = LoopNest.of(shape, List.of(to.strides(), from.strides()));
        long[] dims = nest.dims();
        long[] ds = nest.strides().get(0), ss = nest.strides().get(1);
        String ty = bitsType(t);
        int last = dims.length - 1;
        boolean runs = !src.isImmediate() && last >= 0 && ds[last] == 1 && ss[last] == 1;
        int loops = runs ? last : dims.length;
        nest(f, dims, loops, 0, new String[loops], ivs -> {
            String dOff = offset(f, to.offset(), ivs, ds);
            if (runs) {
                String sOff = offset(f, from.offset(), ivs, ss);
                long bytes = dims[last] * t.byteSize();
                f.line("call void @llvm.memcpy.p0.p0.i64(ptr " + at(f, ty, dst, dOff) + ", ptr " + at(f, ty, src.pointer(), sOff)
                        + ", i64 " + bytes + ", i1 false)");
                return;
            }
            String value;
            if (src.isImmediate()) {
                value = src.bits();
            } else {
                value = f.let("load " + ty + ", ptr " + at(f, ty, src.pointer(), offset(f, from.offset(), ivs, ss)));
            }
            f.line("store " + ty + " " + value + ", ptr " + at(f, ty, dst, dOff));
        });
    }

    /** Every element of a {@code shape} buffer at {@code dst} set to the one element of {@code src}. */
    static void fill(FunctionEmitter e, DType t, Source src, String dst, int[] shape) {
        copy(e, t, src, new View(0, new long[shape.length]), dst, View.rowMajor(shape), shape);
    }

    /** A pointer to element {@code index} of an array of {@code ty} at {@code base}. */
    static String at(IrFunction f, String ty, String base, String index) {
        return index.equals("0") ? base : f.let("getelementptr inbounds " + ty + ", ptr " + base + ", i64 " + index);
    }

    /** {@code base + sum(ivs[l] * strides[l])} over the loops emitted so far; strides may be negative. */
    static String offset(IrFunction f, long base, String[] ivs, long[] strides) {
        String acc = base == 0 ? null : Long.toString(base);
        for (int l = 0; l < ivs.length; l++) {
            if (strides[l] == 0) continue;
            String term = strides[l] == 1 ? ivs[l] : f.let("mul nsw i64 " + ivs[l] + ", " + strides[l]);
            acc = acc == null ? term : f.let("add nsw i64 " + acc + ", " + term);
        }
        return acc == null ? "0" : acc;
    }

    /** Loops over the first {@code count} of {@code dims}; the body receives their induction variables. */
    static void nest(IrFunction f, long[] dims, int count, int level, String[] ivs, java.util.function.Consumer<String[]> body) {
        if (level == count) {
            body.accept(ivs);
            return;
        }
        f.forLoop(Long.toString(dims[level]), iv -> {
            ivs[level] = iv;
            nest(f, dims, count, level + 1, ivs, body);
        });
    }
}
