package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.ir.kernels.MatMulLayout;
import dev.tfjit.ir.ops.LinalgOps;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code matmul}, rank 2 or batched with broadcast batch dims, {@code transpose_a}/{@code transpose_b}.
 * One loop over the broadcast batch dims calls, per batch, either the packed and register-blocked
 * float32 kernel ({@link Sgemm}; large products split their rows across both cores, and a rank-2
 * product computes its fused elementwise epilogue, {@link FusionPlan#epilogue}, on each block of
 * rows as soon as it is done) or, for every other dtype, a plain i-k-j loop in the interpreter's
 * order ({@link dev.tfjit.ir.kernels.MatMul}). Inputs are stored values (fusion never inlines into a
 * matmul); transposes are handled by element strides, so nothing is copied before packing.
 */
final class MatMulEmitter {
    static boolean isMatMul(OpDef op) { return op == LinalgOps.MATMUL; }

    private final FunctionEmitter e;
    private final IrFunction f;
    private final Node node;

    MatMulEmitter(FunctionEmitter e, Node node) {
        this.e = e;
        this.f = e.f;
        this.node = node;
    }

    void emit() {
        Value a = node.inputs().get(0), b = node.inputs().get(1), out = node.output();
        Shape sa = e.types.shape(a), sb = e.types.shape(b), so = e.types.shape(out);
        if (so.numElements() == 0) return;
        MatMulLayout layout = MatMulLayout.of(sa, sb, so, node.attrs());
        int m = layout.m(), n = layout.n(), k = layout.k();
        long rowA = layout.rowA(), colA = layout.colA(), rowB = layout.rowB(), colB = layout.colB();
        int[] batch = layout.batch().dims();
        List<long[]> strides = layout.batchStrides();
        String pa = e.pointer(a), pb = e.pointer(b), po = e.pointer(out);
        DType t = out.dtype();
        if (t == DType.FLOAT32) {
            String call = ", i64 " + rowA + ", i64 " + colA + ", ptr %s, i64 " + rowB + ", i64 " + colB + ", ptr %s, i64 " + m + ", i64 " + n
                    + ", i64 " + k + ", ";
            LoopNest batches = LoopNest.of(batch, strides);
            // Output fusion: the elementwise kernel that alone reads the product runs on each block of rows right after it.
            Node epilogue = batch.length == 0 ? e.plan.epilogue(node) : null;
            List<Value> epilogueLeaves = new ArrayList<>();
            List<String> epilogueUsed = new ArrayList<>();
            if (epilogue != null) {
                e.assignHome(epilogue.output());
                epilogueLeaves.addAll(e.leaves(epilogue.inputs()));
                for (Value l : epilogueLeaves) epilogueUsed.add(e.pointer(l));
                epilogueUsed.add(e.pointer(epilogue.output()));
            }
            String fn = Sgemm.define(e.module);
            if (SgemmThreads.splits(m, n, k)) {
                // Rows split between the caller and the pool's worker, each with its own packing buffers (reused by every batch).
                batches.emit(f, offs -> {
                    String c = f.let("getelementptr inbounds float, ptr " + po + ", i64 " + offs.get(0));
                    String x = f.let("getelementptr inbounds float, ptr " + pa + ", i64 " + offs.get(1));
                    String y = f.let("getelementptr inbounds float, ptr " + pb + ", i64 " + offs.get(2));
                    SgemmThreads.rowsOnBothCores(e, x, rowA, colA, y, rowB, colB, c, m, n, k, epilogueUsed, epilogue == null ? null
                            : (k2, ptr, begin, end) -> e.epilogueRows(k2, epilogue, epilogueUsed, epilogueLeaves, ptr, begin, end));
                });
            } else if (SgemmThreads.splitsBatches(batches.count(), (double) batches.count() * m * n * k)) {
                batchHalves(batches, pa, pb, po, call, m, n, k);
            } else {
                String packs = buffers(m, n, k);
                batches.emit(f, offs -> sgemm(f, fn, pa, pb, po, offs, call, packs));
                if (epilogue != null) e.epilogueRows(e.cx, epilogue, epilogueUsed, epilogueLeaves, p -> p, "0", Long.toString(m));
            }
            return;
        }
        ComputeType ct = ComputeType.of(t);
        String acc = e.uninitializedScratch((long) m * n * 8);
        String ty = Scalars.llvmType(ct);
        boolean flush = ct == ComputeType.F32; // the interpreter flushes float32 compute only, not float64
        LoopNest.of(batch, strides).emit(f, offs -> {
            f.line("call void @llvm.memset.p0.i64(ptr " + acc + ", i8 0, i64 " + (long) m * n * 8 + ", i1 false)");
            f.forLoop(Integer.toString(m), i -> f.forLoop(Integer.toString(k), p -> {
                String ai = f.let("add i64 " + offs.get(1) + ", " + f.let("add i64 " + f.let("mul i64 " + i + ", " + rowA)
                        + ", " + f.let("mul i64 " + p + ", " + colA)));
                Reg av = Scalars.load(f, t, pa, ai, flush);
                String bRow = f.let("add i64 " + offs.get(2) + ", " + f.let("mul i64 " + p + ", " + rowB));
                String cRow = f.let("mul i64 " + i + ", " + n);
                f.forLoop(Integer.toString(n), j -> {
                    Reg bv = Scalars.load(f, t, pb, f.let("add i64 " + bRow + ", " + f.let("mul i64 " + j + ", " + colB)), flush);
                    String cp = f.let("getelementptr inbounds " + ty + ", ptr " + acc + ", i64 " + f.let("add i64 " + cRow + ", " + j));
                    String old = f.let("load " + ty + ", ptr " + cp);
                    String sum = switch (ct) {
                        case F32, F64 -> f.let("call " + ty + " @llvm.fma." + (ct == ComputeType.F32 ? "f32" : "f64") + "(" + av.typed()
                                + ", " + bv.typed() + ", " + ty + " " + old + ")");
                        default -> f.let("add " + ty + " " + old + ", " + f.let("mul " + av.typed() + ", " + bv.name()));
                    };
                    f.line("store " + ty + " " + sum + ", ptr " + cp);
                });
            }));
            f.forLoop(Long.toString((long) m * n), j -> {
                String cp = f.let("getelementptr inbounds " + ty + ", ptr " + acc + ", i64 " + j);
                Reg v = new Reg(f.let("load " + ty + ", ptr " + cp), ct);
                Reg r = t == DType.FLOAT64 ? v : Scalars.round(f, t, v);
                Scalars.store(f, t, r, po, f.let("add i64 " + offs.get(0) + ", " + j));
            });
        });
        e.module.helper(MathFunctions.FMA_KEY, MathFunctions.FMA_DECLARATIONS);
        e.module.helper("memset", Sgemm.MEMSET);
    }

    /** One call of the float32 kernel for the batch at {@code offs} (output, A and B element offsets). */
    private static void sgemm(IrFunction g, String fn, String pa, String pb, String po, List<String> offs, String call, String packs) {
        String c = g.let("getelementptr inbounds float, ptr " + po + ", i64 " + offs.get(0));
        String x = g.let("getelementptr inbounds float, ptr " + pa + ", i64 " + offs.get(1));
        String y = g.let("getelementptr inbounds float, ptr " + pb + ", i64 " + offs.get(2));
        g.line("call void " + fn + "(ptr " + x + String.format(call, y, c) + packs + ")");
    }

    /**
     * Many products too small to split by rows, but enough work in all: the batches are split
     * between the caller and the pool's worker ({@link ParallelLoop}), each with its own packing buffers.
     */
    private void batchHalves(LoopNest batches, String pa, String pb, String po, String call, int m, int n, int k) {
        String fn = Sgemm.define(e.module);
        SgemmThreads.Packs packs = SgemmThreads.Packs.take(e, m, n, k);
        List<String> used = new ArrayList<>(List.of(pa, pb, po));
        used.addAll(packs.pointers());
        long count = batches.count();
        ParallelLoop.emit(e, count, count / 2, true, used, (k2, ptr, begin, end, part) -> {
            IrFunction h = k2.f;
            String mine = packs.ofPart(h, ptr, part);
            String a = ptr.apply(pa), b = ptr.apply(pb), c = ptr.apply(po);
            h.forRange(begin, end, flat -> sgemm(h, fn, a, b, c, batches.offsetsOfFlat(h, flat), call, mine));
        });
    }

    /** Packing buffers and edge tile of one thread of the float32 kernel, as call arguments. */
    private String buffers(long m, long n, long k) {
        return "ptr " + e.uninitializedScratch(Sgemm.packABytes(m, k)) + ", ptr " + e.uninitializedScratch(Sgemm.packBBytes(n, k)) + ", ptr " + e.uninitializedScratch(Sgemm.tileBytes());
    }
}
