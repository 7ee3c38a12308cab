package dev.tfjit.autograph;

import dev.tfjit.tracer.Tracing;

import java.lang.ref.WeakReference;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Warns when a loop of converted code runs as Java while tracing (a loop over Java values, or on
 * eager tensors) and unrolls into more than {@link #OPS} ops: the graph grows with the trip count
 * where a loop on a tensor would be one while node.
 */
final class UnrollWatch {
    static final int OPS = 5000;

    private UnrollWatch() {}

    private static final class Count {
        final int opsAtStart;
        int iterations;
        boolean warned;

        Count(int opsAtStart) { this.opsAtStart = opsAtStart; }
    }

    private static final class PerTrace {
        WeakReference<Object> trace = new WeakReference<>(null);
        final Map<JavaLoop, Count> loops = new IdentityHashMap<>();
    }

    private static final ThreadLocal<PerTrace> STATE = ThreadLocal.withInitial(PerTrace::new);

    static void iteration(JavaLoop loop) {
        Object trace = Tracing.currentTrace();
        if (trace == null) return;
        PerTrace st = STATE.get();
        if (st.trace.get() != trace) {
            st.trace = new WeakReference<>(trace);
            st.loops.clear();
        }
        int ops = Tracing.opCount();
        Count c = st.loops.computeIfAbsent(loop, k -> new Count(ops));
        c.iterations++;
        if (!c.warned && ops - c.opsAtStart > OPS) {
            c.warned = true;
            loop.method().warn("the Java loop at " + loop.method().where(loop.line()) + " (" + loop.method().displayName() + ") has run "
                    + (c.iterations - 1) + " times while tracing and added " + (ops - c.opsAtStart) + " ops to the graph: a loop over Java"
                    + " values unrolls when traced. Loop over a tensor (for (Tensor i : Tf.range(n)), or while on a tensor condition)"
                    + " to stage one while node instead");
        }
    }
}
