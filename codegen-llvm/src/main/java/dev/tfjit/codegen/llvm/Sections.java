package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.CreationOps;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a function's body is cut into sections ({@link FunctionEmitter}), modules that LLVM
 * optimizes and compiles on several cores at once: at top-level steps, into parts of about
 * equal estimated work. The work of a node counts at the step whose kernel writes its code: a
 * fused producer's in its consumer's loop, a row group's or sibling group's at its last member.
 */
final class Sections {
    /**
     * The least estimated work of a section: below it, the fixed cost of one more module (its
     * pass pipeline and code generator setup, about a millisecond) outweighs the share of
     * optimizing and compiling it takes off the other modules.
     */
    static final long MIN_WORK = 16;

    private Sections() {}

    /** The steps at which sections 1, 2, ... begin (empty for one section), for at most {@code maxSections}. */
    static List<Integer> starts(List<Node> nodes, FusionPlan plan, int maxSections) {
        long[] work = workByStep(nodes, plan);
        long total = 0;
        for (long w : work) total += w;
        int sections = (int) Math.min(maxSections, total / MIN_WORK);
        List<Integer> starts = new ArrayList<>();
        long done = 0;
        for (int i = 0; i < work.length - 1 && starts.size() < sections - 1; i++) {
            done += work[i];
            if (done * sections >= total * (starts.size() + 1)) starts.add(i + 1);
        }
        return starts;
    }

    /** Each step's estimated work: the nodes whose code its kernel writes. */
    static long[] workByStep(List<Node> nodes, FusionPlan plan) {
        Map<Node, Integer> index = new IdentityHashMap<>();
        for (int i = 0; i < nodes.size(); i++) index.put(nodes.get(i), i);
        Map<Value, Integer> firstReader = new IdentityHashMap<>();
        for (int i = 0; i < nodes.size(); i++) readBy(nodes.get(i), i, firstReader);
        int[] at = new int[nodes.size()];
        for (int i = nodes.size() - 1; i >= 0; i--) { // a fused producer's reader comes later and is placed first
            Node n = nodes.get(i);
            at[i] = i;
            FusionPlan.RowGroup group = plan.rowGroup(n);
            FusionPlan.SiblingGroup siblings = plan.siblingGroup(n);
            if (group != null) at[i] = index.get(group.last());
            else if (siblings != null) at[i] = index.get(siblings.last());
            else if (n.outputs().size() == 1 && (plan.isInlined(n.output()) || plan.isPieced(n.output()) || plan.isView(n.output()))) {
                Integer reader = firstReader.get(n.output());
                if (reader != null) at[i] = at[reader];
            }
        }
        long[] work = new long[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) work[at[i]] += work(nodes.get(i));
        return work;
    }

    /** Records step {@code i} as the first reader of each value {@code n} (or a node in its regions) reads. */
    private static void readBy(Node n, int i, Map<Value, Integer> firstReader) {
        for (Value v : n.inputs()) firstReader.putIfAbsent(v, i);
        for (Block r : n.regions()) for (Node m : r.nodes()) readBy(m, i, firstReader);
    }

    /**
     * A rough measure of the code a node makes LLVM optimize: one per op, eight per expensive op
     * (their inline math is long), and its regions' nodes.
     */
    private static long work(Node n) {
        if (n.op() == CreationOps.CONSTANT) return 0;
        long w = ParallelLoop.cost(n.op());
        for (Block r : n.regions()) for (Node m : r.nodes()) w += work(m);
        return w;
    }
}
