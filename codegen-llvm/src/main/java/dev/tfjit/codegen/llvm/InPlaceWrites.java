package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.ControlFlowOps;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * When a TensorArray write may update its input's memory instead of copying it: the input is
 * never read again. A write in a loop that copied its whole array would make the loop quadratic;
 * in place, a push costs its element (amortized growth included).
 *
 * <p>"Never read again" is judged in the writer's block: no later node of the block (nor any
 * region nested in one) uses the value and the block does not yield it. Where the value lives
 * decides the rest: a node output of the block has memory of its own; a while body's parameter
 * is the loop's carried memory, which the body may update; a cond branch's parameter is the
 * cond's operand, so that operand must in turn be dead after the cond in its own block.
 * Captured values, a while condition's parameters and the function's arguments are never
 * updated.
 */
final class InPlaceWrites {
    /** Where each block's values are last used: the index of the last node using them, the node count for results. */
    private final Map<Block, Map<Value, Integer>> lastUse = new IdentityHashMap<>();
    private final Map<Node, Block> blockOf = new IdentityHashMap<>();
    private final Map<Node, Integer> indexOf = new IdentityHashMap<>();
    /** The while or cond node owning each region. */
    private final Map<Block, Node> owner = new IdentityHashMap<>();

    InPlaceWrites(Graph g) { scan(g.body()); }

    private void scan(Block b) {
        Map<Value, Integer> last = new IdentityHashMap<>();
        for (int k = 0; k < b.nodes().size(); k++) {
            Node n = b.nodes().get(k);
            blockOf.put(n, b);
            indexOf.put(n, k);
            int at = k;
            for (Value v : n.inputs()) last.put(v, at);
            for (Block r : n.regions()) {
                owner.put(r, n);
                scan(r);
                markUses(r, last, at);
            }
        }
        for (Value v : b.results()) last.put(v, b.nodes().size());
        lastUse.put(b, last);
    }

    /** Every value region {@code r} reads (at any depth) counts as used at {@code at}. */
    private static void markUses(Block r, Map<Value, Integer> last, int at) {
        for (Node n : r.nodes()) {
            for (Value v : n.inputs()) last.put(v, at);
            for (Block inner : n.regions()) markUses(inner, last, at);
        }
        for (Value v : r.results()) last.put(v, at);
    }

    /** Whether {@code n} may overwrite the memory of its input {@code v}. */
    boolean mayUpdate(Node n, Value v) {
        Block b = blockOf.get(n);
        int k = indexOf.get(n);
        if (lastUse.get(b).getOrDefault(v, -1) > k) return false;
        for (Node m : b.nodes()) if (m.outputs().contains(v)) return true;
        int param = b.params().indexOf(v);
        Node o = owner.get(b);
        if (param < 0 || o == null) return false; // captured from outside, or a function argument
        if (o.op() == ControlFlowOps.WHILE) return o.regions().get(1) == b;
        return o.op() == ControlFlowOps.COND && mayUpdate(o, o.inputs().get(1 + param));
    }
}
