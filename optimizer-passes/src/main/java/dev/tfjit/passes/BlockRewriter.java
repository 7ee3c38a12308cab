package dev.tfjit.passes;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.Value;

import java.util.ArrayList;
import java.util.List;

/**
 * The walk shared by the forward passes: visits every node of a graph in order, regions
 * included, lets the pass emit replacement nodes, and rebuilds only what changed. One instance
 * rewrites one graph.
 */
abstract class BlockRewriter {
    protected final ValueMap values = new ValueMap();
    private boolean changed;

    /** Emits what replaces {@code n} (often {@link #rebuilt} of it) into {@code out}. */
    protected abstract void visit(Node n, List<Node> out);

    /** Called before the nodes of a block (the function body or a region) are visited. */
    protected void enterBlock(Block b) {}

    protected void exitBlock(Block b) {}

    protected final void markChanged() { changed = true; }

    /** Makes every later use of {@code old} use {@code with} (same type). */
    protected final void replace(Value old, Value with) {
        values.replace(old, with);
        markChanged();
    }

    final Graph rewrite(Graph g) {
        Block body = block(g.body());
        return changed ? new Graph(g.name(), body) : g;
    }

    /** The block with every node visited and its results resolved. */
    protected final Block block(Block b) {
        enterBlock(b);
        List<Node> out = new ArrayList<>(b.nodes().size());
        for (Node n : b.nodes()) visit(n, out);
        exitBlock(b);
        return new Block(b.params(), out, values.resolve(b.results()));
    }

    /** {@code n} with its inputs resolved and its regions rewritten. */
    protected final Node rebuilt(Node n) {
        List<Block> regions = new ArrayList<>(n.regions().size());
        for (Block r : n.regions()) regions.add(block(r));
        return values.rebuild(n, regions);
    }

    /**
     * Emits the nodes of {@code region} into the current block in place of a node whose outputs
     * are {@code outputs}, binding the region's params to {@code args}. The caller has checked
     * that the types agree exactly.
     */
    protected final void inline(Block region, List<Value> args, List<Value> outputs, List<Node> out) {
        for (int i = 0; i < args.size(); i++) replace(region.params().get(i), values.resolve(args.get(i)));
        for (Node n : region.nodes()) visit(n, out);
        for (int i = 0; i < outputs.size(); i++) replace(outputs.get(i), values.resolve(region.results().get(i)));
        markChanged();
    }
}
