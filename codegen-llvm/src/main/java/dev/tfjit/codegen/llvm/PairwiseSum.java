package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.ir.kernels.Reduce;

/**
 * The interpreter's float sum over a contiguous row ({@code Reduce.sumF32}/{@code sumF64} and
 * the softmax kernels' variants), addition for addition: sequential up to
 * {@link Reduce#SEQUENTIAL} elements, {@link Reduce#LANES} interleaved lanes combined as a tree
 * up to {@link Reduce#LEAF}, and longer rows split at {@link Reduce#pairwiseLeft} into two sums.
 */
final class PairwiseSum {
    private PairwiseSum() {}

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
        String zero = Scalars.literal(c, 0);
        String name = e.helperName("rowsum");
        IrFunction h = new IrFunction("define internal " + ty + " " + name + "(ptr %row, i64 %lo, i64 %n)");
        h.line("br i1 " + h.let("icmp sle i64 %n, " + Reduce.SEQUENTIAL) + ", label %sequential, label %wide");

        h.block("sequential");
        String acc = h.alloca(ty);
        h.line("store " + ty + " " + zero + ", ptr " + acc);
        h.forRange("%lo", h.let("add i64 %lo, %n"), i -> {
            Reg x = element.at(h, "%row", i);
            h.line("store " + ty + " " + h.let("fadd " + ty + " " + h.let("load " + ty + ", ptr " + acc) + ", " + x.name()) + ", ptr " + acc);
        });
        h.line("ret " + ty + " " + h.let("load " + ty + ", ptr " + acc));

        h.block("wide");
        h.line("br i1 " + h.let("icmp sle i64 %n, " + Reduce.LEAF) + ", label %lanes, label %split");

        h.block("lanes");
        KernelContext k = e.cx.in(h, null);
        Reg lanes = RowLanes.reduce(k, c, RowLanes.Kind.SUM, i -> element.at(h, "%row", i), "%lo", "%n", true);
        h.line("ret " + lanes.typed());

        h.block("split");
        int leafShift = Integer.numberOfTrailingZeros(Reduce.LEAF);
        String leaves = h.let("lshr i64 " + h.let("add i64 %n, " + (Reduce.LEAF - 1)) + ", " + leafShift);
        String left = h.let("shl i64 " + h.let("lshr i64 " + h.let("add i64 " + leaves + ", 1") + ", 1") + ", " + leafShift);
        String a = h.let("call " + ty + " " + name + "(ptr %row, i64 %lo, i64 " + left + ")");
        String b = h.let("call " + ty + " " + name + "(ptr %row, i64 " + h.let("add i64 %lo, " + left) + ", i64 "
                + h.let("sub i64 %n, " + left) + ")");
        h.line("ret " + ty + " " + h.let("fadd " + ty + " " + a + ", " + b));
        e.module.add(h);
        return name;
    }

    /** The sum of the first {@code n} elements of {@code row}. */
    static Reg call(IrFunction f, String name, ComputeType c, String row, long n) {
        String ty = Scalars.llvmType(c);
        return new Reg(f.let("call " + ty + " " + name + "(ptr " + row + ", i64 0, i64 " + n + ")"), c);
    }
}
