package dev.tfjit.passes;

import dev.tfjit.ir.Graph;

/**
 * One graph-to-graph transformation. Graphs are immutable, so a pass returns a new graph (or the
 * same one when it finds nothing to do); it must preserve the results of every input.
 */
public interface Pass {
    /** Short name used in dumps and messages, e.g. {@code dce}. */
    String name();

    Graph run(Graph graph);
}
