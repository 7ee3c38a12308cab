package dev.tfjit.codegen.ptx;

import dev.tfjit.codegen.llvm.ConcreteTypes;
import dev.tfjit.codegen.llvm.ElementwiseLowerings;
import dev.tfjit.codegen.llvm.FunctionEmitter;
import dev.tfjit.codegen.llvm.FusionPlan;
import dev.tfjit.ir.Block;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.Value;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the GPU fuses: the CPU backend's {@link FusionPlan} (elementwise producers computed in
 * their consumer's loop, so prologues of reductions included), plus epilogues of heroes, as XLA
 * fuses them: a reduction's or matmul's output whose only use is an elementwise op over the
 * same shape is not stored; that op (and, in turn, its own single elementwise user of the same
 * shape) runs on the hero's result in registers, just before the hero kernel's store. The
 * kernel is then emitted where the last op of the chain was, so every other value the chain
 * reads has been computed by then.
 */
final class GpuFusion {
    final FusionPlan plan;
    /** The epilogue ops of each hero, in order. */
    private final Map<Node, List<Node>> epilogues = new IdentityHashMap<>();
    /** Each epilogue op's hero. */
    private final Map<Node, Node> heroOf = new IdentityHashMap<>();

    private GpuFusion(FusionPlan plan) { this.plan = plan; }

    static GpuFusion of(Graph g, ConcreteTypes types, boolean fuseEpilogues) {
        GpuFusion p = new GpuFusion(FusionPlan.of(g, types));
        if (!fuseEpilogues) return p;
        Map<Value, Integer> uses = new IdentityHashMap<>();
        Map<Value, Node> user = new IdentityHashMap<>();
        Map<Node, Block> blockOf = new IdentityHashMap<>();
        Set<Value> pinned = Collections.newSetFromMap(new IdentityHashMap<>()); // every block's results
        scan(g.body(), uses, user, blockOf, pinned);
        for (Map.Entry<Node, Block> entry : blockOf.entrySet()) {
            Node n = entry.getKey();
            if (!isHero(n)) continue;
            List<Node> chain = new ArrayList<>();
            Value v = n.output();
            // Links after the first are inlined by FusionPlan (single use, elementwise, same shape, same
            // block), so evaluating the last link's value in registers computes the whole chain.
            while (!pinned.contains(v) && uses.getOrDefault(v, 0) == 1) {
                Node e = user.get(v);
                if (blockOf.get(e) != entry.getValue() || !ElementwiseLowerings.isElementwise(e.op()) || FunctionEmitter.isForwarding(e)
                        || e.outputs().size() != 1 || !types.shape(e.output()).equals(types.shape(v))) {
                    break;
                }
                chain.add(e);
                v = e.output();
            }
            // The chain's result is stored; a tail that FusionPlan computes inside another consumer (a
            // reduction's prologue) would need the hero's result in memory, so it stays out.
            while (!chain.isEmpty() && p.plan.isInlined(chain.getLast().output())) chain.removeLast();
            for (Node e : chain) p.heroOf.put(e, n);
            if (!chain.isEmpty()) p.epilogues.put(n, chain);
        }
        return p;
    }

    /** Uses of each value by nodes anywhere (regions of loops and branches included), its last user, and each node's block. */
    private static void scan(Block b, Map<Value, Integer> uses, Map<Value, Node> user, Map<Node, Block> blockOf, Set<Value> pinned) {
        for (Node n : b.nodes()) {
            blockOf.put(n, b);
            for (Value v : n.inputs()) {
                uses.merge(v, 1, Integer::sum);
                user.put(v, n);
            }
            for (Block r : n.regions()) scan(r, uses, user, blockOf, pinned);
        }
        pinned.addAll(b.results()); // a region yielding an outer value reads it without a node
    }

    static boolean isHero(Node n) { return ReductionKernels.lowers(n.op()) || MatMulKernel.lowers(n.op()); }

    /** The epilogue of {@code hero} (empty when its result is stored as it is). */
    List<Node> epilogue(Node hero) { return epilogues.getOrDefault(hero, List.of()); }

    /** The hero whose kernel computes {@code n}, or null. */
    Node heroOf(Node n) { return heroOf.get(n); }

    /** Whether {@code n}'s kernel is emitted later, at the end of its epilogue. */
    boolean isDeferred(Node hero) { return epilogues.containsKey(hero); }
}
