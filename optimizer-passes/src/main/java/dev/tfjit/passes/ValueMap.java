package dev.tfjit.passes;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.Value;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replacements of values by other values while a pass rebuilds a graph. Values are identities,
 * so one map serves a block and every region inside it (regions may use enclosing values).
 */
final class ValueMap {
    private final Map<Value, Value> replacements = new IdentityHashMap<>();

    void replace(Value old, Value with) {
        if (old == with) return;
        if (!old.type().equals(with.type())) {
            throw new IllegalStateException("a pass replaced " + old.type() + " by " + with.type()
                    + "; replacements must keep the type so the graph's signature and users stay valid");
        }
        replacements.put(old, with);
    }

    /** Follows replacement chains (a replaced value may itself have been replaced). */
    Value resolve(Value v) {
        Value r = v;
        for (Value next; (next = replacements.get(r)) != null; ) r = next;
        return r;
    }

    List<Value> resolve(List<Value> vs) {
        List<Value> out = new ArrayList<>(vs.size());
        for (Value v : vs) out.add(resolve(v));
        return out;
    }

    boolean isEmpty() { return replacements.isEmpty(); }

    /** The node with resolved inputs and the given regions; the same node when nothing changed. */
    Node rebuild(Node n, List<Block> regions) {
        List<Value> inputs = resolve(n.inputs());
        if (inputs.equals(n.inputs()) && sameElements(regions, n.regions())) return n;
        return new Node(n.op(), inputs, n.attrs(), regions, n.outputs(), n.location());
    }

    private static <T> boolean sameElements(List<T> a, List<T> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) if (a.get(i) != b.get(i)) return false;
        return true;
    }
}
