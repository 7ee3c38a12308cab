package dev.tfjit.passes;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.ControlFlowOps;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Removes nodes whose outputs nothing needs. Needed are: the function's results, every
 * side-effecting node (kept in order) and whatever any of those use, through regions too.
 *
 * <p>Structured ops shrink as well: a {@code cond} output nobody uses is dropped from both
 * branches, and so is an operand neither branch reads; a {@code while} loop variable is dropped
 * only when its final value is unused <em>and</em> nothing that stays (the condition, the body's
 * other needed values, side effects) reads it, found by iterating to a fixed point, since a
 * variable can feed another across iterations.
 */
public final class DeadCodeElimination implements Pass {
    @Override
    public String name() { return "dce"; }

    @Override
    public Graph run(Graph graph) {
        Pruner p = new Pruner();
        Block body = p.prune(graph.body(), graph.body().results());
        return p.changed ? new Graph(graph.name(), body) : graph;
    }

    /** True when {@code n} or anything in its regions has a side effect. */
    static boolean hasEffects(Node n) {
        if (n.op().effect() == OpDef.Effect.SIDE_EFFECT) return true;
        for (Block r : n.regions()) for (Node m : r.nodes()) if (hasEffects(m)) return true;
        return false;
    }

    private static Set<Value> identitySet() { return Collections.newSetFromMap(new IdentityHashMap<>()); }

    /**
     * Adds to {@code live} every value that computing {@code results} of {@code b} and its
     * effects uses. Nested regions count as needing all their results: an over-approximation,
     * which is the safe direction for deciding what a loop may drop.
     */
    private static void markLive(Block b, List<Value> results, Set<Value> live) {
        live.addAll(results);
        List<Node> nodes = b.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            if (!hasEffects(n) && Collections.disjoint(live, n.outputs())) continue;
            live.addAll(n.inputs());
            for (Block r : n.regions()) markLive(r, r.results(), live);
        }
    }

    private static final class Pruner {
        private final Set<Value> live = identitySet();
        boolean changed;

        /** {@code b} reduced to what {@code results} (a subset of its results) and its effects need. */
        Block prune(Block b, List<Value> results) {
            live.addAll(results);
            List<Node> nodes = b.nodes();
            List<Node> kept = new ArrayList<>(nodes.size());
            for (int i = nodes.size() - 1; i >= 0; i--) {
                Node n = nodes.get(i);
                if (!hasEffects(n) && Collections.disjoint(live, n.outputs())) {
                    changed = true;
                    continue;
                }
                Node k = n.op() == ControlFlowOps.WHILE ? pruneWhile(n)
                        : n.op() == ControlFlowOps.COND ? pruneCond(n)
                        : pruneRegions(n);
                live.addAll(k.inputs());
                kept.add(k);
            }
            Collections.reverse(kept);
            if (results.size() != b.results().size()) changed = true;
            return new Block(b.params(), kept, results);
        }

        private Node pruneRegions(Node n) {
            if (n.regions().isEmpty()) return n;
            List<Block> regions = new ArrayList<>();
            for (Block r : n.regions()) regions.add(prune(r, r.results()));
            return new Node(n.op(), n.inputs(), n.attrs(), regions, n.outputs(), n.location());
        }

        private Node pruneCond(Node n) {
            Block thenB = n.regions().get(0), elseB = n.regions().get(1);
            List<Integer> outs = indicesWhere(n.outputs().size(), i -> live.contains(n.outputs().get(i)));
            Block t = prune(thenB, pick(thenB.results(), outs));
            Block e = prune(elseB, pick(elseB.results(), outs));
            List<Integer> operands = indicesWhere(thenB.params().size(),
                    i -> live.contains(thenB.params().get(i)) || live.contains(elseB.params().get(i)));
            if (operands.size() != thenB.params().size()) changed = true;
            List<Value> inputs = new ArrayList<>();
            inputs.add(n.inputs().get(0));
            inputs.addAll(pick(n.inputs().subList(1, n.inputs().size()), operands));
            return new Node(n.op(), inputs, n.attrs(),
                    List.of(new Block(pick(t.params(), operands), t.nodes(), t.results()),
                            new Block(pick(e.params(), operands), e.nodes(), e.results())),
                    pick(n.outputs(), outs), n.location());
        }

        private Node pruneWhile(Node n) {
            Block cond = n.regions().get(0), body = n.regions().get(1);
            int count = n.outputs().size();
            boolean[] needed = new boolean[count];
            for (int i = 0; i < count; i++) needed[i] = live.contains(n.outputs().get(i));
            for (boolean grew = true; grew; ) {
                Set<Value> uses = identitySet();
                markLive(cond, cond.results(), uses);
                markLive(body, pick(body.results(), indicesWhere(count, i -> needed[i])), uses);
                grew = false;
                for (int i = 0; i < count; i++) {
                    if (!needed[i] && (uses.contains(cond.params().get(i)) || uses.contains(body.params().get(i)))) {
                        needed[i] = true;
                        grew = true;
                    }
                }
            }
            List<Integer> vars = indicesWhere(count, i -> needed[i]);
            if (vars.size() != count) changed = true;
            Block c = prune(cond, cond.results());
            Block b = prune(body, pick(body.results(), vars));
            return new Node(n.op(), pick(n.inputs(), vars), n.attrs(),
                    List.of(new Block(pick(c.params(), vars), c.nodes(), c.results()),
                            new Block(pick(b.params(), vars), b.nodes(), b.results())),
                    pick(n.outputs(), vars), n.location());
        }

        private static List<Integer> indicesWhere(int n, java.util.function.IntPredicate p) {
            List<Integer> r = new ArrayList<>();
            for (int i = 0; i < n; i++) if (p.test(i)) r.add(i);
            return r;
        }

        private static <T> List<T> pick(List<T> xs, List<Integer> indices) {
            List<T> r = new ArrayList<>(indices.size());
            for (int i : indices) r.add(xs.get(i));
            return r;
        }
    }
}
