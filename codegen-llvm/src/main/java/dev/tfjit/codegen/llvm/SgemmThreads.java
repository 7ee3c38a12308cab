package dev.tfjit.codegen.llvm;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static dev.tfjit.codegen.llvm.Sgemm.MR;

/**
 * When float32 products use both cores, and the row split itself: rows (or batches) are split
 * between the calling thread and the {@link WorkerPool}'s worker (matmul and convolution), each
 * with its own packing buffers.
 * Handing a part to the worker costs a few microseconds, so products from about 4M multiply-adds
 * (0.1 ms on one core) split.
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

    /** What a part runs right after its rows of the product (the rows are still in its cache). */
    @FunctionalInterface
    interface AfterRows {
        /** {@code pointer} maps an entry function pointer to the part's; the part's rows are {@code [begin, end)}. */
        void emit(KernelContext k, UnaryOperator<String> pointer, String begin, String end);
    }

    /**
     * Emits C[m x n] = A·B on the float32 kernel ({@link Sgemm}), element (i, q) of A at
     * {@code a + i*rowA + q*colA}, with the rows split between the caller and the pool's worker
     * ({@link #splitRow}): each part calls the kernel on its rows of A and C with its own packing
     * buffers, then runs {@code after} (may be null). {@code extra} are the further entry function
     * pointers {@code after} uses. The packing buffers are taken once, so every call site emitted
     * in a loop (one per batch) reuses them.
     */
    static void rowsOnBothCores(FunctionEmitter e, String a, long rowA, long colA, String b, long rowB, long colB, String c,
                                long m, long n, long k, List<String> extra, AfterRows after) {
        String fn = Sgemm.define(e.module);
        Packs packs = Packs.take(e, m, n, k);
        List<String> used = new ArrayList<>(List.of(a, b, c));
        used.addAll(packs.pointers());
        used.addAll(extra);
        ParallelLoop.emit(e, m, splitRow(m), true, used, (k2, ptr, begin, end, part) -> {
            IrFunction h = k2.f;
            String a1 = h.let("getelementptr inbounds float, ptr " + ptr.apply(a) + ", i64 " + h.let("mul i64 " + begin + ", " + rowA));
            String c1 = h.let("getelementptr inbounds float, ptr " + ptr.apply(c) + ", i64 " + h.let("mul i64 " + begin + ", " + n));
            h.line("call void " + fn + "(ptr " + a1 + ", i64 " + rowA + ", i64 " + colA + ", ptr " + ptr.apply(b) + ", i64 " + rowB
                    + ", i64 " + colB + ", ptr " + c1 + ", i64 " + h.let("sub i64 " + end + ", " + begin) + ", i64 " + n + ", i64 " + k
                    + ", " + packs.ofPart(h, ptr, part) + ")");
            if (after != null) after.emit(k2, ptr, begin, end);
        });
    }

    /** Two sets of the kernel's packing buffers and edge tile, one per part, each set {@code bytes} apart per buffer. */
    record Packs(List<String> pointers, long[] bytes) {
        static Packs take(FunctionEmitter e, long m, long n, long k) {
            long[] bytes = {Sgemm.packABytes(m, k), Sgemm.packBBytes(n, k), Sgemm.tileBytes()};
            List<String> pointers = new ArrayList<>();
            for (long b : bytes) pointers.add(e.uninitializedScratch(2 * b));
            return new Packs(pointers, bytes);
        }

        /** Part {@code part}'s buffers as the kernel's last three arguments ({@code ptr A, ptr B, ptr tile}). */
        String ofPart(IrFunction h, UnaryOperator<String> pointer, String part) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                sb.append(i == 0 ? "" : ", ").append("ptr ").append(h.let("getelementptr inbounds i8, ptr " + pointer.apply(pointers.get(i))
                        + ", i64 " + h.let("mul i64 " + part + ", " + bytes[i])));
            }
            return sb.toString();
        }
    }
}
