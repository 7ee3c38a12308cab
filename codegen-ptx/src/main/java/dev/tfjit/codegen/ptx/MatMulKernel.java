package dev.tfjit.codegen.ptx;

import dev.tfjit.codegen.llvm.FunctionEmitter;
import dev.tfjit.codegen.llvm.LoopNest;
import dev.tfjit.codegen.llvm.Reg;
import dev.tfjit.codegen.llvm.Scalars;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.ir.kernels.MatMulLayout;
import dev.tfjit.ir.ops.LinalgOps;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code matmul} (rank 2 or batched with broadcast batch dims, {@code transpose_a/b}) as the
 * classic tiled kernel: a block of 16 x 16 threads computes a 64 x 64 tile of C, each thread a
 * 4 x 4 sub-tile in registers; the block walks k in steps of 16, staging a 64 x 16 slice of A and
 * a 16 x 64 slice of B in shared memory (read from global memory along their contiguous dim,
 * whichever that is after transposition). Rows of the staged tiles are padded to 68 elements so
 * the staging stores spread over the banks while the 4-wide reads stay 16-byte aligned.
 * The epilogue (bias, activation) runs on each result in registers before the store.
 * Floats multiply-add with fused multiply-add; half types compute in float32; results are
 * rounded to the dtype once, as the interpreter does.
 */
final class MatMulKernel {
    private static final int TILE = 64, DEPTH = 16, MICRO = 4, SIDE = TILE / MICRO, THREADS = SIDE * SIDE, PITCH = TILE + 4;
    /** The most blocks a grid's y and z dims take. */
    private static final long GRID_YZ_LIMIT = 65535;

    static boolean lowers(OpDef op) { return op == LinalgOps.MATMUL; }

    private final GpuGraphEmitter e;
    private final Node node;
    private final Value result;

    MatMulKernel(GpuGraphEmitter e, Node node, Value result) {
        this.e = e;
        this.node = node;
        this.result = result;
    }

    void emit() {
        Value a = node.inputs().get(0), b = node.inputs().get(1), out = node.output();
        Shape sa = e.types.shape(a), sb = e.types.shape(b), so = e.types.shape(out);
        if (so.numElements() == 0) return;
        MatMulLayout layout = MatMulLayout.of(sa, sb, so, node.attrs());
        boolean ta = layout.transposeA(), tb = layout.transposeB();
        int m = layout.m(), n = layout.n(), depth = layout.k();
        long rowA = layout.rowA(), colA = layout.colA(), rowB = layout.rowB(), colB = layout.colB();
        int[] batch = layout.batch().dims();
        long batches = layout.batch().numElements();
        long tilesY = ceilDiv(m, TILE);
        if (tilesY > GRID_YZ_LIMIT || batches > GRID_YZ_LIMIT) {
            throw new UnimplementedError("the ptx-gpu backend's matmul takes at most " + GRID_YZ_LIMIT * TILE + " rows and "
                    + GRID_YZ_LIMIT + " batches, got " + so.irString()).in(node.op().name(), node.location());
        }
        DType t = out.dtype();
        ComputeType c = ComputeType.of(t);
        String ty = Scalars.llvmType(c);
        boolean flush = c == ComputeType.F32; // the interpreter flushes float32 compute only, not float64

        KernelBuilder k = new KernelBuilder(e.module, "matmul", THREADS);
        var f = k.f;
        String pa = k.param(e.ref(a), false), pb = k.param(e.ref(b), false);
        String tid = k.threadIndex();
        String tx = f.let("and i32 " + tid + ", " + (SIDE - 1)), tyy = f.let("lshr i32 " + tid + ", 4");
        String row0 = f.let("mul nuw nsw i64 " + f.let("zext i32 " + k.blockIndexY() + " to i64") + ", " + TILE);
        String col0 = f.let("mul nuw nsw i64 " + f.let("zext i32 " + k.blockIndex() + " to i64") + ", " + TILE);
        LoopNest batchNest = LoopNest.of(batch, layout.batchStrides());
        List<String> batchOffsets = IndexMath.offsets(f, IndexType.I64, batchNest, f.let("zext i32 " + k.blockIndexZ() + " to i64"));
        String offOut = batchOffsets.get(0), offA = batchOffsets.get(1), offB = batchOffsets.get(2);

        String as = k.shared(ty, DEPTH * PITCH), bs = k.shared(ty, DEPTH * PITCH);
        String[] acc = new String[MICRO * MICRO];
        for (int i = 0; i < acc.length; i++) {
            acc[i] = f.alloca(ty);
            f.line("store " + ty + " " + Scalars.literal(c, 0) + ", ptr " + acc[i]);
        }
        Reg zero = new Reg(Scalars.literal(c, 0), c);
        k.stride(IndexType.I64, "0", Integer.toString(depth), Integer.toString(DEPTH), kt -> {
            for (int q = 0; q < TILE * DEPTH / THREADS; q++) {
                String idx = q == 0 ? tid : f.let("add nuw nsw i32 " + tid + ", " + q * THREADS);
                // A slice: 64 rows x 16 of k, read along A's contiguous dim.
                String r = ta ? f.let("and i32 " + idx + ", " + (TILE - 1)) : f.let("lshr i32 " + idx + ", 4");
                String kk = ta ? f.let("lshr i32 " + idx + ", 6") : f.let("and i32 " + idx + ", " + (DEPTH - 1));
                String gi = f.let("add nuw nsw i64 " + row0 + ", " + f.let("zext i32 " + r + " to i64"));
                String gk = f.let("add nuw nsw i64 " + kt + ", " + f.let("zext i32 " + kk + " to i64"));
                String inA = f.let("and i1 " + f.let("icmp ult i64 " + gi + ", " + m) + ", " + f.let("icmp ult i64 " + gk + ", " + depth));
                String at = sum(f, offA, mul(f, gi, rowA), mul(f, gk, colA));
                Reg va = Scalars.load(f, t, pa, f.let("select i1 " + inA + ", i64 " + at + ", i64 0"), flush);
                storeShared(k, as, ty, kk, r, k.cx.select(inA, va, zero));
                // B slice: 16 of k x 64 columns.
                String cc = tb ? f.let("lshr i32 " + idx + ", 4") : f.let("and i32 " + idx + ", " + (TILE - 1));
                String kb = tb ? f.let("and i32 " + idx + ", " + (DEPTH - 1)) : f.let("lshr i32 " + idx + ", 6");
                String gj = f.let("add nuw nsw i64 " + col0 + ", " + f.let("zext i32 " + cc + " to i64"));
                String gkb = f.let("add nuw nsw i64 " + kt + ", " + f.let("zext i32 " + kb + " to i64"));
                String inB = f.let("and i1 " + f.let("icmp ult i64 " + gj + ", " + n) + ", " + f.let("icmp ult i64 " + gkb + ", " + depth));
                String bt = sum(f, offB, mul(f, gkb, rowB), mul(f, gj, colB));
                Reg vb = Scalars.load(f, t, pb, f.let("select i1 " + inB + ", i64 " + bt + ", i64 0"), flush);
                storeShared(k, bs, ty, kb, cc, k.cx.select(inB, vb, zero));
            }
            k.barrier();
            String rowBase = f.let("mul nuw nsw i32 " + tyy + ", " + MICRO), colBase = f.let("mul nuw nsw i32 " + tx + ", " + MICRO);
            for (int kk = 0; kk < DEPTH; kk++) {
                Reg[] av = new Reg[MICRO], bv = new Reg[MICRO];
                for (int i = 0; i < MICRO; i++) {
                    av[i] = loadShared(k, as, ty, c, Integer.toString(kk), f.let("add nuw nsw i32 " + rowBase + ", " + i));
                    bv[i] = loadShared(k, bs, ty, c, Integer.toString(kk), f.let("add nuw nsw i32 " + colBase + ", " + i));
                }
                for (int i = 0; i < MICRO; i++) {
                    for (int j = 0; j < MICRO; j++) {
                        String old = f.let("load " + ty + ", ptr " + acc[i * MICRO + j]);
                        String sum = switch (c) {
                            case F32, F64 -> f.let("call " + ty + " @llvm.fma." + (c == ComputeType.F32 ? "f32" : "f64") + "("
                                    + av[i].typed() + ", " + bv[j].typed() + ", " + ty + " " + old + ")");
                            default -> f.let("add " + ty + " " + old + ", " + f.let("mul " + av[i].typed() + ", " + bv[j].name()));
                        };
                        f.line("store " + ty + " " + sum + ", ptr " + acc[i * MICRO + j]);
                    }
                }
            }
            k.barrier();
        });

        // The epilogue's other operands are read at the output position.
        List<Node> chain = e.fusion.epilogue(node);
        Map<Value, Reg> given = new IdentityHashMap<>();
        given.put(out, null);
        List<Value> leaves = chain.isEmpty() ? List.of() : e.leaves(chain.getLast().inputs(), given);
        Map<Value, String> pointers = e.pointers(k, leaves);
        Shape rs = e.types.shape(result);
        LoopNest nest = LoopNest.of(rs.dims(), e.readStrides(leaves, rs));
        String po = k.param(e.ref(result), true);
        String rowBase = f.let("add nuw nsw i64 " + row0 + ", " + f.let("zext i32 " + f.let("mul nuw nsw i32 " + tyy + ", " + MICRO) + " to i64"));
        String colBase = f.let("add nuw nsw i64 " + col0 + ", " + f.let("zext i32 " + f.let("mul nuw nsw i32 " + tx + ", " + MICRO) + " to i64"));
        for (int i = 0; i < MICRO; i++) {
            String gi = f.let("add nuw nsw i64 " + rowBase + ", " + i);
            String rowOk = f.let("icmp ult i64 " + gi + ", " + m);
            for (int j = 0; j < MICRO; j++) {
                int cell = i * MICRO + j;
                String gj = f.let("add nuw nsw i64 " + colBase + ", " + j);
                String ok = f.let("and i1 " + rowOk + ", " + f.let("icmp ult i64 " + gj + ", " + n));
                k.ifThen(ok, () -> {
                    Reg v = new Reg(f.let("load " + ty + ", ptr " + acc[cell]), c);
                    Reg r = t == DType.FLOAT64 ? v : Scalars.round(f, t, v);
                    String p = sum(f, offOut, mul(f, gi, n), gj);
                    if (!chain.isEmpty()) {
                        Map<Value, Reg> memo = new IdentityHashMap<>();
                        memo.put(out, r);
                        List<String> offsets = IndexMath.offsets(f, IndexType.I64, nest, p);
                        Map<Value, String> offs = new IdentityHashMap<>();
                        for (int l = 0; l < leaves.size(); l++) offs.put(leaves.get(l), offsets.get(l));
                        List<Reg> in = new ArrayList<>();
                        for (Value x : chain.getLast().inputs()) in.add(e.element(k.cx, x, pointers, offs, memo, true));
                        r = FunctionEmitter.apply(k.cx, chain.getLast(), in);
                    }
                    Scalars.store(f, result.dtype(), r, po, p);
                });
            }
        }
        e.launch(k, ceilDiv(n, TILE), (int) tilesY, (int) Math.max(1, batches), false);
    }

    private static void storeShared(KernelBuilder k, String sym, String ty, String kk, String col, Reg v) {
        String at = k.f.let("add nuw nsw i32 " + k.f.let("mul nuw nsw i32 " + kk + ", " + PITCH) + ", " + col);
        k.f.line("store " + v.typed() + ", ptr addrspace(3) " + k.sharedElement(sym, ty, DEPTH * PITCH, IndexType.I32, at));
    }

    private static Reg loadShared(KernelBuilder k, String sym, String ty, ComputeType c, String kk, String col) {
        String at = k.f.let("add nuw nsw i32 " + (Integer.parseInt(kk) * PITCH) + ", " + col);
        return new Reg(k.f.let("load " + ty + ", ptr addrspace(3) " + k.sharedElement(sym, ty, DEPTH * PITCH, IndexType.I32, at)), c);
    }

    private static String mul(dev.tfjit.codegen.llvm.IrFunction f, String x, long s) {
        return s == 1 ? x : f.let("mul nuw nsw i64 " + x + ", " + s);
    }

    private static String sum(dev.tfjit.codegen.llvm.IrFunction f, String... terms) {
        String acc = "0";
        for (String t : terms) acc = IndexMath.add(f, IndexType.I64, acc, t);
        return acc;
    }

    private static long ceilDiv(long a, long b) { return (a + b - 1) / b; }
}
