package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.ir.kernels.Reduce;
import dev.tfjit.ir.kernels.ReductionAxes;
import dev.tfjit.ir.ops.ReductionOps;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static dev.tfjit.ir.kernels.ComputeType.*;

/**
 * {@code reduce_*} with its input's elementwise producers fused in, in exactly the
 * interpreter's order of accumulation ({@link Reduce}), so float results are bit-identical:
 * float sums over trailing dims are pairwise (sequential below 17 elements, halves above);
 * float sums over leading dims use Eigen's four-accumulator column order; everything else
 * accumulates sequentially. Max/min let NaN win and read their input unflushed, as TF does.
 */
final class ReductionEmitter {
    private static final Map<OpDef, Reduce.Kind> KINDS = new IdentityHashMap<>();

    static {
        KINDS.put(ReductionOps.REDUCE_SUM, Reduce.Kind.SUM);
        KINDS.put(ReductionOps.REDUCE_PROD, Reduce.Kind.PROD);
        KINDS.put(ReductionOps.REDUCE_MAX, Reduce.Kind.MAX);
        KINDS.put(ReductionOps.REDUCE_MIN, Reduce.Kind.MIN);
        KINDS.put(ReductionOps.REDUCE_MEAN, Reduce.Kind.MEAN);
        KINDS.put(ReductionOps.REDUCE_ANY, Reduce.Kind.ANY);
        KINDS.put(ReductionOps.REDUCE_ALL, Reduce.Kind.ALL);
    }

    /** Below this many elements the interpreter's float sum is sequential (Reduce.PAIRWISE_BLOCK). */
    private static final int PAIRWISE_BLOCK = 16;

    static boolean isReduction(OpDef op) { return KINDS.containsKey(op); }

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
        this.kind = KINDS.get(node.op());
        this.input = node.inputs().get(0);
        this.dtype = input.dtype();
        this.c = ComputeType.of(dtype);
    }

    void emit() {
        Shape in = e.types.shape(input);
        boolean[] mask = ReductionAxes.reductionMask(Reduce.axes(node.attrs()), in.rank());
        List<Integer> keptDims = new ArrayList<>(), reducedDims = new ArrayList<>();
        for (int d = 0; d < in.rank(); d++) (mask[d] ? reducedDims : keptDims).add(d);
        long n = 1;
        for (int d : reducedDims) n *= in.dim(d);
        long outer = e.types.shape(node.output()).numElements();
        if (outer == 0) return;
        boolean floatSum = (kind == Reduce.Kind.SUM || kind == Reduce.Kind.MEAN) && (c == F32 || c == F64);
        if (kind == Reduce.Kind.MEAN && !floatSum && n == 0) {
            cx.raise("integer division by zero: the mean of an empty " + dtype + " reduction");
            return;
        }
        List<Value> leaves = e.leaves(List.of(input));
        List<long[]> strides = e.readStrides(leaves, in);
        Map<Value, String> pointers = new IdentityHashMap<>();
        for (Value l : leaves) pointers.put(l, e.pointer(l));
        String out = e.pointer(node.output());

        // Outer loops over the kept dims: operand 0 is the output (contiguous), then the leaves.
        int[] kept = dims(in, keptDims), reduced = dims(in, reducedDims);
        List<long[]> outerStrides = new ArrayList<>();
        outerStrides.add(Shape.of(kept).strides());
        for (long[] s : strides) outerStrides.add(pick(s, keptDims));
        // Inner loops over the reduced dims: operand 0 is the flat row index, then the leaves.
        List<long[]> innerStrides = new ArrayList<>();
        innerStrides.add(Shape.of(reduced).strides());
        for (long[] s : strides) innerStrides.add(pick(s, reducedDims));
        LoopNest inner = LoopNest.of(reduced, innerStrides);
        boolean trailing = reducedDims.isEmpty() || reducedDims.getLast() == in.rank() - 1
                && reducedDims.getFirst() == in.rank() - reducedDims.size();
        long count = n;

        LoopNest.of(kept, outerStrides).emit(f, outerOffsets -> {
            Map<Value, String> bases = new IdentityHashMap<>();
            for (int i = 0; i < leaves.size(); i++) bases.put(leaves.get(i), outerOffsets.get(i + 1));
            Reg result;
            if (floatSum && trailing) result = pairwise(leaves, pointers, bases, inner, count);
            else if (floatSum) result = columns(leaves, pointers, bases, inner, count, outerOffsets.get(0), e.types.shape(node.output()).numElements());
            else result = sequential(leaves, pointers, bases, inner, count);
            Scalars.store(f, node.output().dtype(), Scalars.round(f, node.output().dtype(), result), out, outerOffsets.get(0));
        });
    }

    private static int[] dims(Shape s, List<Integer> which) {
        return which.stream().mapToInt(s::dim).toArray();
    }

    private static long[] pick(long[] s, List<Integer> which) {
        return which.stream().mapToLong(d -> s[d]).toArray();
    }

    /** The fused input at base + inner offsets of each leaf. */
    private Reg element(KernelContext k, List<Value> leaves, Map<Value, String> pointers, Map<Value, String> bases,
                        List<String> innerOffsets) {
        Map<Value, String> offs = new IdentityHashMap<>();
        for (int i = 0; i < leaves.size(); i++) {
            Value l = leaves.get(i);
            String base = bases.get(l), in = innerOffsets.get(i + 1);
            offs.put(l, base.equals("0") ? in : in.equals("0") ? base : k.f.let("add nuw nsw i64 " + base + ", " + in));
        }
        boolean flush = kind != Reduce.Kind.MAX && kind != Reduce.Kind.MIN;
        return e.element(k, input, new FunctionEmitter.LeafAccess(pointers, offs), new IdentityHashMap<>(), flush);
    }

    private Reg sequential(List<Value> leaves, Map<Value, String> pointers, Map<Value, String> bases, LoopNest inner, long n) {
        String ty = Scalars.llvmType(c);
        String acc = f.alloca(ty);
        f.line("store " + ty + " " + identity() + ", ptr " + acc);
        inner.emit(f, offsets -> {
            Reg x = element(cx, leaves, pointers, bases, offsets);
            Reg a = new Reg(f.let("load " + ty + ", ptr " + acc), c);
            f.line("store " + combine(a, x).typed() + ", ptr " + acc);
        });
        Reg r = new Reg(f.let("load " + ty + ", ptr " + acc), c);
        if (kind == Reduce.Kind.MEAN) { // integer mean: the sum (wrapped to its width) divided as a long, truncating
            Reg wide = c == I64 ? r : new Reg(f.let("sext i32 " + r.name() + " to i64"), I64);
            Reg q = cx.bin("sdiv", wide, cx.lit(I64, n));
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

    private Reg combine(Reg a, Reg x) {
        boolean fp = c == F32 || c == F64;
        return switch (kind) {
            case SUM, MEAN -> cx.bin(fp ? "fadd" : "add", a, x);
            case PROD -> cx.bin(fp ? "fmul" : "mul", a, x);
            case ANY -> cx.bin("or", a, x);
            case ALL -> cx.bin("and", a, x);
            case MAX, MIN -> {
                if (!fp) yield cx.intrinsic(kind == Reduce.Kind.MAX ? "smax" : "smin", a, x);
                String better = cx.cmp(kind == Reduce.Kind.MAX ? "fcmp ogt" : "fcmp olt", x, a);
                String nan = cx.cmp("fcmp uno", x, x);
                yield cx.select(f.let("or i1 " + better + ", " + nan), x, a);
            }
        };
    }



    /**
     * Reduce.sumF32/sumF64 over one row: a recursive helper, sequential over at most 16
     * elements and the sum of its two halves above. The row's leaf pointers go in an array.
     */
    private Reg pairwise(List<Value> leaves, Map<Value, String> pointers, Map<Value, String> bases, LoopNest inner, long n) {
        String ty = Scalars.llvmType(c);
        String name = e.helperName("pairwise");
        IrFunction h = new IrFunction("define internal " + ty + " " + name + "(ptr %bases, i64 %lo, i64 %n, ptr %status)");
        KernelContext k = cx.in(h, "%status");
        Map<Value, String> rowPointers = new IdentityHashMap<>();
        for (int i = 0; i < leaves.size(); i++) {
            rowPointers.put(leaves.get(i), h.let("load ptr, ptr " + h.let("getelementptr inbounds ptr, ptr %bases, i64 " + i)));
        }
        Map<Value, String> zero = new IdentityHashMap<>();
        for (Value l : leaves) zero.put(l, "0");
        String small = h.let("icmp sle i64 %n, " + PAIRWISE_BLOCK);
        h.line("br i1 " + small + ", label %leaf, label %split");
        h.block("split");
        String half = h.let("lshr i64 %n, 1");
        String a = h.let("call " + ty + " " + name + "(ptr %bases, i64 %lo, i64 " + half + ", ptr %status)");
        String lo2 = h.let("add i64 %lo, " + half);
        String n2 = h.let("sub i64 %n, " + half);
        String b = h.let("call " + ty + " " + name + "(ptr %bases, i64 " + lo2 + ", i64 " + n2 + ", ptr %status)");
        h.line("ret " + ty + " " + h.let("fadd " + ty + " " + a + ", " + b));
        h.block("leaf");
        String acc = h.alloca(ty);
        h.line("store " + ty + " " + Scalars.literal(c, 0) + ", ptr " + acc);
        String end = h.let("add i64 %lo, %n");
        h.forRange("%lo", end, r -> {
            List<String> offsets = inner.offsetsOfFlat(h, r);
            Reg x = element(k, leaves, rowPointers, zero, offsets);
            String sum = h.let("fadd " + ty + " " + h.let("load " + ty + ", ptr " + acc) + ", " + x.name());
            h.line("store " + ty + " " + sum + ", ptr " + acc);
        });
        h.line("ret " + ty + " " + h.let("load " + ty + ", ptr " + acc));
        e.module.add(h);

        String array = f.alloca("[" + Math.max(1, leaves.size()) + " x ptr]");
        for (int i = 0; i < leaves.size(); i++) {
            Value l = leaves.get(i);
            String p = f.let("getelementptr inbounds " + Scalars.memoryType(l.dtype()) + ", ptr " + pointers.get(l) + ", i64 " + bases.get(l));
            f.line("store ptr " + p + ", ptr " + f.let("getelementptr inbounds ptr, ptr " + array + ", i64 " + i));
        }
        Reg sum = new Reg(f.let("call " + ty + " " + name + "(ptr " + array + ", i64 0, i64 " + n + ", ptr " + cx.status + ")"), c);
        return kind == Reduce.Kind.MEAN ? cx.bin("fdiv", sum, cx.lit(c, n)) : sum;
    }

    /**
     * Reduce.columnSums for one output column j: rows in whole groups of four go to four
     * accumulators (row i to i mod 4) when j is in the packed columns (j < cols / 8 * 8), the
     * rest to the first; each addition is flushed, and the four are added in order.
     */
    private Reg columns(List<Value> leaves, Map<Value, String> pointers, Map<Value, String> bases, LoopNest inner, long n,
                        String column, long cols) {
        String ty = Scalars.llvmType(c);
        long packedCols = cols / 8 * 8, unrolled = n / 4 * 4;
        String acc = f.alloca("[4 x " + ty + "]");
        for (int i = 0; i < 4; i++) {
            f.line("store " + ty + " " + Scalars.literal(c, 0) + ", ptr " + f.let("getelementptr inbounds [4 x " + ty + "], ptr " + acc + ", i64 0, i64 " + i));
        }
        String packed = f.let("icmp ult i64 " + column + ", " + packedCols);
        inner.emit(f, offsets -> {
            Reg x = element(cx, leaves, pointers, bases, offsets);
            String row = offsets.get(0);
            String inGroups = f.let("icmp ult i64 " + row + ", " + unrolled);
            String spread = f.let("and i1 " + packed + ", " + inGroups);
            String lane = f.let("select i1 " + spread + ", i64 " + f.let("and i64 " + row + ", 3") + ", i64 0");
            String slot = f.let("getelementptr inbounds [4 x " + ty + "], ptr " + acc + ", i64 0, i64 " + lane);
            Reg a = new Reg(f.let("load " + ty + ", ptr " + slot), c);
            f.line("store " + Scalars.ftz(f, cx.bin("fadd", a, x)).typed() + ", ptr " + slot);
        });
        Reg[] a = new Reg[4];
        for (int i = 0; i < 4; i++) {
            a[i] = new Reg(f.let("load " + ty + ", ptr " + f.let("getelementptr inbounds [4 x " + ty + "], ptr " + acc + ", i64 0, i64 " + i)), c);
        }
        Reg s = cx.bin("fadd", a[0], a[1]);
        if (c == F32) s = Scalars.ftz(f, s);
        s = cx.bin("fadd", s, a[2]);
        if (c == F32) s = Scalars.ftz(f, s);
        s = cx.bin("fadd", s, a[3]);
        if (c == F32) s = Scalars.ftz(f, s);
        Reg sum = cx.select(packed, s, a[0]);
        return kind == Reduce.Kind.MEAN ? cx.bin("fdiv", sum, cx.lit(c, n)) : sum;
    }
}
