package dev.tfjit.codegen.llvm;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A loop over {@code [0, count)} of some index that runs on both cores when it is big enough:
 * the body goes into a helper function {@code void (ptr ctx, i64 begin, i64 end, i64 part)} and
 * {@link WorkerPool} runs {@code [0, split)} on the calling thread and {@code [split, count)} on
 * its worker. Small loops are written inline, exactly as before, so they pay nothing.
 *
 * <p>The body writes the same instructions either way; pointers of the entry function that it
 * uses reach the helper through {@code ctx}, and each part has its own status word (merged into
 * the entry's after the join), so the parts never write the same memory.
 */
final class ParallelLoop {
    private ParallelLoop() {}

    /**
     * Below this much work (elements times the cost of one, {@link #cost}) a loop stays on one
     * core: waking the worker and joining it costs a few microseconds, a loop this size about
     * a hundred on one core.
     */
    static final long MIN_WORK = 1L << 19;

    /** The loop body of one part. */
    @FunctionalInterface
    interface Body {
        /**
         * Writes the loop over {@code [begin, end)} into {@code k.f}; {@code pointer} maps a
         * pointer of the entry function to its name in the function being written, {@code part}
         * (an i64 operand, 0 or 1) says which part this is.
         */
        void emit(KernelContext k, UnaryOperator<String> pointer, String begin, String end, String part);
    }

    /** Whether {@code elements} elements of {@code costPerElement} each are worth both cores. */
    static boolean worthSplitting(long elements, long costPerElement) {
        return NativeJit.get().parallel() && elements >= 2 && elements * costPerElement >= MIN_WORK;
    }

    /** Relative cost of computing one element of an op (an expensive one counts as many cheap ones). */
    static long cost(dev.tfjit.ir.OpDef op) { return op.isExpensive() ? 8 : 1; }

    /**
     * {@code count / 2} rounded to a multiple of {@code align}, so that each part of a contiguous
     * loop starts on a cache line; 0 when the count is too small to have two such parts.
     */
    static long half(long count, long align) { return count / 2 / align * align; }

    /**
     * Emits the loop. With {@code split} in {@code (0, count)} and {@code parallel} it is split
     * there between two threads; otherwise the body is written inline for {@code [0, count)}.
     * {@code pointers} are the entry function's pointers the body uses (globals need not be named).
     */
    static void emit(FunctionEmitter e, long count, long split, boolean parallel, List<String> pointers, Body body) {
        if (!parallel || split <= 0 || split >= count || !NativeJit.get().parallel()) {
            body.emit(e.cx, p -> p, "0", Long.toString(count), "0");
            return;
        }
        IrFunction f = e.f;
        String name = e.helperName("part");
        IrFunction h = new IrFunction("define internal void " + name + "(ptr noalias %ctx, i64 %begin, i64 %end, i64 %part)");
        // ctx holds the two parts' status words, then the pointers.
        String status = h.let("load ptr, ptr " + h.let("getelementptr inbounds ptr, ptr %ctx, i64 %part"));
        Map<String, String> local = new HashMap<>();
        for (int i = 0; i < pointers.size(); i++) {
            local.putIfAbsent(pointers.get(i), h.let("load ptr, ptr " + h.let("getelementptr inbounds ptr, ptr %ctx, i64 " + (i + 2))));
        }
        body.emit(e.cx.in(h, status), p -> {
            String l = local.get(p);
            if (l != null || p.startsWith("@")) return l == null ? p : l;
            throw new IllegalStateException("pointer " + p + " was not passed to the parallel part " + name);
        }, "%begin", "%end", "%part");
        h.line("ret void");
        e.module.add(h);

        String ctx = f.alloca("[" + (pointers.size() + 2) + " x ptr]");
        String[] statuses = {f.alloca("i32"), f.alloca("i32")};
        for (int i = 0; i < 2; i++) {
            f.line("store i32 0, ptr " + statuses[i]);
            f.line("store ptr " + statuses[i] + ", ptr " + f.let("getelementptr inbounds ptr, ptr " + ctx + ", i64 " + i));
        }
        for (int i = 0; i < pointers.size(); i++) {
            f.line("store ptr " + pointers.get(i) + ", ptr " + f.let("getelementptr inbounds ptr, ptr " + ctx + ", i64 " + (i + 2)));
        }
        e.module.helper("tfjit_parallel_for", WorkerPool.DECLARATION);
        f.line("call void " + WorkerPool.PARALLEL_FOR + "(ptr " + name + ", ptr " + ctx + ", i64 " + count + ", i64 " + split + ")");
        String both = f.let("or i32 " + f.let("load i32, ptr " + statuses[0]) + ", " + f.let("load i32, ptr " + statuses[1]));
        f.line("store i32 " + f.let("or i32 " + f.let("load i32, ptr " + e.cx.status) + ", " + both) + ", ptr " + e.cx.status);
    }
}
