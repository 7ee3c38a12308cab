package dev.tfjit.ir;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Builds a graph node by node, typing each node with its op's rule as it is added. Regions are
 * built by opening a nested block ({@link #beginBlock}), adding its nodes, and closing it
 * ({@link #endBlock}); the finished blocks are then passed to the structured op's node.
 */
public final class GraphBuilder {
    private final String name;
    private final Deque<Scope> scopes = new ArrayDeque<>();

    private static final class Scope {
        final List<Value> params = new ArrayList<>();
        final List<Node> nodes = new ArrayList<>();
    }

    public GraphBuilder(String name) {
        this.name = name;
        scopes.push(new Scope());
    }

    public String name() { return name; }

    /**
     * Adds a function parameter. May be called while a region is open: tracing discovers
     * captured inputs (variables) wherever they are first read.
     */
    public Value param(TensorType type, String nameHint) {
        Value v = new Value(type, SourceLocation.UNKNOWN, nameHint);
        scopes.peekLast().params.add(v);
        return v;
    }

    /** Adds a node typed by the op's rule; returns its outputs. */
    public List<Value> add(OpDef op, List<Value> inputs, Attrs attrs, List<Block> regions, SourceLocation loc) {
        List<TensorType> types = op.inferTypes(inputs.stream().map(Value::type).toList(), attrs, regions);
        return addTyped(op, inputs, attrs, regions, types, loc);
    }

    public Value add1(OpDef op, List<Value> inputs, Attrs attrs, SourceLocation loc) {
        List<Value> out = add(op, inputs, attrs, List.of(), loc);
        if (out.size() != 1) throw new IllegalStateException(op.name() + " has " + out.size() + " outputs");
        return out.get(0);
    }

    /** Adds a node whose output types are given (the parser's path; the verifier re-checks them). */
    public List<Value> addTyped(OpDef op, List<Value> inputs, Attrs attrs, List<Block> regions,
                                List<TensorType> outputTypes, SourceLocation loc) {
        List<Value> outs = new ArrayList<>(outputTypes.size());
        for (TensorType t : outputTypes) outs.add(new Value(t, loc, null));
        scopes.peek().nodes.add(new Node(op, inputs, attrs, regions, outs, loc));
        return outs;
    }

    /** Adds an already built node (used by passes that copy nodes). */
    public void addNode(Node n) { scopes.peek().nodes.add(n); }

    /** Opens a region; returns its parameters. */
    public List<Value> beginBlock(List<TensorType> paramTypes, List<String> nameHints) {
        Scope s = new Scope();
        for (int i = 0; i < paramTypes.size(); i++) {
            s.params.add(new Value(paramTypes.get(i), SourceLocation.UNKNOWN, nameHints == null ? null : nameHints.get(i)));
        }
        scopes.push(s);
        return List.copyOf(s.params);
    }

    public List<Value> beginBlock(List<TensorType> paramTypes) { return beginBlock(paramTypes, null); }

    /** Closes the innermost region, yielding {@code results}. */
    public Block endBlock(List<Value> results) {
        if (scopes.size() < 2) throw new IllegalStateException("no open region");
        Scope s = scopes.pop();
        return new Block(s.params, s.nodes, results);
    }

    /** How deeply regions are nested at the insertion point (0 = function body). */
    public int depth() { return scopes.size() - 1; }

    public Graph build(List<Value> results) {
        if (scopes.size() != 1) throw new IllegalStateException(scopes.size() - 1 + " regions are still open");
        Scope s = scopes.peek();
        return new Graph(name, new Block(s.params, s.nodes, results));
    }
}
