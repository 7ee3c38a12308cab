package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.Value;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * When the values of a function body are last read, counted in its top-level steps (the body's
 * nodes, in order), as {@link FunctionEmitter} emits them: a node fused into a consumer (or a
 * view read through by it) reads its inputs where that consumer's loop is emitted (a row group or sibling group at its last member, a matmul
 * epilogue at its matmul), and a node inside a while/cond region reads at the step of its
 * top-level ancestor. A function result is read after the last step.
 */
final class Liveness {
    private final Map<Node, Integer> steps = new IdentityHashMap<>();
    private final Map<Value, Integer> lastRead = new IdentityHashMap<>();
    private final Map<Node, Node> epilogueOf = new IdentityHashMap<>();
    private final Map<Value, Node> singleUser = new IdentityHashMap<>();
    private final FusionPlan plan;

    private Liveness(Graph g, FusionPlan plan) {
        this.plan = plan;
        List<Node> nodes = g.body().nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            steps.put(n, i);
            Node epilogue = plan.epilogue(n);
            if (epilogue != null) epilogueOf.put(epilogue, n);
            for (Value v : n.inputs()) singleUser.put(v, n); // only looked up for inlined values, which have one user
        }
        for (Node n : nodes) {
            int at = readStep(n);
            for (Value v : n.inputs()) read(v, at);
            for (Block r : n.regions()) regionReads(r, at);
        }
        for (Value v : g.results()) read(v, nodes.size());
    }

    static Liveness of(Graph g, FusionPlan plan) { return new Liveness(g, plan); }

    /** The step of a top-level node. */
    int step(Node n) { return steps.get(n); }

    /**
     * The last step that reads {@code v}, a top-level value, or -1 when none does (it is written
     * and never read); null for a value that is not top-level (inside a region).
     */
    Integer lastRead(Value v) {
        if (lastRead.containsKey(v)) return lastRead.get(v);
        Node p = plan.producer(v);
        return p == null || steps.containsKey(p) ? Integer.valueOf(-1) : null;
    }

    /** The step where a top-level node's loop, which reads its inputs, is emitted. */
    private int readStep(Node n) {
        FusionPlan.RowGroup group = plan.rowGroup(n);
        if (group != null) return steps.get(group.last());
        FusionPlan.SiblingGroup siblings = plan.siblingGroup(n);
        if (siblings != null) return steps.get(siblings.last()); // a top-level node's siblings are top-level too
        if (n.outputs().size() == 1 && (plan.isInlined(n.output()) || plan.isView(n.output()) || plan.isPieced(n.output()))) return readStep(singleUser.get(n.output()));
        Node matmul = epilogueOf.get(n);
        if (matmul != null) return steps.get(matmul);
        return steps.get(n);
    }

    private void regionReads(Block b, int at) {
        for (Node n : b.nodes()) {
            for (Value v : n.inputs()) read(v, at);
            for (Block r : n.regions()) regionReads(r, at);
        }
        for (Value v : b.results()) read(v, at);
    }

    private void read(Value v, int at) { lastRead.merge(v, at, Math::max); }
}
