package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.kernels.ComputeType;

/**
 * The interpreter's float sum over a contiguous row ({@code Reduce.sumF32}/{@code sumF64} and
 * the softmax kernels' variants): sequential over at most 16 elements, otherwise the sum of the
 * two halves' sums, which a recursive helper function reproduces addition for addition.
 */
final class PairwiseSum {
    private PairwiseSum() {}

    /** Below this many elements the interpreter's float sum is sequential (Reduce.PAIRWISE_BLOCK). */
    static final int BLOCK = 16;

    /** One element of the row, emitted into the helper function {@code h} from the row pointer and an i64 index. */
    @FunctionalInterface
    interface Element {
        Reg at(IrFunction h, String row, String index);
    }

    /**
     * Defines the helper {@code c name(ptr row, i64 lo, i64 n)} summing {@code element} over
     * {@code [lo, lo + n)} and returns its name; call it with {@link #call}.
     */
    static String define(FunctionEmitter e, ComputeType c, Element element) {
        String ty = Scalars.llvmType(c);
        String name = e.helperName("rowsum");
        IrFunction h = new IrFunction("define internal " + ty + " " + name + "(ptr %row, i64 %lo, i64 %n)");
        String small = h.let("icmp sle i64 %n, " + BLOCK);
        h.line("br i1 " + small + ", label %leaf, label %split");
        h.block("split");
        String half = h.let("lshr i64 %n, 1");
        String a = h.let("call " + ty + " " + name + "(ptr %row, i64 %lo, i64 " + half + ")");
        String b = h.let("call " + ty + " " + name + "(ptr %row, i64 " + h.let("add i64 %lo, " + half) + ", i64 "
                + h.let("sub i64 %n, " + half) + ")");
        h.line("ret " + ty + " " + h.let("fadd " + ty + " " + a + ", " + b));
        h.block("leaf");
        String acc = h.alloca(ty);
        h.line("store " + ty + " " + Scalars.literal(c, 0) + ", ptr " + acc);
        h.forRange("%lo", h.let("add i64 %lo, %n"), i -> {
            Reg x = element.at(h, "%row", i);
            h.line("store " + ty + " " + h.let("fadd " + ty + " " + h.let("load " + ty + ", ptr " + acc) + ", " + x.name()) + ", ptr " + acc);
        });
        h.line("ret " + ty + " " + h.let("load " + ty + ", ptr " + acc));
        e.module.add(h);
        return name;
    }

    /** The sum of the first {@code n} elements of {@code row}. */
    static Reg call(IrFunction f, String name, ComputeType c, String row, long n) {
        String ty = Scalars.llvmType(c);
        return new Reg(f.let("call " + ty + " " + name + "(ptr " + row + ", i64 0, i64 " + n + ")"), c);
    }
}
