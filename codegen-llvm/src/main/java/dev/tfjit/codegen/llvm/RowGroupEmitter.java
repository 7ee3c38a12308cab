package dev.tfjit.codegen.llvm;

import dev.tfjit.codegen.llvm.FusionPlan.Access;
import dev.tfjit.codegen.llvm.FusionPlan.RowGroup;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.Reduce;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link RowGroup} as one loop over rows (split between the cores when large): per row, the
 * members in program order, each a loop over the row's columns (elementwise ops with their
 * fused producers), a row reduction ({@link ReductionEmitter#reduceRow}, the interpreter's
 * order), or a single value per row. A full-width value that later members read again lives
 * in a row buffer (per thread, in scratch, so it stays in cache); a per-row value in a stack
 * slot; only values used outside the group are written to full buffers. Each member computes
 * exactly what its own kernel would, so results equal the interpreter's bit for bit.
 */
final class RowGroupEmitter {
    private final FunctionEmitter e;
    private final RowGroup g;
    /** Member outputs read back by later members, and where: row buffers (full width) by index. */
    private final Map<Value, Integer> buffers = new IdentityHashMap<>();
    private final List<Value> rowValues = new ArrayList<>();
    /** Stored values the members read that are not their own, with how they are read. */
    private final List<Value> outside = new ArrayList<>();
    private final Map<Node, ReductionEmitter> reductions = new IdentityHashMap<>();
    /** Stored full-width outputs no later member reads: written with non-temporal stores when large. */
    private final java.util.Set<Value> streaming = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    private RowGroupEmitter(FunctionEmitter e, RowGroup g) {
        this.e = e;
        this.g = g;
    }

    static void emit(FunctionEmitter e, RowGroup g) { new RowGroupEmitter(e, g).emit(); }

    private boolean isMemberValue(Value v) {
        Node p = e.plan.producer(v);
        return p != null && g.isMember(p);
    }

    private List<Value> roots(Node m) {
        return ReductionEmitter.isReduction(m.op()) ? List.of(m.inputs().getFirst()) : m.inputs();
    }

    private List<Node> computed() {
        return g.members().stream().filter(m -> !e.plan.isInlined(m.output())).toList();
    }

    private void emit() {
        for (Value v : g.stored()) e.assignHome(v);
        for (Node m : computed()) {
            Value v = m.output();
            if (g.access(e.types.shape(v)) == Access.ROW) rowValues.add(v);
            for (Value l : e.leaves(roots(m))) {
                if (isMemberValue(l)) {
                    if (g.access(e.types.shape(l)) == Access.FULL && !g.stored().contains(l)) buffers.putIfAbsent(l, buffers.size());
                } else if (!outside.contains(l)) {
                    outside.add(l);
                }
            }
            if (ReductionEmitter.isReduction(m.op())) reductions.put(m, new ReductionEmitter(e, m));
        }
        long cols = g.cols();
        java.util.Set<Value> readBack = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node m : computed()) readBack.addAll(e.leaves(roots(m)));
        for (Value v : g.stored()) {
            long size = v.dtype().byteSize();
            if (!readBack.contains(v) && g.access(e.types.shape(v)) == Access.FULL && size >= 4 && cols * size % Buffer.ALIGNMENT == 0
                    && e.bytes(v) >= FunctionEmitter.STREAMING_BYTES && e.isAligned(v)) {
                streaming.add(v);
            }
        }
        long rowBytes = 0;
        for (Value v : buffers.keySet()) rowBytes = Math.max(rowBytes, v.dtype().byteSize());
        long bufferBytes = (cols * rowBytes + Buffer.ALIGNMENT - 1) / Buffer.ALIGNMENT * Buffer.ALIGNMENT;
        long partBytes = bufferBytes * buffers.size();

        // Each home's pointer is made once in the entry function and passed to the parts.
        Map<Value, String> home = new IdentityHashMap<>();
        for (Value l : outside) home.put(l, e.pointer(l));
        for (Value v : g.stored()) home.put(v, e.pointer(v));
        List<String> used = new ArrayList<>(home.values());
        String scratch = partBytes == 0 ? null : e.uninitializedScratch(2 * partBytes);
        if (scratch != null) used.add(scratch);

        long cost = 0;
        for (Node m : computed()) cost += e.fusedCost(m);
        long rows = g.rows();
        boolean parallel = ParallelLoop.worthSplitting(rows * cols, cost);
        ParallelLoop.emit(e, rows, rows / 2, parallel, used, (k, ptr, begin, end, part) -> {
            IrFunction f = k.f;
            Map<Value, String> buffer = new IdentityHashMap<>();
            if (scratch != null) {
                String mine = f.let("getelementptr inbounds i8, ptr " + ptr.apply(scratch) + ", i64 " + f.let("mul i64 " + part + ", " + partBytes));
                for (Map.Entry<Value, Integer> b : buffers.entrySet()) {
                    buffer.put(b.getKey(), f.let("getelementptr inbounds i8, ptr " + mine + ", i64 " + (long) b.getValue() * bufferBytes));
                }
            }
            Map<Value, String> slots = new IdentityHashMap<>();
            for (Value v : rowValues) slots.put(v, f.alloca(Scalars.memoryType(v.dtype())));
            f.forRange(begin, end, row -> {
                // Where each leaf's row starts, and its stride along the row.
                Map<Value, String> start = new IdentityHashMap<>();
                Map<Value, Long> stride = new IdentityHashMap<>();
                for (Value l : outside) {
                    Access a = g.access(e.types.shape(l));
                    start.put(l, offset(f, l, ptr.apply(home.get(l)), row, a.rowStride(cols)));
                    stride.put(l, a.columnStride());
                }
                for (Value v : g.stored()) {
                    if (slots.containsKey(v)) continue;
                    start.put(v, offset(f, v, ptr.apply(home.get(v)), row, cols));
                    stride.put(v, 1L);
                }
                for (Map.Entry<Value, String> b : buffer.entrySet()) {
                    start.put(b.getKey(), b.getValue());
                    stride.put(b.getKey(), 1L);
                }
                for (Map.Entry<Value, String> s : slots.entrySet()) {
                    start.put(s.getKey(), s.getValue());
                    stride.put(s.getKey(), 0L);
                }
                List<Node> members = computed();
                for (int i = 0; i < members.size(); i++) {
                    Node m = members.get(i), next = i + 1 < members.size() ? members.get(i + 1) : null;
                    if (next != null && foldsInto(m, next)) { // the sum is taken while the row is computed
                        memberWithSum(k, m, next, row, start, stride, g.stored().contains(next.output()) ? ptr.apply(home.get(next.output())) : null);
                        i++;
                    } else {
                        member(k, m, row, start, stride, g.stored().contains(m.output()) ? ptr.apply(home.get(m.output())) : null);
                    }
                }
            });
            // Streaming stores are weakly ordered: make them visible before the part reports done.
            if (!streaming.isEmpty()) f.line("fence seq_cst");
        });
    }

    /** {@code base} advanced to element {@code row * rowStride} of {@code v}. */
    private static String offset(IrFunction f, Value v, String base, String row, long rowStride) {
        if (rowStride == 0) return base;
        String i = rowStride == 1 ? row : f.let("mul nuw nsw i64 " + row + ", " + rowStride);
        return f.let("getelementptr inbounds " + Scalars.memoryType(v.dtype()) + ", ptr " + base + ", i64 " + i);
    }

    /** Emits member {@code m} for one row; {@code outHome} is its output's full buffer when it is stored. */
    private void member(KernelContext k, Node m, String row, Map<Value, String> start, Map<Value, Long> stride, String outHome) {
        IrFunction f = k.f;
        Value out = m.output();
        List<Value> leaves = e.leaves(roots(m));
        Map<Value, String> pointers = starts(leaves, start);
        String slot = start.get(out);
        boolean perRow = g.access(e.types.shape(out)) == Access.ROW;
        if (perRow) {
            Reg r;
            ReductionEmitter red = reductions.get(m);
            if (red != null) {
                List<long[]> strides = new ArrayList<>();
                strides.add(new long[] {1});
                for (Value l : leaves) strides.add(new long[] {stride.get(l)});
                ReductionEmitter.Row r0 = new ReductionEmitter.Row(leaves, LoopNest.of(new int[] {Math.toIntExact(g.cols())}, strides), g.cols());
                r = Scalars.round(f, out.dtype(), red.reduceRow(k, r0, pointers));
            } else {
                Map<Value, String> offs = new IdentityHashMap<>();
                for (Value l : leaves) offs.put(l, "0");
                r = compute(k, m, new FunctionEmitter.LeafAccess(pointers, offs));
            }
            Scalars.store(f, out.dtype(), r, slot, "0");
            if (g.stored().contains(out)) Scalars.store(f, out.dtype(), r, outHome, row);
            return;
        }
        java.util.function.Function<String, Reg> at = elementAt(k, m, leaves, pointers, stride);
        if (streaming.contains(out)) { // whole 64-byte lines
            e.streamLines(k, start.get(out), out.dtype(), Long.toString(g.cols() * out.dtype().byteSize() / Buffer.ALIGNMENT), at);
            return;
        }
        // A member never reads its own output: the columns are independent.
        String[] independent = e.module.independentLoop();
        f.accessGroup = independent[0];
        f.forLoop(Long.toString(g.cols()), col -> {
            Reg r = at.apply(col);
            if (start.containsKey(out)) Scalars.store(f, out.dtype(), r, start.get(out), col);
        }, independent[1]);
        f.accessGroup = null;
    }

    /** Rows up to this many columns fold a sum into the member that computes them (the pairwise tree of their leaves is written out). */
    private static final long FOLD_COLUMNS = 16L * Reduce.LEAF;

    /**
     * Whether {@code sum}, a float row sum or mean of exactly {@code m}'s full-width output (which
     * is stored, as the row buffer or its own), can be taken while {@code m} computes the row.
     */
    private boolean foldsInto(Node m, Node sum) {
        ReductionEmitter red = reductions.get(sum);
        Value v = m.output();
        return red != null && red.isFloatSum() && ElementwiseLowerings.isElementwise(m.op()) && sum.inputs().getFirst() == v
                && (v.dtype() == dev.tfjit.ir.DType.FLOAT32 || v.dtype() == dev.tfjit.ir.DType.FLOAT64) && v.dtype() == sum.output().dtype()
                && g.access(e.types.shape(v)) == Access.FULL && !streaming.contains(v) && g.cols() <= FOLD_COLUMNS;
    }

    /**
     * Member {@code m} and the row sum of its output in one pass ({@link RowLanes#sumInPieces}),
     * in exactly the order the sum would read the stored row back.
     */
    private void memberWithSum(KernelContext k, Node m, Node sum, String row, Map<Value, String> start, Map<Value, Long> stride, String sumHome) {
        IrFunction f = k.f;
        Value v = m.output();
        List<Value> leaves = e.leaves(roots(m));
        java.util.function.Function<String, Reg> value = elementAt(k, m, leaves, starts(leaves, start), stride);
        String dst = start.get(v);
        java.util.function.Function<String, Reg> at = col -> {
            Reg r = value.apply(col);
            Scalars.store(f, v.dtype(), r, dst, col);
            return r;
        };
        dev.tfjit.ir.kernels.ComputeType c = dev.tfjit.ir.kernels.ComputeType.of(v.dtype());
        String group = e.module.accessGroup(); // the member reads other buffers than it writes, as in member()
        Reg total = RowLanes.sumInPieces(k, c, at, g.cols(), group);
        Value out = sum.output();
        Reg r = Scalars.round(f, out.dtype(), reductions.get(sum).finishSum(k, total, g.cols()));
        Scalars.store(f, out.dtype(), r, start.get(out), "0");
        if (sumHome != null) Scalars.store(f, out.dtype(), r, sumHome, row);
    }

    /** Where each of {@code leaves}' rows starts. */
    private static Map<Value, String> starts(List<Value> leaves, Map<Value, String> start) {
        Map<Value, String> pointers = new IdentityHashMap<>();
        for (Value l : leaves) pointers.put(l, start.get(l));
        return pointers;
    }

    /** Element {@code col} of full-width member {@code m}'s row (its leaves start at {@code pointers}). */
    private java.util.function.Function<String, Reg> elementAt(KernelContext k, Node m, List<Value> leaves, Map<Value, String> pointers,
                                                               Map<Value, Long> stride) {
        return col -> {
            Map<Value, String> offs = new IdentityHashMap<>();
            for (Value l : leaves) offs.put(l, stride.get(l) == 0 ? "0" : col);
            return compute(k, m, new FunctionEmitter.LeafAccess(pointers, offs));
        };
    }

    /** One element of an elementwise member, its fused producers included, rounded as stored. */
    private Reg compute(KernelContext k, Node m, FunctionEmitter.LeafAccess at) {
        return FunctionEmitter.apply(k, m, e.operands(k, m, at, new IdentityHashMap<>()));
    }
}
