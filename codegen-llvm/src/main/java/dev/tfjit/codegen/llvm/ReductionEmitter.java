package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.ir.kernels.Reduce;
import dev.tfjit.ir.kernels.ReductionDims;
import dev.tfjit.ir.ops.ReductionOps;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static dev.tfjit.ir.kernels.ComputeType.*;

/**
 * {@code reduce_*} with its input's elementwise producers fused in, in exactly the
 * interpreter's order of accumulation ({@link Reduce}), so float results are bit-identical:
 * float sums over trailing dims follow {@link Reduce#LEAF} (sequential up to 16 elements, 32
 * interleaved lanes up to 1024, which the loop vectorizer turns into vector adds, pairwise
 * above); float max/min use the same lanes; float sums over leading dims use Eigen's
 * four-accumulator column order; everything else accumulates sequentially. Max/min let NaN win
 * and read their input unflushed, as TF does. Large reductions run on both cores: rows are
 * split between the threads, and a single long sum is split at the top of its pairwise tree.
 */
final class ReductionEmitter {
    static boolean isReduction(OpDef op) { return ReductionOps.reduceKind(op) != null; }

    /** What a reduction op computes. */
    static Reduce.Kind kind(OpDef op) { return ReductionOps.reduceKind(op); }

    private final FunctionEmitter e;
    private final KernelContext cx;
    private final IrFunction f;
    private final Node node;
    private final Reduce.Kind kind;
    private final Value input;
    private final DType dtype;
    private final ComputeType c;

    ReductionEmitter(FunctionEmitter e, Node node) {
        this.e = e;
        this.cx = e.cx;
        this.f = e.f;
        this.node = node;
        this.kind = ReductionOps.reduceKind(node.op());
        this.input = node.inputs().get(0);
        this.dtype = input.dtype();
        this.c = ComputeType.of(dtype);
    }

    void emit() {
        Shape in = e.types.shape(input);
        ReductionDims dims = ReductionDims.of(in, node.attrs());
        List<Integer> reducedDims = dims.reduced();
        long n = dims.count();
        long outer = e.types.shape(node.output()).numElements();
        if (outer == 0) return;
        boolean fp = c == F32 || c == F64;
        boolean floatSum = (kind == Reduce.Kind.SUM || kind == Reduce.Kind.MEAN) && fp;
        if (kind == Reduce.Kind.MEAN && !floatSum && n == 0) {
            cx.raise("integer division by zero: the mean of an empty " + dtype + " reduction");
            return;
        }
        List<Value> leaves = e.leaves(List.of(input));
        List<long[]> strides = e.readStrides(leaves, in);
        List<String> used = new ArrayList<>();
        for (Value l : leaves) used.add(e.pointer(l));
        String out = e.pointer(node.output());
        used.add(out);

        // Outer loops over the kept dims: operand 0 is the output (contiguous), then the leaves.
        int[] kept = dims.keptSizes(), reduced = dims.reducedSizes();
        List<long[]> outerStrides = new ArrayList<>();
        outerStrides.add(Shape.of(kept).strides());
        for (long[] s : strides) outerStrides.add(dims.keptOf(s));
        // Inner loops over the reduced dims: operand 0 is the flat row index, then the leaves.
        List<long[]> innerStrides = new ArrayList<>();
        innerStrides.add(Shape.of(reduced).strides());
        for (long[] s : strides) innerStrides.add(dims.reducedOf(s));
        LoopNest inner = LoopNest.of(reduced, innerStrides);
        boolean trailing = reducedDims.isEmpty() || reducedDims.getLast() == in.rank() - 1
                && reducedDims.getFirst() == in.rank() - reducedDims.size();
        long count = n;
        long cost = 1 + (e.plan.isInlined(input) ? e.fusedCost(e.plan.producer(input)) : 0);
        Row row = new Row(leaves, inner, count);
        String sum = floatSum && trailing ? pairwiseFunction(row) : null;
        String lanes = (kind == Reduce.Kind.MAX || kind == Reduce.Kind.MIN) && fp ? lanesFunction(row) : null;

        LoopNest rows = LoopNest.of(kept, outerStrides);
        if (sum != null && outer == 1 && n > Reduce.LEAF && ParallelLoop.worthSplitting(n, cost)) {
            treeHalves(row, sum, used, out);
            return;
        }
        boolean split = outer >= 2 && ParallelLoop.worthSplitting(outer * n, cost);
        ParallelLoop.emit(e, rows.outer(), rows.outer() / 2, split, used, (k, ptr, begin, end, part) -> {
            Map<Value, String> pointers = new IdentityHashMap<>();
            for (int i = 0; i < leaves.size(); i++) pointers.put(leaves.get(i), ptr.apply(used.get(i)));
            String o = ptr.apply(out);
            rows.emit(k.f, begin, end, outerOffsets -> {
                Map<Value, String> bases = new IdentityHashMap<>();
                for (int i = 0; i < leaves.size(); i++) bases.put(leaves.get(i), outerOffsets.get(i + 1));
                Reg result;
                if (sum != null) result = mean(k, callRow(k, sum, row, pointers, bases, "0", Long.toString(count)), count);
                else if (lanes != null) result = callRow(k, lanes, row, pointers, bases, "0", Long.toString(count));
                else if (floatSum) result = columns(k, row, pointers, bases, outerOffsets.get(0), outer);
                else result = sequential(k, row, pointers, bases);
                Scalars.store(k.f, node.output().dtype(), Scalars.round(k.f, node.output().dtype(), result), o, outerOffsets.get(0));
            });
        });
    }

    /**
     * What a row of the reduction reads: the fused input's leaves, the loops over the reduced dims
     * (operand 0 the flat index, then each leaf's strides), their trip count.
     */
    record Row(List<Value> leaves, LoopNest inner, long n) {}

    private String rowSum, rowLanes;

    /**
     * One row of a trailing-dims float reduction inside a row group ({@link RowGroupEmitter}):
     * the leaves start at {@code pointers} and walk the row with {@code row}'s strides. Returns the
     * result in the interpreter's order, not yet rounded to the output dtype. The row helpers are
     * defined on first use and shared by every row.
     */
    Reg reduceRow(KernelContext k, Row row, Map<Value, String> pointers) {
        Map<Value, String> zero = new IdentityHashMap<>();
        for (Value l : row.leaves()) zero.put(l, "0");
        String n = Long.toString(row.n());
        if (kind == Reduce.Kind.SUM || kind == Reduce.Kind.MEAN) {
            if (rowSum == null) rowSum = pairwiseFunction(row);
            return mean(k, callRow(k, rowSum, row, pointers, zero, "0", n), row.n());
        }
        if (rowLanes == null) rowLanes = lanesFunction(row);
        return callRow(k, rowLanes, row, pointers, zero, "0", n);
    }

    /**
     * Whether this is a float sum or mean: a row group may then take the sum while it computes
     * the row ({@link #finishSum}) instead of reading it back.
     */
    boolean isFloatSum() { return (kind == Reduce.Kind.SUM || kind == Reduce.Kind.MEAN) && (c == F32 || c == F64); }

    /** A float row sum taken elsewhere ({@link RowLanes#sumInPieces}) as this reduction's result: divided for a mean. */
    Reg finishSum(KernelContext k, Reg sum, long n) { return mean(k, sum, n); }

    /** The fused input at base + inner offsets of each leaf. */
    private Reg element(KernelContext k, Row row, Map<Value, String> pointers, Map<Value, String> bases, List<String> innerOffsets) {
        Map<Value, String> offs = new IdentityHashMap<>();
        for (int i = 0; i < row.leaves().size(); i++) {
            Value l = row.leaves().get(i);
            String base = bases.get(l), in = innerOffsets.get(i + 1);
            offs.put(l, base.equals("0") ? in : in.equals("0") ? base : k.f.let("add nuw nsw i64 " + base + ", " + in));
        }
        boolean flush = kind != Reduce.Kind.MAX && kind != Reduce.Kind.MIN;
        return e.element(k, input, new FunctionEmitter.LeafAccess(pointers, offs), new IdentityHashMap<>(), flush);
    }

    private Reg sequential(KernelContext k, Row row, Map<Value, String> pointers, Map<Value, String> bases) {
        IrFunction f = k.f;
        String ty = Scalars.llvmType(c);
        String acc = f.alloca(ty);
        f.line("store " + ty + " " + identity() + ", ptr " + acc);
        row.inner().emit(f, offsets -> {
            Reg x = element(k, row, pointers, bases, offsets);
            Reg a = new Reg(f.let("load " + ty + ", ptr " + acc), c);
            f.line("store " + combine(k, a, x).typed() + ", ptr " + acc);
        });
        Reg r = new Reg(f.let("load " + ty + ", ptr " + acc), c);
        if (kind == Reduce.Kind.MEAN) { // integer mean: the sum (wrapped to its width) divided as a long, truncating
            Reg wide = c == I64 ? r : new Reg(f.let("sext i32 " + r.name() + " to i64"), I64);
            Reg q = k.bin("sdiv", wide, k.lit(I64, row.n()));
            r = c == I64 ? q : new Reg(f.let("trunc i64 " + q.name() + " to i32"), I32);
        }
        return r;
    }

    private String identity() {
        return switch (kind) {
            case SUM, MEAN -> Scalars.literal(c, 0);
            case PROD -> Scalars.literal(c, 1);
            case ANY -> "false";
            case ALL -> "true";
            case MAX -> c == F32 || c == F64 ? Scalars.literal(c, Double.NEGATIVE_INFINITY) : Long.toString(dtype.minIntegerValue());
            case MIN -> c == F32 || c == F64 ? Scalars.literal(c, Double.POSITIVE_INFINITY) : Long.toString(dtype.maxIntegerValue());
        };
    }

    private Reg combine(KernelContext k, Reg a, Reg x) {
        boolean fp = c == F32 || c == F64;
        return switch (kind) {
            case SUM, MEAN -> k.bin(fp ? "fadd" : "add", a, x);
            case PROD -> k.bin(fp ? "fmul" : "mul", a, x);
            case ANY -> k.bin("or", a, x);
            case ALL -> k.bin("and", a, x);
            case MAX, MIN -> fp ? RowLanes.maxMin(k, kind == Reduce.Kind.MAX, a, x) : k.intrinsic(kind == Reduce.Kind.MAX ? "smax" : "smin", a, x);
        };
    }

    private Reg mean(KernelContext k, Reg sum, long n) {
        return kind == Reduce.Kind.MEAN ? k.bin("fdiv", sum, k.lit(c, n)) : sum;
    }

    /**
     * Calls a row helper ({@code T (ptr bases, i64 lo, i64 n, ptr status)}) for elements
     * {@code [lo, lo + n)} of the row whose leaves start at {@code bases}; their pointers go in an array.
     */
    private Reg callRow(KernelContext k, String fn, Row row, Map<Value, String> pointers, Map<Value, String> bases, String lo, String n) {
        IrFunction f = k.f;
        String array = f.alloca("[" + Math.max(1, row.leaves().size()) + " x ptr]");
        for (int i = 0; i < row.leaves().size(); i++) {
            Value l = row.leaves().get(i);
            String p = f.let("getelementptr inbounds " + Scalars.memoryType(l.dtype()) + ", ptr " + pointers.get(l) + ", i64 " + bases.get(l));
            f.line("store ptr " + p + ", ptr " + f.let("getelementptr inbounds ptr, ptr " + array + ", i64 " + i));
        }
        String ty = Scalars.llvmType(c);
        return new Reg(f.let("call " + ty + " " + fn + "(ptr " + array + ", i64 " + lo + ", i64 " + n + ", ptr " + k.status + ")"), c);
    }

    /**
     * Defines {@code T fn(ptr bases, i64 lo, i64 n, ptr status)} with {@code body} written for the
     * row's elements given by flat index (the helper's leaf pointers are loaded from {@code bases}).
     */
    private String rowFunction(String what, Row row, RowBody body) {
        String name = e.helperName(what);
        String ty = Scalars.llvmType(c);
        IrFunction h = new IrFunction("define internal " + ty + " " + name + "(ptr %bases, i64 %lo, i64 %n, ptr %status)");
        KernelContext k = cx.in(h, "%status");
        Map<Value, String> rowPointers = new IdentityHashMap<>(), zero = new IdentityHashMap<>();
        for (int i = 0; i < row.leaves().size(); i++) {
            rowPointers.put(row.leaves().get(i), h.let("load ptr, ptr " + h.let("getelementptr inbounds ptr, ptr %bases, i64 " + i)));
            zero.put(row.leaves().get(i), "0");
        }
        body.emit(k, name, flat -> element(k, row, rowPointers, zero, row.inner().offsetsOfFlat(h, flat)));
        e.module.add(h);
        return name;
    }

    @FunctionalInterface
    private interface RowBody {
        /** Writes the helper's body; {@code at} emits the fused input at a flat element index. */
        void emit(KernelContext k, String self, java.util.function.Function<String, Reg> at);
    }

    /**
     * Reduce.sumF32/sumF64 over one row: a recursive helper that splits rows longer than a leaf
     * at {@link Reduce#pairwiseLeft} and sums leaves with {@link #sumLeaf}.
     */
    private String pairwiseFunction(Row row) {
        // The leaves of a row of n: whole ones, and one of n mod LEAF (or n itself when n <= LEAF).
        long n = row.n();
        List<Long> sizes = n <= Reduce.LEAF ? List.of(n) : n % Reduce.LEAF == 0 ? List.of((long) Reduce.LEAF)
                : List.of((long) Reduce.LEAF, n % Reduce.LEAF);
        String leaf = rowFunction("leaf", row, (k, self, at) -> leafBody(k, at, sizes, Scalars.literal(c, 0), (a, x) -> k.bin("fadd", a, x)));
        if (n <= Reduce.LEAF) return leaf;
        return rowFunction("pairwise", row, (k, self, at) -> {
            IrFunction h = k.f;
            String ty = Scalars.llvmType(c);
            String small = h.let("icmp sle i64 %n, " + Reduce.LEAF);
            h.line("br i1 " + small + ", label %leaf, label %split");
            h.block("leaf");
            h.line("ret " + ty + " " + h.let("call " + ty + " " + leaf + "(ptr %bases, i64 %lo, i64 %n, ptr %status)"));
            h.block("split");
            // Reduce.pairwiseLeft: whole leaves, about half of them.
            String leaves = h.let("udiv i64 " + h.let("add i64 %n, " + (Reduce.LEAF - 1)) + ", " + Reduce.LEAF);
            String left = h.let("mul i64 " + h.let("udiv i64 " + h.let("add i64 " + leaves + ", 1") + ", 2") + ", " + Reduce.LEAF);
            String a = h.let("call " + ty + " " + self + "(ptr %bases, i64 %lo, i64 " + left + ", ptr %status)");
            String b = h.let("call " + ty + " " + self + "(ptr %bases, i64 " + h.let("add i64 %lo, " + left) + ", i64 "
                    + h.let("sub i64 %n, " + left) + ", ptr %status)");
            h.line("ret " + ty + " " + h.let("fadd " + ty + " " + a + ", " + b));
        });
    }

    /** Float max/min of a row: sequential up to 16 elements, else {@link #lanes} over the whole row. */
    private String lanesFunction(Row row) {
        return rowFunction("lanes", row, (k, self, at) -> leafBody(k, at, List.of(row.n()), identity(), (a, x) -> combine(k, a, x)));
    }

    /**
     * The body of a row helper called with the lengths {@code sizes} only: sequential for those up
     * to {@link Reduce#SEQUENTIAL}, {@link #lanes} for the longer ones. Only the paths these
     * lengths take are written (less code for LLVM to optimize).
     */
    private void leafBody(KernelContext k, java.util.function.Function<String, Reg> at, List<Long> sizes, String init,
                          java.util.function.BinaryOperator<Reg> op) {
        IrFunction h = k.f;
        String ty = Scalars.llvmType(c);
        boolean sequential = sizes.stream().anyMatch(s -> s <= Reduce.SEQUENTIAL);
        boolean lanes = sizes.stream().anyMatch(s -> s > Reduce.SEQUENTIAL);
        boolean rest = sizes.stream().anyMatch(s -> s > Reduce.SEQUENTIAL && s % Reduce.LANES != 0);
        if (sequential && lanes) {
            h.line("br i1 " + h.let("icmp sle i64 %n, " + Reduce.SEQUENTIAL) + ", label %sequential, label %lanes");
            h.block("sequential");
        }
        if (sequential) {
            String acc = h.alloca(ty);
            h.line("store " + ty + " " + init + ", ptr " + acc);
            h.forRange("%lo", h.let("add i64 %lo, %n"), r -> {
                Reg a = new Reg(h.let("load " + ty + ", ptr " + acc), c);
                h.line("store " + op.apply(a, at.apply(r)).typed() + ", ptr " + acc);
            });
            h.line("ret " + ty + " " + h.let("load " + ty + ", ptr " + acc));
        }
        if (sequential && lanes) h.block("lanes");
        if (lanes) lanes(k, at, rest);
    }

    /** {@link RowLanes#reduce} of elements {@code [%lo, %lo + %n)} (a float sum, max or min), returned from the helper being written. */
    private void lanes(KernelContext k, java.util.function.Function<String, Reg> at, boolean rest) {
        RowLanes.Kind lanes = kind == Reduce.Kind.MAX ? RowLanes.Kind.MAX : kind == Reduce.Kind.MIN ? RowLanes.Kind.MIN : RowLanes.Kind.SUM;
        k.f.line("ret " + RowLanes.reduce(k, c, lanes, at, "%lo", "%n", rest).typed());
    }

    /**
     * A single long float sum on both cores: the two halves of the pairwise tree's top split
     * ({@link Reduce#pairwiseLeft}) run in parallel and are added in the tree's order.
     */
    private void treeHalves(Row row, String sum, List<String> used, String out) {
        IrFunction f = e.f;
        String ty = Scalars.llvmType(c);
        String halves = e.uninitializedScratch(2 * 8);
        List<String> ptrs = new ArrayList<>(used);
        ptrs.add(halves);
        long n = row.n();
        ParallelLoop.emit(e, n, Reduce.pairwiseLeft(n), true, ptrs, (k, ptr, begin, end, part) -> {
            Map<Value, String> pointers = new IdentityHashMap<>(), zero = new IdentityHashMap<>();
            for (int i = 0; i < row.leaves().size(); i++) {
                pointers.put(row.leaves().get(i), ptr.apply(used.get(i)));
                zero.put(row.leaves().get(i), "0");
            }
            Reg r = callRow(k, sum, row, pointers, zero, begin, k.f.let("sub i64 " + end + ", " + begin));
            k.f.line("store " + r.typed() + ", ptr " + k.f.let("getelementptr inbounds " + ty + ", ptr " + ptr.apply(halves) + ", i64 " + part));
        });
        Reg a = new Reg(f.let("load " + ty + ", ptr " + halves), c);
        Reg b = new Reg(f.let("load " + ty + ", ptr " + f.let("getelementptr inbounds " + ty + ", ptr " + halves + ", i64 1")), c);
        Reg result = mean(cx, cx.bin("fadd", a, b), n);
        Scalars.store(f, node.output().dtype(), Scalars.round(f, node.output().dtype(), result), out, "0");
    }

    /**
     * Reduce.columnSums for one output column j: rows in whole groups of four go to four
     * accumulators (row i to i mod 4) when j is in the packed columns (j < cols / 8 * 8), the
     * rest to the first; each addition is flushed, and the four are added in order.
     */
    private Reg columns(KernelContext k, Row row, Map<Value, String> pointers, Map<Value, String> bases, String column, long cols) {
        IrFunction f = k.f;
        long n = row.n();
        String ty = Scalars.llvmType(c);
        long packedCols = cols / 8 * 8, unrolled = n / 4 * 4;
        String acc = f.alloca("[4 x " + ty + "]");
        for (int i = 0; i < 4; i++) {
            f.line("store " + ty + " " + Scalars.literal(c, 0) + ", ptr " + f.let("getelementptr inbounds [4 x " + ty + "], ptr " + acc + ", i64 0, i64 " + i));
        }
        String packed = f.let("icmp ult i64 " + column + ", " + packedCols);
        row.inner().emit(f, offsets -> {
            Reg x = element(k, row, pointers, bases, offsets);
            String r = offsets.get(0);
            String inGroups = f.let("icmp ult i64 " + r + ", " + unrolled);
            String spread = f.let("and i1 " + packed + ", " + inGroups);
            String lane = f.let("select i1 " + spread + ", i64 " + f.let("and i64 " + r + ", 3") + ", i64 0");
            String slot = f.let("getelementptr inbounds [4 x " + ty + "], ptr " + acc + ", i64 0, i64 " + lane);
            Reg a = new Reg(f.let("load " + ty + ", ptr " + slot), c);
            f.line("store " + Scalars.ftz(f, k.bin("fadd", a, x)).typed() + ", ptr " + slot);
        });
        Reg[] a = new Reg[4];
        for (int i = 0; i < 4; i++) {
            a[i] = new Reg(f.let("load " + ty + ", ptr " + f.let("getelementptr inbounds [4 x " + ty + "], ptr " + acc + ", i64 0, i64 " + i)), c);
        }
        Reg s = k.bin("fadd", a[0], a[1]);
        if (c == F32) s = Scalars.ftz(f, s);
        s = k.bin("fadd", s, a[2]);
        if (c == F32) s = Scalars.ftz(f, s);
        s = k.bin("fadd", s, a[3]);
        if (c == F32) s = Scalars.ftz(f, s);
        return mean(k, k.select(packed, s, a[0]), n);
    }
}
