package dev.tfjit.tracer;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Block;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.GraphBuilder;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.SourceLocation;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.CreationOps;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Records ops as graph nodes while a {@link dev.tfjit.tracer.Function} is traced. Tensors made
 * here are symbolic: a type and the graph value that will compute them.
 *
 * <p>Eager tensors used in the trace become constants. Variables are functionalized: the first
 * read of a variable adds a function parameter that receives its value at call time, and the
 * last value assigned to it becomes an extra result written back after the call. Inside
 * {@code while}/{@code cond} regions, variables assigned there are threaded through the region
 * as extra loop values or branch results, so the graph itself stays pure.
 */
final class TraceContext implements ExecutionContext {
    /** Numbers the random nodes of all traces: each owns its generator, as each TF graph kernel does. */
    private static final AtomicLong RANDOM_STREAMS = new AtomicLong();

    private final GraphBuilder builder;
    private final boolean mayCreateVariables;
    private final Deque<Scope> scopes = new ArrayDeque<>(); // innermost first
    private final Map<Variable, Value> captured = new LinkedHashMap<>();
    private final Map<Value, Producer> producers = new IdentityHashMap<>();
    private final Map<Value, Node> structured = new IdentityHashMap<>();
    private int opCount; // nodes added so far, in all blocks: AutoGraph's unrolled-loop warning reads it

    /** The values, constants and variable states of one block being traced. */
    private static final class Scope {
        final Set<Value> defined = Collections.newSetFromMap(new IdentityHashMap<>());
        final Map<Buffer, Value> constants = new IdentityHashMap<>();
        final Map<Variable, Value> variables = new LinkedHashMap<>();
        final Set<Variable> assigned = new LinkedHashSet<>();
    }

    /** How a traced value was computed, so a variable's initial value can be evaluated at trace time. */
    private record Producer(OpDef op, List<Value> inputs, Attrs attrs, int index) {}

    /** A traced region and the variables it assigned. */
    record Region(Block block, Set<Variable> assigned) {}

    TraceContext(String functionName, boolean mayCreateVariables) {
        this.builder = new GraphBuilder(functionName);
        this.mayCreateVariables = mayCreateVariables;
        scopes.push(new Scope());
    }

    GraphBuilder builder() { return builder; }

    /** How many ops this trace has recorded so far, nested regions included. */
    int opCount() { return opCount; }

    /** The op and inputs that computed a symbolic value of this trace, or null for a parameter. */
    OpDef producerOp(Value v) {
        Producer p = producers.get(v);
        return p == null ? null : p.op();
    }

    List<Value> producerInputs(Value v) {
        Producer p = producers.get(v);
        return p == null ? List.of() : p.inputs();
    }

    Attrs producerAttrs(Value v) {
        Producer p = producers.get(v);
        return p == null ? Attrs.EMPTY : p.attrs();
    }

    /** Adds a function parameter and returns the symbolic tensor standing for it. */
    Tensor parameter(TensorType type, String name) {
        Value v = builder.param(type, name);
        scopes.getLast().defined.add(v);
        return new Tensor(v, this);
    }

    /** Variables read by the trace, in the order their parameters were added. */
    Map<Variable, Value> capturedVariables() { return Collections.unmodifiableMap(captured); }

    /** Variables assigned at the top level, with their final values: extra results of the function. */
    Map<Variable, Value> variableWrites() {
        Scope top = scopes.getLast();
        Map<Variable, Value> w = new LinkedHashMap<>();
        for (Variable v : top.assigned) w.put(v, top.variables.get(v));
        return w;
    }

    Value valueOf(Tensor t) {
        if (!t.isSymbolic()) return constant(t.buffer());
        if (t.trace() != this) {
            throw new TfException("a symbolic tensor from another trace was used here. Symbolic tensors live only while their "
                    + "function is traced: do not keep them in fields or pass them between functions (at " + SourceLocation.ofCaller() + ")");
        }
        Value v = t.symbolicValue();
        for (Scope s : scopes) if (s.defined.contains(v)) return v;
        throw new TfException("a tensor computed inside a Tf.whileLoop body or Tf.cond branch was used outside it; "
                + "return it from the body or branch instead (at " + SourceLocation.ofCaller() + ")");
    }

    private Value constant(Buffer b) {
        for (Scope s : scopes) {
            Value v = s.constants.get(b);
            if (v != null) return v;
        }
        Value v = builder.add1(CreationOps.CONSTANT, List.of(), Attrs.of("value", b), SourceLocation.UNKNOWN);
        opCount++;
        Scope s = scopes.peek();
        s.constants.put(b, v);
        s.defined.add(v);
        producers.put(v, new Producer(CreationOps.CONSTANT, List.of(), Attrs.of("value", b), 0));
        return v;
    }

    @Override
    public List<Tensor> execute(OpDef op, Attrs attrs, List<Tensor> inputs) {
        SourceLocation loc = SourceLocation.ofCaller();
        if (op.effect() == OpDef.Effect.RANDOM) attrs = attrs.with("stream", RANDOM_STREAMS.incrementAndGet());
        List<Value> in = new ArrayList<>(inputs.size());
        for (Tensor t : inputs) in.add(valueOf(t));
        List<Value> out;
        try {
            out = builder.add(op, in, attrs, List.of(), loc);
        } catch (TfException e) {
            throw e.in(op.name(), loc);
        }
        opCount++;
        return wrap(op, in, attrs, out);
    }

    private List<Tensor> wrap(OpDef op, List<Value> in, Attrs attrs, List<Value> out) {
        List<Tensor> result = new ArrayList<>(out.size());
        Scope s = scopes.peek();
        for (int i = 0; i < out.size(); i++) {
            Value v = out.get(i);
            s.defined.add(v);
            producers.put(v, new Producer(op, in, attrs, i));
            result.add(new Tensor(v, this));
        }
        return result;
    }

    // ------------------------------------------------------------ variables

    @Override
    public Tensor readVariable(Variable v) {
        for (Scope s : scopes) {
            Value val = s.variables.get(v);
            if (val != null) return new Tensor(val, this);
        }
        Value p = builder.param(new TensorType(v.dtype(), v.shape()), v.name());
        Scope top = scopes.getLast();
        top.defined.add(p);
        top.variables.put(v, p);
        captured.put(v, p);
        return new Tensor(p, this);
    }

    @Override
    public void assignVariable(Variable v, Tensor value) {
        Value val = valueOf(value);
        Scope s = scopes.peek();
        s.variables.put(v, val);
        s.assigned.add(v);
    }

    /** Makes reads of {@code v} in the current region see {@code t} (a region parameter). */
    void bindVariable(Variable v, Tensor t) { scopes.peek().variables.put(v, valueOf(t)); }

    @Override
    public void onVariableCreated(Variable v) {
        if (!mayCreateVariables) {
            throw new TfException("a Function may create variables only on its first trace, but this trace created '"
                    + v.name() + "' (at " + SourceLocation.ofCaller() + "). Create variables outside the function, or create them "
                    + "once: keep them in a field and create them only when the field is null");
        }
    }

    /**
     * Computes a traced value that depends on no arguments (a variable's initial value), as
     * TensorFlow lifts variable initializers out of the function.
     */
    Buffer evaluateWithoutArguments(Tensor t, String what) {
        return evaluate(valueOf(t), new IdentityHashMap<>(), what);
    }

    private Buffer evaluate(Value v, Map<Value, Buffer> memo, String what) {
        Buffer known = memo.get(v);
        if (known != null) return known;
        Producer p = producers.get(v);
        if (p == null) {
            throw new TfException(what + " depends on the function's arguments or loop values, so it cannot be computed "
                    + "while the function is traced (at " + SourceLocation.ofCaller() + "). Compute it from constants, or outside the function");
        }
        List<Buffer> in = new ArrayList<>();
        for (Value i : p.inputs()) in.add(evaluate(i, memo, what));
        Buffer b = p.op().evaluate(in, p.attrs()).get(p.index());
        memo.put(v, b);
        return b;
    }

    // ------------------------------------------------------------ regions and control flow

    /** Traces {@code body} as a region whose parameters have the given types. */
    Region region(List<TensorType> paramTypes, Function<List<Tensor>, List<Tensor>> body) {
        List<Value> params = builder.beginBlock(paramTypes);
        Scope s = new Scope();
        s.defined.addAll(params);
        scopes.push(s);
        List<Value> results = new ArrayList<>();
        try {
            List<Tensor> args = new ArrayList<>(params.size());
            for (Value p : params) args.add(new Tensor(p, this));
            for (Tensor r : body.apply(args)) results.add(valueOf(r));
        } catch (RuntimeException | Error e) {
            // Close the half-built block so that a caller who catches this (AutoGraph retries a
            // branch with placeholders) keeps tracing into the right block.
            builder.endBlock(List.of());
            throw e;
        } finally {
            scopes.pop();
        }
        return new Region(builder.endBlock(results), s.assigned);
    }

    @Override
    public List<Tensor> whileLoop(Function<List<Tensor>, Tensor> cond, Function<List<Tensor>, List<Tensor>> body,
                                  List<Tensor> loopVars, List<Shape> shapeInvariants) {
        return new StagedControlFlow(this).whileLoop(cond, body, loopVars, shapeInvariants);
    }

    @Override
    public List<Tensor> cond(Tensor pred, Supplier<List<Tensor>> thenBranch,
                             Supplier<List<Tensor>> elseBranch) {
        return new StagedControlFlow(this).cond(pred, thenBranch, elseBranch);
    }

    /** Adds a structured node (while/cond) in the current block. */
    List<Tensor> addStructured(OpDef op, List<Value> inputs, List<Block> regions, SourceLocation loc) {
        Node node;
        try {
            List<TensorType> types = op.inferTypes(inputs.stream().map(Value::type).toList(), Attrs.EMPTY, regions);
            List<Value> outs = new ArrayList<>(types.size());
            for (TensorType t : types) outs.add(new Value(t, loc, null));
            node = new Node(op, inputs, Attrs.EMPTY, regions, outs, loc);
        } catch (TfException e) {
            throw e.in(op.name(), loc);
        }
        builder.addNode(node);
        opCount++;
        List<Tensor> result = new ArrayList<>(node.outputs().size());
        for (Value v : node.outputs()) {
            scopes.peek().defined.add(v);
            structured.put(v, node);
            result.add(new Tensor(v, this));
        }
        return result;
    }

    /** The while/cond node that defines {@code output} (a tape differentiates it as a whole). */
    Node structuredNode(Value output) {
        Node n = structured.get(output);
        if (n == null) throw new IllegalStateException(output + " is not the output of a staged while/cond");
        return n;
    }
}
