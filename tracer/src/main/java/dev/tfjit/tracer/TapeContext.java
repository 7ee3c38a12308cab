package dev.tfjit.tracer;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.GradientRule;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.Value;

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
    record Entry(OpDef op, Attrs attrs, List<Tensor> inputs, List<Tensor> outputs, GradientRule rule) {}

    private final ExecutionContext below;
    private final boolean watchAccessedVariables;
    private boolean recording = true;
    private final Set<Tensor> connected = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Entry> entries = new ArrayList<>();
    private final Set<Variable> watchedVariables = new LinkedHashSet<>();
    private final Map<Variable, List<Tensor>> variableReads = new LinkedHashMap<>();
    /** The tensor this tape knows for each traced value, so a staged region's captures map back to tape tensors. */
    private final Map<Value, Tensor> known = new IdentityHashMap<>();
    /** Variable reads inside the regions of a while/cond being staged (null when not staging). */
    private List<VariableRead> stagingReads;

    private record VariableRead(Variable variable, Tensor value) {}

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

    void watch(Tensor t) {
        connected.add(t);
        remember(t);
    }

    private void remember(Tensor t) {
        if (t.isSymbolic()) known.putIfAbsent(t.symbolicValue(), t);
    }

    void watch(Variable v) { watchedVariables.add(v); }

    void reset() {
        connected.clear();
        entries.clear();
        watchedVariables.clear();
        variableReads.clear();
        known.clear();
    }

    private boolean anyConnected(List<Tensor> ts) {
        for (Tensor t : ts) if (connected.contains(t)) return true;
        return false;
    }

    /** Records an op applied outside {@link #execute} (custom gradients) if it touches watched tensors. */
    void record(OpDef op, Attrs attrs, List<Tensor> inputs, List<Tensor> outputs, GradientRule rule) {
        if (recording && anyConnected(inputs)) {
            entries.add(new Entry(op, attrs, List.copyOf(inputs), List.copyOf(outputs), rule));
            connected.addAll(outputs);
            for (Tensor t : inputs) remember(t);
            for (Tensor t : outputs) remember(t);
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
            remember(t);
        }
        if (stagingReads != null) stagingReads.add(new VariableRead(v, t));
        return t;
    }

    @Override
    public void assignVariable(Variable v, Tensor value) { below.assignVariable(v, value); }

    @Override
    public void onVariableCreated(Variable v) { below.onVariableCreated(v); }

    /**
     * Eagerly the loop runs its Java body, whose ops come through this tape and are recorded like
     * any others. While tracing, the body becomes a region whose values do not exist outside it,
     * so the staged node is recorded as one op whose inputs are its operands and the values its
     * regions capture; {@link StagedGradients} differentiates it as a graph transformation.
     */
    @Override
    public List<Tensor> whileLoop(Function<List<Tensor>, Tensor> cond, Function<List<Tensor>, List<Tensor>> body,
                                  List<Tensor> loopVars, List<Shape> shapeInvariants) {
        if (!tracing()) return below.whileLoop(cond, body, loopVars, shapeInvariants);
        return staged(() -> below.whileLoop(cond, body, loopVars, shapeInvariants));
    }

    @Override
    public List<Tensor> cond(Tensor pred, Supplier<List<Tensor>> thenBranch, Supplier<List<Tensor>> elseBranch) {
        if (!tracing()) return below.cond(pred, thenBranch, elseBranch);
        return staged(() -> below.cond(pred, thenBranch, elseBranch));
    }

    /** Stages a while/cond with recording off (its ops are region-internal), then records the node as a whole. */
    private List<Tensor> staged(Supplier<List<Tensor>> stage) {
        boolean was = setRecording(false);
        List<VariableRead> outerReads = stagingReads;
        if (was) stagingReads = new ArrayList<>();
        List<Tensor> out;
        List<VariableRead> reads = stagingReads;
        try {
            out = stage.get();
        } finally {
            setRecording(was);
            stagingReads = outerReads;
        }
        if (was && !out.isEmpty()) recordStaged(out, reads);
        return out;
    }

    /**
     * Records a staged node. Its captured values come from the tensors this tape knows; a
     * variable first read inside the regions counts as a read of that variable (watched when
     * accessed variables are), as TensorFlow watches variables read in a loop body.
     */
    private void recordStaged(List<Tensor> out, List<VariableRead> reads) {
        TraceContext trace = out.get(0).trace();
        Node node = trace.structuredNode(out.get(0).symbolicValue());
        List<Value> captures = StagedGradients.captures(node);
        Set<Value> captured = Collections.newSetFromMap(new IdentityHashMap<>());
        captured.addAll(captures);
        Map<Value, Tensor> readInside = new IdentityHashMap<>();
        for (VariableRead r : reads) {
            Value v = r.value().symbolicValue();
            if (!captured.contains(v) || readInside.containsKey(v)) continue;
            if (watchAccessedVariables && r.variable().trainable()) watchedVariables.add(r.variable());
            if (watchedVariables.contains(r.variable())) {
                variableReads.computeIfAbsent(r.variable(), k -> new ArrayList<>()).add(r.value());
                connected.add(r.value());
                readInside.put(v, r.value());
            }
        }
        List<Tensor> inputs = new ArrayList<>();
        for (Value v : node.inputs()) inputs.add(tensorFor(v, trace));
        for (Value v : captures) inputs.add(readInside.containsKey(v) ? readInside.get(v) : tensorFor(v, trace));
        if (!anyConnected(inputs)) return;
        List<Tensor> outputs = new ArrayList<>(out);
        for (int i = out.size(); i < node.outputs().size(); i++) outputs.add(tensorFor(node.outputs().get(i), trace));
        GradientRule rule = StagedGradients.rule(node, captures, connected::contains);
        entries.add(new Entry(node.op(), Attrs.EMPTY, List.copyOf(inputs), List.copyOf(outputs), rule));
        connected.addAll(outputs);
        for (Tensor t : outputs) remember(t);
    }

    private Tensor tensorFor(Value v, TraceContext trace) {
        Tensor t = known.get(v);
        return t != null ? t : new Tensor(v, trace);
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
