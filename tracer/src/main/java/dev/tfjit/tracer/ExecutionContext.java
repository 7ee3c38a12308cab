package dev.tfjit.tracer;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where ops go: executed now on buffers (eager) or recorded as graph nodes (tracing). The
 * same {@link Tensor} API runs in both; each thread has a stack of contexts, eager at the bottom.
 */
public interface ExecutionContext {
    List<Tensor> execute(OpDef op, Attrs attrs, List<Tensor> inputs);

    /** The variable's current value: its buffer when eager, a captured or staged value when tracing. */
    Tensor readVariable(Variable v);

    /** Sets the variable's value now (eager) or stages the assignment (tracing). */
    void assignVariable(Variable v, Tensor value);

    /** Called when a variable is created; tracing allows it only on a function's first trace. */
    void onVariableCreated(Variable v);

    /**
     * {@code tf.while_loop}: runs the Java loop now (eager), or stages a {@code while} node whose
     * cond and body are traced once (tracing). {@code shapeInvariants} (null or one per loop
     * var, null entries meaning "keep the initial shape") let a loop var's shape change.
     */
    List<Tensor> whileLoop(Function<List<Tensor>, Tensor> cond, Function<List<Tensor>, List<Tensor>> body,
                           List<Tensor> loopVars, List<Shape> shapeInvariants);

    /** {@code tf.cond}: runs one branch now (eager), or stages a {@code cond} node with both traced. */
    List<Tensor> cond(Tensor pred, Supplier<List<Tensor>> thenBranch, Supplier<List<Tensor>> elseBranch);

    /** The context ops on this thread go to now. */
    static ExecutionContext current() { return Contexts.current(); }
}
