package dev.tfjit.codegen.llvm;

import static dev.tfjit.codegen.llvm.Sgemm.MR;
import static dev.tfjit.codegen.llvm.Sgemm.NAME;

/**
 * Large float32 products on both cores: rows are split between the calling thread and one
 * POSIX thread started for the call (each with its own packing buffers), then joined. Per-call
 * threads cost tens of microseconds, so only products well above that are split.
 */
final class SgemmThreads {
    private SgemmThreads() {}

    /**
     * Whether a product is worth a second thread: below about 4M multiply-adds (0.1 ms on one
     * core) starting and joining a thread costs more than it saves. Rows are split, so each
     * thread needs at least a few micro-tiles of them.
     */
    static boolean splits(long m, long n, long k) { return (double) m * n * k >= (1L << 22) && m >= 4 * MR; }

    /** Whether a batch of small products, {@code macs} multiply-adds in all, is worth splitting between two threads. */
    static boolean splitsBatches(long batches, double macs) { return batches >= 2 && macs >= (1L << 22); }

    /**
     * Adds {@code void @tfjit_run_pair(ptr fn, ptr ctx0, ptr ctx1)}: runs {@code fn(ctx0)} on a new
     * POSIX thread (or inline if none can be started) and {@code fn(ctx1)} on the caller's, then joins.
     */
    static String definePair(IrModule module) {
        module.helper("pthread", "declare i32 @pthread_create(ptr, ptr, ptr, ptr)\ndeclare i32 @pthread_join(i64, ptr)");
        module.helper("@tfjit_run_pair", """
                define internal void @tfjit_run_pair(ptr %fn, ptr %c0, ptr %c1) {
                  %thread = alloca i64, align 8
                  %rc = call i32 @pthread_create(ptr %thread, ptr null, ptr %fn, ptr %c0)
                  %started = icmp eq i32 %rc, 0
                  br i1 %started, label %rest, label %inline
                inline:
                  %x = call ptr %fn(ptr %c0)
                  br label %rest
                rest:
                  %y = call ptr %fn(ptr %c1)
                  br i1 %started, label %join, label %done
                join:
                  %id = load i64, ptr %thread
                  %jr = call i32 @pthread_join(i64 %id, ptr null)
                  br label %done
                done:
                  ret void
                }
                """);
        return "@tfjit_run_pair";
    }

    /** Where the rows are split: the first thread takes whole micro-tiles, about half. */
    static long splitRow(long m) { return (m / 2 + MR - 1) / MR * MR; }

    /**
     * Adds {@link Sgemm#define} plus the two-thread variant; its signature appends
     * {@code i64 m0, ptr packA2, ptr packB2, ptr tile2}: a POSIX thread computes rows [0, m0)
     * with the second set of buffers while the caller computes rows [m0, m). If the thread
     * cannot be started, the caller computes both halves itself.
     */
    static String define(IrModule module) {
        Sgemm.define(module);
        module.helper("pthread", "declare i32 @pthread_create(ptr, ptr, ptr, ptr)\ndeclare i32 @pthread_join(i64, ptr)");
        module.helper(NAME + ".worker", """
                define internal ptr NAME_worker(ptr %w) {
                  %s1 = getelementptr inbounds i64, ptr %w, i64 1
                  %s2 = getelementptr inbounds i64, ptr %w, i64 2
                  %s3 = getelementptr inbounds i64, ptr %w, i64 3
                  %s4 = getelementptr inbounds i64, ptr %w, i64 4
                  %s5 = getelementptr inbounds i64, ptr %w, i64 5
                  %s6 = getelementptr inbounds i64, ptr %w, i64 6
                  %s7 = getelementptr inbounds i64, ptr %w, i64 7
                  %s8 = getelementptr inbounds i64, ptr %w, i64 8
                  %s9 = getelementptr inbounds i64, ptr %w, i64 9
                  %s10 = getelementptr inbounds i64, ptr %w, i64 10
                  %s11 = getelementptr inbounds i64, ptr %w, i64 11
                  %s12 = getelementptr inbounds i64, ptr %w, i64 12
                  %a = load ptr, ptr %w
                  %rowA = load i64, ptr %s1
                  %colA = load i64, ptr %s2
                  %b = load ptr, ptr %s3
                  %rowB = load i64, ptr %s4
                  %colB = load i64, ptr %s5
                  %c = load ptr, ptr %s6
                  %m = load i64, ptr %s7
                  %n = load i64, ptr %s8
                  %k = load i64, ptr %s9
                  %pa = load ptr, ptr %s10
                  %pb = load ptr, ptr %s11
                  %t = load ptr, ptr %s12
                  call void NAME(ptr %a, i64 %rowA, i64 %colA, ptr %b, i64 %rowB, i64 %colB, ptr %c, i64 %m, i64 %n, i64 %k, ptr %pa, ptr %pb, ptr %t)
                  ret ptr null
                }
                """.replace("NAME", NAME));
        module.helper(NAME + ".split", """
                define internal void NAME_split(ptr %a, i64 %rowA, i64 %colA, ptr %b, i64 %rowB, i64 %colB, ptr %c, i64 %m, i64 %n, i64 %k, ptr %pa, ptr %pb, ptr %t, i64 %m0, ptr %pa2, ptr %pb2, ptr %t2) {
                  %w = alloca [13 x i64], align 16
                  %thread = alloca i64, align 8
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
                  store i64 %m0, ptr %s7
                  %s8 = getelementptr inbounds i64, ptr %w, i64 8
                  store i64 %n, ptr %s8
                  %s9 = getelementptr inbounds i64, ptr %w, i64 9
                  store i64 %k, ptr %s9
                  %s10 = getelementptr inbounds i64, ptr %w, i64 10
                  store ptr %pa2, ptr %s10
                  %s11 = getelementptr inbounds i64, ptr %w, i64 11
                  store ptr %pb2, ptr %s11
                  %s12 = getelementptr inbounds i64, ptr %w, i64 12
                  store ptr %t2, ptr %s12
                  %rc = call i32 @pthread_create(ptr %thread, ptr null, ptr NAME_worker, ptr %w)
                  %started = icmp eq i32 %rc, 0
                  br i1 %started, label %rest, label %inline
                inline:
                  %ignored = call ptr NAME_worker(ptr %w)
                  br label %rest
                rest:
                  %m1 = sub i64 %m, %m0
                  %aoff = mul i64 %m0, %rowA
                  %a1 = getelementptr inbounds float, ptr %a, i64 %aoff
                  %coff = mul i64 %m0, %n
                  %c1 = getelementptr inbounds float, ptr %c, i64 %coff
                  call void NAME(ptr %a1, i64 %rowA, i64 %colA, ptr %b, i64 %rowB, i64 %colB, ptr %c1, i64 %m1, i64 %n, i64 %k, ptr %pa, ptr %pb, ptr %t)
                  br i1 %started, label %join, label %done
                join:
                  %id = load i64, ptr %thread
                  %jr = call i32 @pthread_join(i64 %id, ptr null)
                  br label %done
                done:
                  ret void
                }
                """.replace("NAME", NAME));
        return NAME + "_split";
    }
}
