package dev.tfjit.tracer;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.OpDef;

import java.util.List;

/**
 * Where ops go: executed now on buffers (eager) or recorded as graph nodes (tracing). The
 * same {@link Tensor} API runs in both; each thread has a stack of contexts, eager at the bottom.
 */
public interface ExecutionContext {
    List<Tensor> execute(OpDef op, Attrs attrs, List<Tensor> inputs);

    /** The context ops on this thread go to now. */
    static ExecutionContext current() { return Contexts.current(); }
}
