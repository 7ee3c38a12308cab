package dev.tfjit.codegen.llvm;

import static dev.tfjit.codegen.llvm.Sgemm.MR;
import static dev.tfjit.codegen.llvm.Sgemm.NAME;

/**
 * Large float32 products on both cores: rows are split between the calling thread and the
 * {@link WorkerPool}'s worker, each with its own packing buffers. Handing a part to the worker
 * costs a few microseconds, so products from about 4M multiply-adds (0.1 ms on one core) split.
 */
final class SgemmThreads {
    private SgemmThreads() {}

    /**
     * Whether a product is worth the second core: below about 4M multiply-adds the hand-over
     * costs more than it saves. Rows are split, so each thread needs at least a few micro-tiles of them.
     */
    static boolean splits(long m, long n, long k) {
        return (double) m * n * k >= (1L << 22) && m >= 4 * MR && NativeJit.get().parallel();
    }

    /** Whether a batch of small products, {@code macs} multiply-adds in all, is worth splitting between two threads. */
    static boolean splitsBatches(long batches, double macs) { return batches >= 2 && macs >= (1L << 22) && NativeJit.get().parallel(); }

    /** Where the rows are split: the first thread takes whole micro-tiles, about half. */
    static long splitRow(long m) { return (m / 2 + MR - 1) / MR * MR; }

    /**
     * Adds {@link Sgemm#define} plus the two-thread variant; its signature appends
     * {@code i64 m0, ptr packA2, ptr packB2, ptr tile2}: the caller computes rows [0, m0) with the
     * first set of buffers while the pool's worker computes rows [m0, m) with the second (or the
     * caller both, in turn, when the worker is busy).
     */
    static String define(IrModule module) {
        Sgemm.define(module);
        module.helper("tfjit_parallel_for", WorkerPool.DECLARATION);
        module.helper(NAME + ".part", """
                define internal void NAME_part(ptr %w, i64 %begin, i64 %end, i64 %part) {
                  %s1 = getelementptr inbounds i64, ptr %w, i64 1
                  %s2 = getelementptr inbounds i64, ptr %w, i64 2
                  %s3 = getelementptr inbounds i64, ptr %w, i64 3
                  %s4 = getelementptr inbounds i64, ptr %w, i64 4
                  %s5 = getelementptr inbounds i64, ptr %w, i64 5
                  %s6 = getelementptr inbounds i64, ptr %w, i64 6
                  %s7 = getelementptr inbounds i64, ptr %w, i64 7
                  %s8 = getelementptr inbounds i64, ptr %w, i64 8
                  %a = load ptr, ptr %w
                  %rowA = load i64, ptr %s1
                  %colA = load i64, ptr %s2
                  %b = load ptr, ptr %s3
                  %rowB = load i64, ptr %s4
                  %colB = load i64, ptr %s5
                  %c = load ptr, ptr %s6
                  %n = load i64, ptr %s7
                  %k = load i64, ptr %s8
                  %p3 = mul i64 %part, 3
                  %i0 = add i64 %p3, 9
                  %i1 = add i64 %p3, 10
                  %i2 = add i64 %p3, 11
                  %sa = getelementptr inbounds i64, ptr %w, i64 %i0
                  %sb = getelementptr inbounds i64, ptr %w, i64 %i1
                  %st = getelementptr inbounds i64, ptr %w, i64 %i2
                  %pa = load ptr, ptr %sa
                  %pb = load ptr, ptr %sb
                  %t = load ptr, ptr %st
                  %aoff = mul i64 %begin, %rowA
                  %a1 = getelementptr inbounds float, ptr %a, i64 %aoff
                  %coff = mul i64 %begin, %n
                  %c1 = getelementptr inbounds float, ptr %c, i64 %coff
                  %m1 = sub i64 %end, %begin
                  call void NAME(ptr %a1, i64 %rowA, i64 %colA, ptr %b, i64 %rowB, i64 %colB, ptr %c1, i64 %m1, i64 %n, i64 %k, ptr %pa, ptr %pb, ptr %t)
                  ret void
                }
                """.replace("NAME", NAME));
        module.helper(NAME + ".split", """
                define internal void NAME_split(ptr %a, i64 %rowA, i64 %colA, ptr %b, i64 %rowB, i64 %colB, ptr %c, i64 %m, i64 %n, i64 %k, ptr %pa, ptr %pb, ptr %t, i64 %m0, ptr %pa2, ptr %pb2, ptr %t2) {
                  %w = alloca [15 x i64], align 16
                  store ptr %a, ptr %w
                  %s1 = getelementptr inbounds i64, ptr %w, i64 1
                  store i64 %rowA, ptr %s1
                  %s2 = getelementptr inbounds i64, ptr %w, i64 2
                  store i64 %colA, ptr %s2
                  %s3 = getelementptr inbounds i64, ptr %w, i64 3
                  store ptr %b, ptr %s3
                  %s4 = getelementptr inbounds i64, ptr %w, i64 4
                  store i64 %rowB, ptr %s4
                  %s5 = getelementptr inbounds i64, ptr %w, i64 5
                  store i64 %colB, ptr %s5
                  %s6 = getelementptr inbounds i64, ptr %w, i64 6
                  store ptr %c, ptr %s6
                  %s7 = getelementptr inbounds i64, ptr %w, i64 7
                  store i64 %n, ptr %s7
                  %s8 = getelementptr inbounds i64, ptr %w, i64 8
                  store i64 %k, ptr %s8
                  %s9 = getelementptr inbounds i64, ptr %w, i64 9
                  store ptr %pa, ptr %s9
                  %s10 = getelementptr inbounds i64, ptr %w, i64 10
                  store ptr %pb, ptr %s10
                  %s11 = getelementptr inbounds i64, ptr %w, i64 11
                  store ptr %t, ptr %s11
                  %s12 = getelementptr inbounds i64, ptr %w, i64 12
                  store ptr %pa2, ptr %s12
                  %s13 = getelementptr inbounds i64, ptr %w, i64 13
                  store ptr %pb2, ptr %s13
                  %s14 = getelementptr inbounds i64, ptr %w, i64 14
                  store ptr %t2, ptr %s14
                  call void @tfjit_parallel_for(ptr NAME_part, ptr %w, i64 %m, i64 %m0)
                  ret void
                }
                """.replace("NAME", NAME));
        return NAME + "_split";
    }
}
