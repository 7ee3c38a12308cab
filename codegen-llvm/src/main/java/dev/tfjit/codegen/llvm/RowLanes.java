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

    /** What a row of lanes computes: a float sum, max or min. */
    enum Kind { SUM, MAX, MIN }

    /**
     * Emits the lanes of elements {@code [lo, lo + n)} into {@code k.f} and returns their
     * combination in the tree order. Each lane starts from the identity (+0, -inf, +inf), which
     * also stands for the missing elements of a last partial group when {@code rest} (a lane is
     * never -0, so adding +0 changes nothing; max/min ignore -inf/+inf). For max/min a lane takes
     * x when x is larger (smaller) (one vector max instruction, a short dependency chain) and
     * keeps the last NaN it saw apart, which is then the lane's result, exactly as
     * {@link #maxMin} step by step leaves it. The lanes are set and combined as vectors (a few
     * instructions for LLVM to optimize rather than a hundred scalar ones).
     */
    static Reg reduce(KernelContext k, ComputeType c, Kind kind, Function<String, Reg> at, String lo, String n, boolean rest) {
        return reduce(k, c, kind, at, lo, n, rest, null);
    }

    /**
     * {@link #reduce} where {@code at} also stores (a row group member folding a sum into its
     * loop): {@code group}, when not null, is the access group ({@link IrModule#accessGroup}) the
     * lane loops' accesses are tagged with, declaring lanes independent of each other (no
     * run-time overlap checks between the stores and the loads).
     */
    static Reg reduce(KernelContext k, ComputeType c, Kind kind, Function<String, Reg> at, String lo, String n, boolean rest, String group) {
        IrFunction h = k.f;
        String ty = Scalars.llvmType(c);
        int lanes = Reduce.LANES;
        String arr = "[" + lanes + " x " + ty + "]";
        String init = Scalars.literal(c, kind == Kind.SUM ? 0 : kind == Kind.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        String acc = h.alloca(arr);
        h.line("store " + vector(lanes, ty) + " " + splat(lanes, ty, init) + ", ptr " + acc + ", align 16");
        String nans = kind == Kind.SUM ? null : h.alloca(arr);
        if (nans != null) h.line("store " + vector(lanes, ty) + " zeroinitializer, ptr " + nans + ", align 16");
        BinaryOperator<Reg> laneOp = kind == Kind.SUM ? (a, x) -> k.bin("fadd", a, x)
                : (a, x) -> k.select(k.cmp(kind == Kind.MAX ? "fcmp ogt" : "fcmp olt", x, a), x, a);
        java.util.function.BiConsumer<String, Reg> add = (j, x) -> {
            accumulate(k, c, arr, acc, j, x, laneOp, group);
            if (nans != null) accumulate(k, c, arr, nans, j, x, (a, y) -> k.select(k.cmp("fcmp uno", y, y), y, a), group);
        };
        String groups = h.let("udiv i64 " + n + ", " + lanes);
        h.forLoop(groups, g -> {
            String base = h.let("add i64 " + lo + ", " + h.let("mul i64 " + g + ", " + lanes));
            h.accessGroup = group;
            h.forLoop(Integer.toString(lanes), j -> add.accept(j, at.apply(h.let("add i64 " + base + ", " + j))),
                    k.module.vectorizeBeforeUnroll(group));
            h.accessGroup = null;
        });
        if (rest) {
            // The rest, fewer than LANES elements, as one more group whose missing elements are the identity.
            // Indexing the lanes only with loop counters lets them live in vector registers.
            String done = h.let("mul i64 " + groups + ", " + lanes);
            String left = h.let("sub i64 " + n + ", " + done);
            h.ifThen(h.let("icmp sgt i64 " + left + ", 0"), () -> {
                String base = h.let("add i64 " + lo + ", " + done);
                String last = h.let("add i64 " + lo + ", " + h.let("sub i64 " + n + ", 1"));
                // (A storing at() stores its last element's value again from the missing lanes: the same value.)
                h.accessGroup = group;
                h.forLoop(Integer.toString(lanes), j -> {
                    String inside = h.let("icmp slt i64 " + j + ", " + left);
                    String i = h.let("select i1 " + inside + ", i64 " + h.let("add i64 " + base + ", " + j) + ", i64 " + last);
                    Reg x = at.apply(i);
                    add.accept(j, k.select(inside, x, new Reg(init, c)));
                }, k.module.vectorizeBeforeUnroll(group));
                h.accessGroup = null;
            });
        }
        String v = h.let("load " + vector(lanes, ty) + ", ptr " + acc + ", align 16");
        if (nans != null) {
            String nan = h.let("load " + vector(lanes, ty) + ", ptr " + nans + ", align 16");
            String isNan = h.let("fcmp uno " + vector(lanes, ty) + " " + nan + ", " + nan);
            v = h.let("select <" + lanes + " x i1> " + isNan + ", " + vector(lanes, ty) + " " + nan + ", " + vector(lanes, ty) + " " + v);
        }
        // The tree: lane j combines with lane j + w for w = LANES/2, ..., 1, each level one vector operation.
        for (int w = lanes / 2; w > 0; w /= 2) {
            String low = h.let("shufflevector " + vector(2 * w, ty) + " " + v + ", " + vector(2 * w, ty) + " poison, " + indices(0, w));
            String high = h.let("shufflevector " + vector(2 * w, ty) + " " + v + ", " + vector(2 * w, ty) + " poison, " + indices(w, w));
            String vt = vector(w, ty);
            if (kind == Kind.SUM) {
                v = h.let("fadd " + vt + " " + low + ", " + high);
            } else {
                String better = h.let((kind == Kind.MAX ? "fcmp ogt " : "fcmp olt ") + vt + " " + high + ", " + low);
                String nan = h.let("fcmp uno " + vt + " " + high + ", " + high);
                String take = h.let("or <" + w + " x i1> " + better + ", " + nan);
                v = h.let("select <" + w + " x i1> " + take + ", " + vt + " " + high + ", " + vt + " " + low);
            }
        }
        return new Reg(h.let("extractelement " + vector(1, ty) + " " + v + ", i64 0"), c);
    }

    /**
     * The float sum of {@code at} over a row of {@code n} elements in {@code Reduce.sumF32}'s
     * (sumF64's) order, for an {@code at} that also stores each element it computes (one pass
     * computes, stores and sums the row): each {@link Reduce#LEAF}-sized piece in lanes
     * ({@link #reduce}, sequentially when a last piece has at most {@link Reduce#SEQUENTIAL}
     * elements), the pieces' sums added in the pairwise order. {@code group}: as in {@link #reduce}.
     */
    static Reg sumInPieces(KernelContext k, ComputeType c, Function<String, Reg> at, long n, String group) {
        IrFunction f = k.f;
        java.util.List<Reg> pieces = new java.util.ArrayList<>();
        for (long lo = 0; lo < n; lo += Reduce.LEAF) {
            long size = Math.min(Reduce.LEAF, n - lo);
            if (size > Reduce.SEQUENTIAL) {
                pieces.add(reduce(k, c, Kind.SUM, at, Long.toString(lo), Long.toString(size), size % Reduce.LANES != 0, group));
            } else {
                String ty = Scalars.llvmType(c), acc = f.alloca(ty);
                f.line("store " + ty + " " + Scalars.literal(c, 0) + ", ptr " + acc);
                f.forRange(Long.toString(lo), Long.toString(lo + size), i -> {
                    Reg x = at.apply(i);
                    f.line("store " + ty + " " + f.let("fadd " + ty + " " + f.let("load " + ty + ", ptr " + acc) + ", " + x.name()) + ", ptr " + acc);
                });
                pieces.add(new Reg(f.let("load " + ty + ", ptr " + acc), c));
            }
        }
        return pairwise(k, pieces, 0, n);
    }

    private static Reg pairwise(KernelContext k, java.util.List<Reg> pieces, long lo, long n) {
        if (n <= Reduce.LEAF) return pieces.get((int) (lo / Reduce.LEAF));
        long left = Reduce.pairwiseLeft(n);
        return k.bin("fadd", pairwise(k, pieces, lo, left), pairwise(k, pieces, lo + left, n - left));
    }

    private static String vector(int n, String ty) { return "<" + n + " x " + ty + ">"; }

    private static String splat(int n, String ty, String literal) {
        return "<" + String.join(", ", java.util.Collections.nCopies(n, ty + " " + literal)) + ">";
    }

    /** The typed shuffle mask {@code <from, from + 1, ..., from + count - 1>}. */
    private static String indices(int from, int count) {
        StringBuilder sb = new StringBuilder("<" + count + " x i32> <");
        for (int i = 0; i < count; i++) sb.append(i == 0 ? "" : ", ").append("i32 ").append(from + i);
        return sb.append('>').toString();
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
        Reg r = reduce(k, c, max ? Kind.MAX : Kind.MIN, i -> element.at(h, "%row", i), "%lo", "%n", true);
        h.line("ret " + r.typed());
        e.module.add(h);
        return name;
    }

    private static void accumulate(KernelContext k, ComputeType c, String arr, String acc, String lane, Reg x, BinaryOperator<Reg> op, String group) {
        IrFunction h = k.f;
        String p = slot(h, arr, acc, lane);
        String tag = group == null ? "" : ", !llvm.access.group " + group;
        Reg a = new Reg(h.let("load " + Scalars.llvmType(c) + ", ptr " + p + tag), c);
        h.line("store " + op.apply(a, x).typed() + ", ptr " + p + tag);
    }

    private static String slot(IrFunction h, String arr, String acc, String lane) {
        return h.let("getelementptr inbounds " + arr + ", ptr " + acc + ", i64 0, i64 " + lane);
    }
}
