package dev.tfjit.autograph;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.Node;
import dev.tfjit.tracer.ConcreteFunction;
import dev.tfjit.tracer.Function;

/** Counting the staged nodes of a function's last trace. */
final class Graphs {
    private Graphs() {}

    /** Nodes named {@code op} at the top level of the last trace. */
    static long count(Function f, String op) {
        return last(f).tracedGraph().body().nodes().stream().map(Node::op).filter(o -> o.name().equals(op)).count();
    }

    /** Nodes named {@code op} anywhere in the last trace, nested regions included. */
    static long countAll(Function f, String op) { return countIn(last(f).tracedGraph().body(), op); }

    private static long countIn(Block b, String op) {
        long n = 0;
        for (Node node : b.nodes()) {
            if (node.op().name().equals(op)) n++;
            for (Block r : node.regions()) n += countIn(r, op);
        }
        return n;
    }

    static ConcreteFunction last(Function f) { return f.concreteFunctions().get(f.concreteFunctions().size() - 1); }
}
