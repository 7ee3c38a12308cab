package dev.tfjit.codegen.llvm;

import static dev.tfjit.codegen.llvm.Sgemm.MR;

/**
 * When float32 products use both cores: rows (or batches) are split between the calling thread
 * and the {@link WorkerPool}'s worker ({@link MatMulEmitter}), each with its own packing buffers.
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
}
