package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.ir.kernels.Reduce;

import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * {@link Reduce}'s lanes over one row, for every emitter that reduces rows the interpreter's
 * way: element i goes to lane i mod {@link Reduce#LANES}, whole groups of lanes in a loop the
 * vectorizer turns into vector instructions, the lanes then combined as a tree. Also the float
 * max/min row helper (sequential up to {@link Reduce#SEQUENTIAL} elements, lanes above) that
 * {@code Reduce.maxMin} defines.
 */
final class RowLanes {
    private RowLanes() {}

    /**
     * The interpreter's float max/min step: {@code x} replaces {@code a} when it is larger
     * (smaller), or NaN, so NaN wins and the first of equal values stays.
     */
    static Reg maxMin(KernelContext k, boolean max, Reg a, Reg x) {
        String better = k.cmp(max ? "fcmp ogt" : "fcmp olt", x, a);
        String nan = k.cmp("fcmp uno", x, x);
        return k.select(k.f.let("or i1 " + better + ", " + nan), x, a);
    }

    /**
     * Emits the lanes of elements {@code [lo, lo + n)} into {@code k.f} and returns their
     * combination. {@code op} folds an element into a lane (and combines lanes); {@code init} is
     * each lane's start, also standing for the missing elements of a last partial group when
     * {@code rest} (a lane is never -0, so adding +0 changes nothing; max/min ignore -inf/+inf).
     * For float max/min ({@code maxMin} not null: true for max) a lane takes x when x is larger
     * (one vector max instruction, a short dependency chain) and keeps the last NaN it saw apart,
     * which is then the lane's result, exactly as {@link #maxMin} step by step leaves it.
     */
    static Reg reduce(KernelContext k, ComputeType c, Boolean maxMin, Function<String, Reg> at, String init, BinaryOperator<Reg> op,
                      String lo, String n, boolean rest) {
        IrFunction h = k.f;
        String ty = Scalars.llvmType(c);
        int lanes = Reduce.LANES;
        String arr = "[" + lanes + " x " + ty + "]";
        String acc = h.alloca(arr);
        for (int j = 0; j < lanes; j++) h.line("store " + ty + " " + init + ", ptr " + slot(h, arr, acc, Integer.toString(j)));
        String nans = maxMin == null ? null : h.alloca(arr);
        if (nans != null) for (int j = 0; j < lanes; j++) h.line("store " + ty + " " + Scalars.literal(c, 0) + ", ptr " + slot(h, arr, nans, Integer.toString(j)));
        BinaryOperator<Reg> laneOp = maxMin == null ? op : (a, x) -> k.select(k.cmp(maxMin ? "fcmp ogt" : "fcmp olt", x, a), x, a);
        java.util.function.BiConsumer<String, Reg> add = (j, x) -> {
            accumulate(k, c, arr, acc, j, x, laneOp);
            if (nans != null) accumulate(k, c, arr, nans, j, x, (a, y) -> k.select(k.cmp("fcmp uno", y, y), y, a));
        };
        String groups = h.let("udiv i64 " + n + ", " + lanes);
        h.forLoop(groups, g -> {
            String base = h.let("add i64 " + lo + ", " + h.let("mul i64 " + g + ", " + lanes));
            h.forLoop(Integer.toString(lanes), j -> add.accept(j, at.apply(h.let("add i64 " + base + ", " + j))),
                    k.module.vectorizeBeforeUnroll());
        });
        if (rest) {
            // The rest, fewer than LANES elements, as one more group whose missing elements are init.
            // Indexing the lanes only with loop counters lets them live in vector registers.
            String done = h.let("mul i64 " + groups + ", " + lanes);
            String left = h.let("sub i64 " + n + ", " + done);
            h.ifThen(h.let("icmp sgt i64 " + left + ", 0"), () -> {
                String base = h.let("add i64 " + lo + ", " + done);
                String last = h.let("add i64 " + lo + ", " + h.let("sub i64 " + n + ", 1"));
                h.forLoop(Integer.toString(lanes), j -> {
                    String inside = h.let("icmp slt i64 " + j + ", " + left);
                    String i = h.let("select i1 " + inside + ", i64 " + h.let("add i64 " + base + ", " + j) + ", i64 " + last);
                    Reg x = at.apply(i);
                    add.accept(j, k.select(inside, x, new Reg(init, c)));
                }, k.module.vectorizeBeforeUnroll());
            });
        }
        Reg[] v = new Reg[lanes];
        for (int j = 0; j < lanes; j++) {
            v[j] = new Reg(h.let("load " + ty + ", ptr " + slot(h, arr, acc, Integer.toString(j))), c);
            if (nans != null) {
                Reg nan = new Reg(h.let("load " + ty + ", ptr " + slot(h, arr, nans, Integer.toString(j))), c);
                v[j] = k.select(k.cmp("fcmp uno", nan, nan), nan, v[j]);
            }
        }
        for (int w = lanes / 2; w > 0; w /= 2) for (int j = 0; j < w; j++) v[j] = op.apply(v[j], v[j + w]);
        return v[0];
    }

    /**
     * Defines the helper {@code c name(ptr row, i64 lo, i64 n)}: the float max (or min) of
     * {@code element} over {@code [lo, lo + n)} as {@code Reduce.maxMin} takes it, and returns
     * its name; call it like {@link PairwiseSum#call}.
     */
    static String defineMaxMin(FunctionEmitter e, ComputeType c, boolean max, PairwiseSum.Element element) {
        String ty = Scalars.llvmType(c);
        String init = Scalars.literal(c, max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        String name = e.helperName(max ? "rowmax" : "rowmin");
        IrFunction h = new IrFunction("define internal " + ty + " " + name + "(ptr %row, i64 %lo, i64 %n)");
        KernelContext k = e.cx.in(h, null);
        h.line("br i1 " + h.let("icmp sle i64 %n, " + Reduce.SEQUENTIAL) + ", label %sequential, label %lanes");
        h.block("sequential");
        String acc = h.alloca(ty);
        h.line("store " + ty + " " + init + ", ptr " + acc);
        h.forRange("%lo", h.let("add i64 %lo, %n"), i -> {
            Reg a = new Reg(h.let("load " + ty + ", ptr " + acc), c);
            h.line("store " + maxMin(k, max, a, element.at(h, "%row", i)).typed() + ", ptr " + acc);
        });
        h.line("ret " + ty + " " + h.let("load " + ty + ", ptr " + acc));
        h.block("lanes");
        Reg r = reduce(k, c, max, i -> element.at(h, "%row", i), init, (a, x) -> maxMin(k, max, a, x), "%lo", "%n", true);
        h.line("ret " + r.typed());
        e.module.add(h);
        return name;
    }

    private static void accumulate(KernelContext k, ComputeType c, String arr, String acc, String lane, Reg x, BinaryOperator<Reg> op) {
        IrFunction h = k.f;
        String p = slot(h, arr, acc, lane);
        Reg a = new Reg(h.let("load " + Scalars.llvmType(c) + ", ptr " + p), c);
        h.line("store " + op.apply(a, x).typed() + ", ptr " + p);
    }

    private static String slot(IrFunction h, String arr, String acc, String lane) {
        return h.let("getelementptr inbounds " + arr + ", ptr " + acc + ", i64 0, i64 " + lane);
    }
}
