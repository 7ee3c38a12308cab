package dev.tfjit.tracer;

import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.CreationOps;

import java.util.List;

/**
 * What code running inside a trace may ask about it; AutoGraph uses this to warn about Java
 * loops that unroll into many ops and to iterate over {@code Tf.range} without materializing it.
 */
public final class Tracing {
    private Tracing() {}

    /** The trace ops go to on this thread now, as an identity token; null when executing eagerly. */
    public static Object currentTrace() { return ExecutionContext.current() instanceof TraceContext tc ? tc : null; }

    /** How many ops the current trace has recorded (nested regions included); -1 when executing eagerly. */
    public static int opCount() { return ExecutionContext.current() instanceof TraceContext tc ? tc.opCount() : -1; }

    /**
     * {@code start, limit, delta} when {@code t} is the result of {@code Tf.range} in the current
     * trace, else null: a loop over it can count instead of gathering from the materialized range.
     */
    public static List<Tensor> rangeArguments(Tensor t) {
        if (!t.isSymbolic() || !(ExecutionContext.current() instanceof TraceContext tc) || t.trace() != tc) return null;
        Value v = t.symbolicValue();
        if (tc.producerOp(v) != CreationOps.RANGE) return null;
        List<Value> in = tc.producerInputs(v);
        return in.stream().map(x -> new Tensor(x, tc)).toList();
    }
}
