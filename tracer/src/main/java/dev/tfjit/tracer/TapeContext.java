package dev.tfjit.tracer;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.GradientRule;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.ir.ops.ControlFlowOps;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The recording half of a {@link GradientTape}: an execution context that hands every op to the
 * context below it (eager, tracing, or another tape) and remembers the ops that touch watched
 * tensors. Because execution is delegated, the same tape works eagerly and inside a traced
 * Function, and a tape below this one records the backward ops of this one (second derivatives).
 */
final class TapeContext implements ExecutionContext {
    /** One recorded op; {@code rule} is the op's own gradient, or a custom or refusing one. */
    record Entry(OpDef op, Attrs attrs, List<Tensor> inputs, List<Tensor> outputs, GradientRule rule, boolean capturesValues) {}

    private final ExecutionContext below;
    private final boolean watchAccessedVariables;
    private boolean recording = true;
    private final Set<Tensor> connected = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Entry> entries = new ArrayList<>();
    private final Set<Variable> watchedVariables = new LinkedHashSet<>();
    private final Map<Variable, List<Tensor>> variableReads = new LinkedHashMap<>();

    TapeContext(ExecutionContext below, boolean watchAccessedVariables) {
        this.below = below;
        this.watchAccessedVariables = watchAccessedVariables;
    }

    ExecutionContext below() { return below; }

    boolean recording() { return recording; }

    /** Sets whether ops are recorded and returns the previous setting. */
    boolean setRecording(boolean on) {
        boolean was = recording;
        recording = on;
        return was;
    }

    List<Entry> entries() { return entries; }

    Set<Variable> watchedVariables() { return Collections.unmodifiableSet(watchedVariables); }

    /** The tensors each read of {@code v} produced while it was watched. */
    List<Tensor> readsOf(Variable v) { return variableReads.getOrDefault(v, List.of()); }

    void watch(Tensor t) { connected.add(t); }

    void watch(Variable v) { watchedVariables.add(v); }

    void reset() {
        connected.clear();
        entries.clear();
        watchedVariables.clear();
        variableReads.clear();
    }

    private boolean anyConnected(List<Tensor> ts) {
        for (Tensor t : ts) if (connected.contains(t)) return true;
        return false;
    }

    /** Records an op applied outside {@link #execute} (custom gradients) if it touches watched tensors. */
    void record(OpDef op, Attrs attrs, List<Tensor> inputs, List<Tensor> outputs, GradientRule rule) {
        if (recording && anyConnected(inputs)) {
            entries.add(new Entry(op, attrs, List.copyOf(inputs), List.copyOf(outputs), rule, false));
            connected.addAll(outputs);
        }
    }

    @Override
    public List<Tensor> execute(OpDef op, Attrs attrs, List<Tensor> inputs) {
        List<Tensor> out = below.execute(op, attrs, inputs);
        record(op, attrs, inputs, out, op.gradient());
        return out;
    }

    @Override
    public Tensor readVariable(Variable v) {
        Tensor t = below.readVariable(v);
        if (recording && watchAccessedVariables && v.trainable()) watchedVariables.add(v);
        if (recording && watchedVariables.contains(v)) {
            variableReads.computeIfAbsent(v, k -> new ArrayList<>()).add(t);
            connected.add(t);
        }
        return t;
    }

    @Override
    public void assignVariable(Variable v, Tensor value) { below.assignVariable(v, value); }

    @Override
    public void onVariableCreated(Variable v) { below.onVariableCreated(v); }

    /**
     * Eagerly the loop runs its Java body, whose ops come through this tape and are recorded like
     * any others. While tracing, the body becomes a region whose values do not exist outside it,
     * so it is not recorded; gradients that must flow through the staged loop are refused.
     */
    @Override
    public List<Tensor> whileLoop(Function<List<Tensor>, Tensor> cond, Function<List<Tensor>, List<Tensor>> body,
                                  List<Tensor> loopVars, List<Shape> shapeInvariants) {
        if (!tracing()) return below.whileLoop(cond, body, loopVars, shapeInvariants);
        boolean was = setRecording(false);
        List<Tensor> out;
        try {
            out = below.whileLoop(cond, body, loopVars, shapeInvariants);
        } finally {
            setRecording(was);
        }
        recordStaged(ControlFlowOps.WHILE, loopVars, out);
        return out;
    }

    @Override
    public List<Tensor> cond(Tensor pred, Supplier<List<Tensor>> thenBranch, Supplier<List<Tensor>> elseBranch) {
        if (!tracing()) return below.cond(pred, thenBranch, elseBranch);
        boolean was = setRecording(false);
        List<Tensor> out;
        try {
            out = below.cond(pred, thenBranch, elseBranch);
        } finally {
            setRecording(was);
        }
        recordStaged(ControlFlowOps.COND, List.of(pred), out);
        return out;
    }

    /**
     * A staged loop or branch may use any watched tensor through its closures, so its outputs
     * count as connected; backprop that reaches it stops with a clear error instead of a silently
     * missing gradient.
     */
    private void recordStaged(OpDef op, List<Tensor> inputs, List<Tensor> out) {
        if (!recording || connected.isEmpty()) return;
        GradientRule refuse = (g, c) -> {
            throw new UnimplementedError("gradients through a staged " + op.name() + " (Tf." + (op == ControlFlowOps.WHILE ? "whileLoop" : "cond")
                    + " inside a traced Function) are not implemented; compute the gradient eagerly, or unroll the loop with Java control flow");
        };
        entries.add(new Entry(op, Attrs.EMPTY, List.copyOf(inputs), List.copyOf(out), refuse, true));
        connected.addAll(out);
    }

    /** True when ops below this tape are recorded into a graph rather than run. */
    boolean tracing() {
        ExecutionContext c = below;
        while (c instanceof TapeContext t) c = t.below;
        return c instanceof TraceContext;
    }

    /** The tapes that ops issued now reach, innermost first (a trace context ends the chain). */
    static List<TapeContext> activeTapes() {
        List<TapeContext> tapes = new ArrayList<>();
        ExecutionContext c = ExecutionContext.current();
        while (c instanceof TapeContext t) {
            tapes.add(t);
            c = t.below;
        }
        return tapes;
    }

    /**
     * Whether a {@link dev.tfjit.tracer.Function} called now must run its Java body inline: while
     * tracing (into the caller's graph), and under a tape, so that the tape sees its ops.
     */
    static boolean runsFunctionsInline(ExecutionContext c) {
        return c instanceof TraceContext || c instanceof TapeContext;
    }
}
