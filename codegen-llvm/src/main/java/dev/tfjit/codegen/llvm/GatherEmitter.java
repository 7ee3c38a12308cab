package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.Axes;
import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.ir.ops.ArrayOps;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code gather} (TF's GatherV2, with {@code axis} and {@code batch_dims}) and {@code gather_nd}
 * with run-time indices, as the interpreter's {@code Gather} kernels: every index is validated
 * first, in order, and the first one out of range raises the interpreter's exact error (its
 * coordinates and value are run-time values of the message, see {@link DetailedError}); only
 * when all are valid does any slice move, so no memory outside params is ever read.
 */
final class GatherEmitter {
    private GatherEmitter() {}

    static boolean lowers(OpDef op) { return op == ArrayOps.GATHER || op == ArrayOps.GATHER_ND; }

    static void emit(FunctionEmitter e, Node n) {
        if (n.op() == ArrayOps.GATHER) gather(e, n);
        else gatherNd(e, n);
    }

    private static void gather(FunctionEmitter e, Node n) {
        IrFunction f = e.f;
        Value params = n.inputs().get(0), indices = n.inputs().get(1), out = n.output();
        Shape ps = e.types.shape(params), is = e.types.shape(indices);
        int axis = Axes.normalize(n.attrs().getLong("axis", 0), ps.rank());
        long bdArg = n.attrs().getLong("batch_dims", 0);
        int batchDims = (int) (bdArg < 0 ? bdArg + is.rank() : bdArg);
        long batch = product(ps, 0, batchDims), outer = product(ps, batchDims, axis), inner = product(ps, axis + 1, ps.rank());
        int size = ps.dim(axis);
        long perBatch = product(is, batchDims, is.rank());
        long count = is.numElements();
        if (count == 0) return;
        // Validation, in the interpreter's order; only the first bad index is recorded.
        List<Integer> bit = validate(e, count, k -> {
            String v = index(e, indices, k);
            String bad = f.let("icmp uge i64 " + v + ", " + size); // unsigned: negative indices are huge
            DetailedError.raiseIf(e, bad, concat(DetailedError.coordinates(f, k, is.dims()), v),
                    s -> "indices" + DetailedError.bracketed(s.subList(0, s.size() - 1), ",") + " = " + s.getLast()
                            + " is not in [0, " + size + ")");
        });
        if (e.types.shape(out).numElements() == 0) return;
        ViewCopy.Source src = ViewCopy.Source.of(e, params);
        String dst = e.pointer(out);
        String ty = ViewCopy.bitsType(params.dtype());
        guard(e, bit, () -> ViewCopy.nest(f, new long[] {batch, outer, perBatch}, 3, 0, new String[3], ivs -> {
            String k = f.let("add nsw i64 " + f.let("mul nsw i64 " + ivs[0] + ", " + perBatch) + ", " + ivs[2]);
            String v = index(e, indices, k);
            String row = f.let("add nsw i64 " + f.let("mul nsw i64 " + ivs[0] + ", " + outer) + ", " + ivs[1]);
            String from = f.let("mul nsw i64 " + f.let("add nsw i64 " + f.let("mul nsw i64 " + row + ", " + size) + ", " + v) + ", " + inner);
            String to = f.let("mul nsw i64 " + f.let("add nsw i64 " + f.let("mul nsw i64 " + row + ", " + perBatch) + ", " + ivs[2]) + ", " + inner);
            move(e, ty, src, from, dst, to, inner, params.dtype().byteSize());
        }));
    }

    private static void gatherNd(FunctionEmitter e, Node n) {
        IrFunction f = e.f;
        Value params = n.inputs().get(0), indices = n.inputs().get(1), out = n.output();
        Shape ps = e.types.shape(params), is = e.types.shape(indices);
        int depth = is.dim(-1);
        long slice = product(ps, depth, ps.rank());
        int[] rowDims = java.util.Arrays.copyOf(is.dims(), is.rank() - 1);
        long rows = Shape.of(rowDims).numElements();
        long[] sliceStrides = new long[depth];
        for (int j = depth - 1, acc = 1; j >= 0; j--) { sliceStrides[j] = acc; acc *= ps.dim(j); }
        if (rows == 0) return;
        List<Integer> bit = depth == 0 ? List.of() : validate(e, rows, r -> {
            List<String> values = new ArrayList<>();
            String bad = "false";
            for (int j = 0; j < depth; j++) {
                String v = index(e, indices, f.let("add nsw i64 " + f.let("mul nsw i64 " + r + ", " + depth) + ", " + j));
                values.add(v);
                bad = f.let("or i1 " + bad + ", " + f.let("icmp uge i64 " + v + ", " + ps.dim(j)));
            }
            List<String> coords = DetailedError.coordinates(f, r, rowDims);
            DetailedError.raiseIf(e, bad, concat(coords, values), s -> "indices" + DetailedError.bracketed(s.subList(0, coords.size()), ",")
                    + " = " + DetailedError.bracketed(s.subList(coords.size(), s.size()), ", ")
                    + " does not index into param shape " + ps.brief());
        });
        if (slice == 0) return;
        ViewCopy.Source src = ViewCopy.Source.of(e, params);
        String dst = e.pointer(out);
        String ty = ViewCopy.bitsType(params.dtype());
        guard(e, bit, () -> f.forLoop(Long.toString(rows), r -> {
            String off = "0";
            for (int j = 0; j < depth; j++) {
                String v = index(e, indices, f.let("add nsw i64 " + f.let("mul nsw i64 " + r + ", " + depth) + ", " + j));
                off = f.let("add nsw i64 " + off + ", " + f.let("mul nsw i64 " + v + ", " + sliceStrides[j]));
            }
            move(e, ty, src, f.let("mul nsw i64 " + off + ", " + slice), dst, f.let("mul nsw i64 " + r + ", " + slice), slice,
                    params.dtype().byteSize());
        }));
    }

    /** Emits {@code check(k)} for k in [0, count) and returns the ids of the error sites the checks registered. */
    static List<Integer> validate(FunctionEmitter e, long count, java.util.function.Consumer<String> check) {
        int before = e.cx.errors.sites().size();
        e.f.forLoop(Long.toString(count), check);
        int after = e.cx.errors.sites().size();
        List<Integer> ids = new ArrayList<>();
        for (int id = before; id < after; id++) ids.add(id);
        return ids;
    }

    /** Runs {@code body} only while none of the bits of sites {@code ids} is set in the status word. */
    static void guard(FunctionEmitter e, List<Integer> ids, Runnable body) {
        if (ids.isEmpty()) {
            body.run();
            return;
        }
        IrFunction f = e.f;
        String bits = "0";
        for (int id : ids) bits = f.let("or i32 " + bits + ", " + e.cx.errors.bit(f, id));
        String status = f.let("load i32, ptr " + e.cx.status);
        f.ifThen(f.let("icmp eq i32 " + f.let("and i32 " + status + ", " + bits) + ", 0"), body);
    }

    /** {@code count} elements from {@code src[from..]} to {@code dst[to..]} (element offsets, i64 operands). */
    static void move(FunctionEmitter e, String ty, ViewCopy.Source src, String from, String dst, String to, long count, int width) {
        IrFunction f = e.f;
        if (src.isImmediate()) { // a one-element params: the only element, once
            f.line("store " + ty + " " + src.bits() + ", ptr " + ViewCopy.at(f, ty, dst, to));
            return;
        }
        e.module.helper("memcpy", ViewCopy.MEMCPY);
        f.line("call void @llvm.memcpy.p0.p0.i64(ptr " + ViewCopy.at(f, ty, dst, to) + ", ptr " + ViewCopy.at(f, ty, src.pointer(), from)
                + ", i64 " + count * width + ", i1 false)");
    }

    /** Element {@code k} (an i64 operand) of an integer tensor, as an i64 (sign- or zero-extended as the interpreter reads it). */
    static String index(FunctionEmitter e, Value v, String k) {
        Reg r = e.isImmediate(v)
                ? Scalars.constant(e.immediate(v), 0, false)
                : Scalars.load(e.f, v.dtype(), e.pointer(v), k, false);
        return r.type() == ComputeType.I64 ? r.name() : e.f.let("sext i32 " + r.name() + " to i64");
    }

    static long product(Shape s, int from, int to) {
        long p = 1;
        for (int d = from; d < to; d++) p *= s.dim(d);
        return p;
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> l = new ArrayList<>(a);
        l.add(b);
        return l;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }
}
