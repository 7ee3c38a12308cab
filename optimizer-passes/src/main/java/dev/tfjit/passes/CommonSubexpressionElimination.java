package dev.tfjit.passes;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Block;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.Value;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges pure nodes that compute the same thing: same op, same (already merged) inputs, equal
 * attributes. Constants with equal values merge because their value is an attribute compared by
 * content, bit for bit (so {@code 0.0} and {@code -0.0} stay apart). A node inside a region may
 * reuse an equal node of an enclosing block; nodes of sibling regions never see each other.
 * Structured ops are not merged: their regions would have to be compared too.
 */
public final class CommonSubexpressionElimination implements Pass {
    @Override
    public String name() { return "cse"; }

    @Override
    public Graph run(Graph graph) { return new Merger().rewrite(graph); }

    /** What makes two nodes interchangeable; inputs compare by identity (Value has identity equality). */
    private record Key(OpDef op, List<Value> inputs, Attrs attrs, List<TensorType> outputTypes) {}

    private static final class Merger extends BlockRewriter {
        /** One table per open block, innermost first. */
        private final Deque<Map<Key, Node>> scopes = new ArrayDeque<>();

        @Override
        protected void enterBlock(Block b) { scopes.push(new HashMap<>()); }

        @Override
        protected void exitBlock(Block b) { scopes.pop(); }

        @Override
        protected void visit(Node original, List<Node> out) {
            Node n = rebuilt(original);
            if (!n.op().isPure() || !n.regions().isEmpty() || n.outputs().isEmpty()) {
                out.add(n);
                return;
            }
            Key key = new Key(n.op(), n.inputs(), n.attrs(), n.outputs().stream().map(Value::type).toList());
            Node earlier = lookup(key);
            if (earlier == null) {
                scopes.peek().put(key, n);
                out.add(n);
                return;
            }
            for (int i = 0; i < n.outputs().size(); i++) replace(n.outputs().get(i), earlier.outputs().get(i));
        }

        private Node lookup(Key key) {
            for (Map<Key, Node> scope : scopes) {
                Node n = scope.get(key);
                if (n != null) return n;
            }
            return null;
        }
    }
}
