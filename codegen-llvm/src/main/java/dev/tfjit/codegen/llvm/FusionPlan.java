package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.Value;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Simple loop fusion: an elementwise value with a single use, by an elementwise op or a
 * reduction in the same block whose loop runs over exactly its shape, is computed inside
 * that consumer's loop instead of being stored. Nothing is recomputed (single use), and a
 * value read with broadcasting is stored once rather than recomputed per repeat. Values that
 * leave their block (results, captures by regions) are always stored.
 */
public final class FusionPlan {
    private final Map<Value, Node> producers = new IdentityHashMap<>();
    private final Set<Value> inlined = Collections.newSetFromMap(new IdentityHashMap<>());

    private FusionPlan() {}

    public static FusionPlan of(Graph g, ConcreteTypes types) {
        FusionPlan p = new FusionPlan();
        Map<Value, Block> home = new IdentityHashMap<>();
        Map<Value, Integer> uses = new IdentityHashMap<>();
        Map<Value, Node> consumer = new IdentityHashMap<>();
        Set<Value> escapes = Collections.newSetFromMap(new IdentityHashMap<>());
        p.scan(g.body(), home, uses, consumer, escapes);
        for (Map.Entry<Value, Node> e : p.producers.entrySet()) {
            Value v = e.getKey();
            Node producer = e.getValue(), user = consumer.get(v);
            if (user == null || uses.get(v) != 1 || escapes.contains(v)) continue;
            if (!ElementwiseLowerings.isElementwise(producer.op()) || FunctionEmitter.isForwarding(producer)) continue;
            boolean fits = ElementwiseLowerings.isElementwise(user.op())
                    ? types.shape(v).equals(types.shape(user.output()))
                    : ReductionEmitter.isReduction(user.op());
            if (fits) p.inlined.add(v);
        }
        return p;
    }

    private void scan(Block b, Map<Value, Block> home, Map<Value, Integer> uses, Map<Value, Node> consumer, Set<Value> escapes) {
        for (Value v : b.params()) home.put(v, b);
        for (Node n : b.nodes()) {
            for (Value v : n.inputs()) {
                uses.merge(v, 1, Integer::sum);
                consumer.put(v, n);
                if (home.get(v) != b) escapes.add(v);
            }
            for (Block r : n.regions()) scan(r, home, uses, consumer, escapes); // a region's reads of outer values escape
            for (Value v : n.outputs()) {
                home.put(v, b);
                producers.put(v, n);
            }
        }
        escapes.addAll(b.results());
    }

    public boolean isInlined(Value v) { return inlined.contains(v); }

    /** The node defining {@code v}, or null for block parameters. */
    public Node producer(Value v) { return producers.get(v); }
}
