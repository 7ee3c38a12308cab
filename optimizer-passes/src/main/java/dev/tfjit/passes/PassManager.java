package dev.tfjit.passes;

import dev.tfjit.ir.Graph;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Runs a pipeline of passes over and over until a whole round changes nothing (a fixed point),
 * or until {@link #maxRounds} rounds have run, since a pass pair that undid each other's work
 * would otherwise loop forever. Every pass preserves results, so stopping early is safe.
 *
 * <p>With a dump directory ({@code -Dtfjit.dump=DIR} or {@link #withDumps}) the IR is written
 * after each pass; with a verifier ({@link #withVerifier}) each pass's output is checked, so a
 * broken pass is caught where it broke the graph.
 */
public final class PassManager {
    public static final int DEFAULT_MAX_ROUNDS = 16;

    /** Checks a graph between passes; throws to report a broken graph. */
    @FunctionalInterface
    public interface Verifier {
        void verify(Graph graph);
    }

    /** The outcome of a run: the graph, how many rounds ran, and whether a fixed point was reached. */
    public record Result(Graph graph, int rounds, boolean converged) {}

    private final List<Pass> passes;
    private final int maxRounds;
    private final Verifier verifier; // may be null
    private final Path dumpDir;      // may be null: then -Dtfjit.dump decides

    private PassManager(List<Pass> passes, int maxRounds, Verifier verifier, Path dumpDir) {
        this.passes = List.copyOf(passes);
        if (maxRounds < 1) throw new IllegalArgumentException("maxRounds must be >= 1, got " + maxRounds);
        this.maxRounds = maxRounds;
        this.verifier = verifier;
        this.dumpDir = dumpDir;
    }

    public static PassManager of(List<Pass> passes) { return new PassManager(passes, DEFAULT_MAX_ROUNDS, null, null); }

    /** The standard simplification pipeline: simplify, fold, CSE, DCE. */
    public static PassManager simplification() {
        return of(List.of(new AlgebraicSimplifier(), new ConstantFolding(), new CommonSubexpressionElimination(),
                new DeadCodeElimination()));
    }

    public PassManager withMaxRounds(int rounds) { return new PassManager(passes, rounds, verifier, dumpDir); }

    public PassManager withVerifier(Verifier v) { return new PassManager(passes, maxRounds, Objects.requireNonNull(v), dumpDir); }

    public PassManager withDumps(Path dir) { return new PassManager(passes, maxRounds, verifier, Objects.requireNonNull(dir)); }

    public List<Pass> passes() { return passes; }

    public int maxRounds() { return maxRounds; }

    public Graph run(Graph graph) { return runToFixedPoint(graph).graph(); }

    public Result runToFixedPoint(Graph graph) {
        PassDumper dumper = dumpDir != null ? new PassDumper(dumpDir) : PassDumper.fromSystemProperty();
        if (dumper != null) dumper.dump(graph, "input");
        if (verifier != null) verifier.verify(graph);
        Graph g = graph;
        for (int round = 1; round <= maxRounds; round++) {
            boolean changed = false;
            for (Pass p : passes) {
                Graph next = p.run(g);
                if (dumper != null) dumper.dump(next, p.name());
                if (next != g) {
                    if (verifier != null) verifyAfter(p, next);
                    // A pass may rebuild without changing anything; only a different text is progress.
                    changed |= !next.toString().equals(g.toString());
                    g = next;
                }
            }
            if (!changed) return new Result(g, round, true);
        }
        return new Result(g, maxRounds, false);
    }

    private void verifyAfter(Pass p, Graph g) {
        try {
            verifier.verify(g);
        } catch (RuntimeException e) {
            throw new IllegalStateException("pass '" + p.name() + "' produced an invalid graph: " + e.getMessage()
                    + "\n" + g, e);
        }
    }
}
