package dev.tfjit.codegen.llvm;

/**
 * The float32 matrix product C = A·B in LLVM IR, written the BLIS way: B is packed per (KC x NC)
 * block into 16-column panels, A per (MC x KC) block into 6-row panels, and a 6x16 micro-kernel
 * keeps the C tile in twelve {@code <8 x float>} accumulators updated with vector FMA (AVX2/FMA
 * registers, one broadcast of A and two loads of B per step of k).
 *
 * <p>Numerics equal the interpreter's bit for bit: the first k-block starts from +0, and every
 * later micro-kernel call loads the C tile as its accumulators and adds the products of its
 * k-block in increasing k with a fused multiply-add, so each element sees exactly the
 * interpreter's FMA chain {@code c = fma(a[i][p], b[p][j], c)} for p = 0..k-1. Inputs are flushed to zero while packing
 * and the result as the last k-block stores it, as in {@link dev.tfjit.ir.kernels.MatMul}.
 *
 * <p>Signature: {@code void (A, rowA, colA, B, rowB, colB, C, m, n, k, packA, packB, tile)}; element
 * (i, p) of A is at {@code i*rowA + p*colA}, C is dense row-major m x n.
 */
final class Sgemm {
    static final int MR = 6, NR = 16;
    /** Depth per block: a 16-column B panel of 256 rows is 16 KiB, half of an L1 data cache. */
    static final int KC = 256;
    /** Rows of A per block: 144 x 256 float32 is 144 KiB, well inside a 1 MiB L2. */
    static final int MC = 144;
    /** Columns of B per block: 256 x 2048 float32 is 2 MiB, in the shared L3. */
    static final int NC = 2048;

    static final String NAME = "@tfjit_sgemm_f32";
    static final String MEMSET = "declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)";

    private Sgemm() {}

    static long packABytes(long m, long k) {
        return Math.min(MC, (m + MR - 1) / MR * MR) * Math.min(KC, Math.max(k, 1)) * 4;
    }

    static long packBBytes(long n, long k) {
        long cols = Math.min(NC, (n + NR - 1) / NR * NR);
        return Math.min(KC, Math.max(k, 1)) * cols * 4;
    }

    static long tileBytes() { return MR * NR * 4; }

    /** Adds the kernel to {@code module} (once) and returns its symbol. */
    static String define(IrModule module) {
        module.helper("memset", MEMSET);
        module.helper("fma.v8f32", "declare <8 x float> @llvm.fma.v8f32(<8 x float>, <8 x float>, <8 x float>)\n"
                + "declare <8 x float> @llvm.fabs.v8f32(<8 x float>)\ndeclare <8 x float> @llvm.copysign.v8f32(<8 x float>, <8 x float>)");
        if (!module.has(SgemmMicroKernel.NAME)) module.helper(SgemmMicroKernel.NAME, SgemmMicroKernel.text(module.unrolled(2)));
        module.helper(NAME, driver());
        return NAME;
    }

    /** The blocked loops around the micro-kernel: packing, edge tiles through {@code tile}, the final flush. */
    private static String driver() {
        IrFunction f = new IrFunction("define internal void " + NAME + "(ptr noalias %a, i64 %rowA, i64 %colA, ptr noalias %b, i64 %rowB, "
                + "i64 %colB, ptr noalias %c, i64 %m, i64 %n, i64 %k, ptr noalias %packA, ptr noalias %packB, ptr noalias %tile)");
        String mn = f.let("mul i64 %m, %n");
        // With k = 0 no k-block runs, and the product is all zeros.
        f.ifThen(f.let("icmp eq i64 %k, 0"), () -> f.line("call void @llvm.memset.p0.i64(ptr %c, i8 0, i64 " + f.let("mul i64 " + mn + ", 4") + ", i1 false)"));
        blocks(f, "%n", NC, (j0, nc) -> blocks(f, "%k", KC, (p0, kc) -> {
            packB(f, j0, nc, p0, kc);
            String first = f.let("icmp eq i64 " + p0 + ", 0");
            String last = f.let("icmp eq i64 " + f.let("add i64 " + p0 + ", " + kc) + ", %k");
            String flags = ", i1 " + first + ", i1 " + last + ")";
            blocks(f, "%m", MC, (i0, mc) -> {
                packA(f, i0, mc, p0, kc);
                f.forLoop(ceilDiv(f, nc, NR), jp -> f.forLoop(ceilDiv(f, mc, MR), ip -> {
                    String i = f.let("add i64 " + i0 + ", " + f.let("mul i64 " + ip + ", " + MR));
                    String j = f.let("add i64 " + j0 + ", " + f.let("mul i64 " + jp + ", " + NR));
                    String pa = f.let("getelementptr inbounds float, ptr %packA, i64 " + f.let("mul i64 " + ip + ", " + f.let("mul i64 " + kc + ", " + MR)));
                    String pb = f.let("getelementptr inbounds float, ptr %packB, i64 " + f.let("mul i64 " + jp + ", " + f.let("mul i64 " + kc + ", " + NR)));
                    String cp = f.let("getelementptr inbounds float, ptr %c, i64 " + f.let("add i64 " + f.let("mul i64 " + i + ", %n") + ", " + j));
                    String rows = f.let("sub i64 %m, " + i), cols = f.let("sub i64 %n, " + j);
                    String full = f.let("and i1 " + f.let("icmp sge i64 " + rows + ", " + MR) + ", " + f.let("icmp sge i64 " + cols + ", " + NR));
                    String yes = f.newLabel("full"), no = f.newLabel("edge"), after = f.newLabel("tiled");
                    f.line("br i1 " + full + ", label %" + yes + ", label %" + no);
                    f.block(yes);
                    f.line("call void " + SgemmMicroKernel.NAME + "(i64 " + kc + ", ptr " + pa + ", ptr " + pb + ", ptr " + cp + ", i64 %n" + flags);
                    f.line("br label %" + after);
                    f.block(no);
                    // An edge tile runs through a zero-padded 6x16 copy, so the micro-kernel never reads or writes outside C.
                    String r = f.let("call i64 @llvm.smin.i64(i64 " + rows + ", i64 " + MR + ")");
                    String q = f.let("call i64 @llvm.smin.i64(i64 " + cols + ", i64 " + NR + ")");
                    f.line("call void @llvm.memset.p0.i64(ptr %tile, i8 0, i64 " + tileBytes() + ", i1 false)");
                    f.ifThen(f.let("xor i1 " + first + ", true"), () -> tileCopy(f, r, q, cp, true));
                    f.line("call void " + SgemmMicroKernel.NAME + "(i64 " + kc + ", ptr " + pa + ", ptr " + pb + ", ptr %tile, i64 " + NR + flags);
                    tileCopy(f, r, q, cp, false);
                    f.line("br label %" + after);
                    f.block(after);
                }));
            });
        }));
        f.line("ret void");
        return f.text(); // llvm.smin is among MathFunctions.DECLARATIONS
    }

    /** Copies the valid r x q corner between C (row stride n) and the 6x16 tile. */
    private static void tileCopy(IrFunction f, String r, String q, String cp, boolean intoTile) {
        f.forLoop(r, i -> f.forLoop(q, j -> {
            String cs = f.let("getelementptr inbounds float, ptr " + cp + ", i64 " + f.let("add i64 " + f.let("mul i64 " + i + ", %n") + ", " + j));
            String ts = f.let("getelementptr inbounds float, ptr %tile, i64 " + f.let("add i64 " + f.let("mul i64 " + i + ", " + NR) + ", " + j));
            String v = f.let("load float, ptr " + (intoTile ? cs : ts));
            f.line("store float " + v + ", ptr " + (intoTile ? ts : cs));
        }));
    }

    /**
     * B[p0..p0+kc, j0..j0+nc] as 16-column panels, each kc rows of 16 floats, zero past column n.
     * Whole panels are copied without bounds checks, so contiguous rows become vector loads.
     */
    private static void packB(IrFunction f, String j0, String nc, String p0, String kc) {
        f.forLoop(ceilDiv(f, nc, NR), jp -> {
            String jBase = f.let("add i64 " + j0 + ", " + f.let("mul i64 " + jp + ", " + NR));
            String whole = f.let("icmp sle i64 " + f.let("add i64 " + jBase + ", " + NR) + ", %n");
            ifElse(f, whole, checked -> f.forLoop(kc, p -> {
                String dst = f.let("mul i64 " + f.let("add i64 " + f.let("mul i64 " + jp + ", " + kc) + ", " + p) + ", " + NR);
                String src = f.let("mul i64 " + f.let("add i64 " + p0 + ", " + p) + ", %rowB");
                for (int jj = 0; jj < NR; jj++) {
                    String j = f.let("add i64 " + jBase + ", " + jj);
                    String inside = checked ? f.let("icmp slt i64 " + j + ", %n") : "true";
                    packOne(f, "%b", inside, f.let("add i64 " + src + ", " + f.let("mul i64 " + j + ", %colB")),
                            "%packB", f.let("add i64 " + dst + ", " + jj));
                }
            }));
        });
    }

    /** A[i0..i0+mc, p0..p0+kc] as 6-row panels, each kc columns of 6 floats, zero past row m. */
    private static void packA(IrFunction f, String i0, String mc, String p0, String kc) {
        f.forLoop(ceilDiv(f, mc, MR), ip -> {
            String iBase = f.let("add i64 " + i0 + ", " + f.let("mul i64 " + ip + ", " + MR));
            String whole = f.let("icmp sle i64 " + f.let("add i64 " + iBase + ", " + MR) + ", %m");
            ifElse(f, whole, checked -> f.forLoop(kc, p -> {
                String dst = f.let("mul i64 " + f.let("add i64 " + f.let("mul i64 " + ip + ", " + kc) + ", " + p) + ", " + MR);
                String src = f.let("mul i64 " + f.let("add i64 " + p0 + ", " + p) + ", %colA");
                for (int ii = 0; ii < MR; ii++) {
                    String i = f.let("add i64 " + iBase + ", " + ii);
                    String inside = checked ? f.let("icmp slt i64 " + i + ", %m") : "true";
                    packOne(f, "%a", inside, f.let("add i64 " + src + ", " + f.let("mul i64 " + i + ", %rowA")),
                            "%packA", f.let("add i64 " + dst + ", " + ii));
                }
            }));
        });
    }

    /** {@code if (whole) body(false) else body(true)}: the argument says whether bounds must be checked. */
    private static void ifElse(IrFunction f, String whole, java.util.function.Consumer<Boolean> body) {
        String fast = f.newLabel("whole"), slow = f.newLabel("partial"), after = f.newLabel("packed");
        f.line("br i1 " + whole + ", label %" + fast + ", label %" + slow);
        f.block(fast);
        body.accept(false);
        f.line("br label %" + after);
        f.block(slow);
        body.accept(true);
        f.line("br label %" + after);
        f.block(after);
    }

    /** packed[dst] = inside ? ftz(src[at]) : 0, reading nothing outside the matrix. */
    private static void packOne(IrFunction f, String src, String inside, String at, String packed, String dst) {
        String safe = f.let("select i1 " + inside + ", i64 " + at + ", i64 0");
        String v = f.let("load float, ptr " + f.let("getelementptr inbounds float, ptr " + src + ", i64 " + safe));
        Reg flushed = Scalars.ftz(f, new Reg(v, dev.tfjit.ir.kernels.ComputeType.F32));
        String x = f.let("select i1 " + inside + ", float " + flushed.name() + ", float 0.0");
        f.line("store float " + x + ", ptr " + f.let("getelementptr inbounds float, ptr " + packed + ", i64 " + dst));
    }

    /** Emits {@code for (i = 0; i*block < total; i++) body(start = i*block, size = min(block, total - start))}. */
    private static void blocks(IrFunction f, String total, int block, java.util.function.BiConsumer<String, String> body) {
        f.forLoop(ceilDiv(f, total, block), ib -> {
            String start = f.let("mul i64 " + ib + ", " + block);
            String size = f.let("call i64 @llvm.smin.i64(i64 " + block + ", i64 " + f.let("sub i64 " + total + ", " + start) + ")");
            body.accept(start, size);
        });
    }

    private static String ceilDiv(IrFunction f, String x, int d) {
        return f.let("udiv i64 " + f.let("add i64 " + x + ", " + (d - 1)) + ", " + d);
    }
}
