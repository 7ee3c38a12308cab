package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.kernels.random.RandomStream;

import java.util.ArrayList;
import java.util.List;

/**
 * The random nodes of a graph, numbered in program order (a pre-order walk, regions included):
 * the entry point of a compiled function takes one generator state per site
 * ({@link dev.tfjit.ir.kernels.random.PhiloxState}) in its argument array, after the tensor
 * arguments, and {@link RandomEmitter} reads site i's from slot {@code params + i}. The same
 * graph gives the same numbering to the code that emits and the code that calls.
 */
final class RandomSites {
    private RandomSites() {}

    static List<Node> of(Graph g) {
        List<Node> out = new ArrayList<>();
        walk(g.body(), out);
        return out;
    }

    private static void walk(Block b, List<Node> out) {
        for (Node n : b.nodes()) {
            if (n.op().effect() == OpDef.Effect.RANDOM) out.add(n);
            for (Block r : n.regions()) walk(r, out);
        }
    }

    /** The stream each site draws from, in site order. */
    static List<RandomStream> streams(Graph g) { return of(g).stream().map(RandomStream::of).toList(); }

    /** Where in the entry's argument array the state of {@code n}'s stream is passed. */
    static int argumentIndex(Graph g, Node n) {
        List<Node> sites = of(g);
        for (int i = 0; i < sites.size(); i++) if (sites.get(i) == n) return g.params().size() + i;
        throw new IllegalStateException(n.op().name() + " is not a random node of @" + g.name());
    }
}
