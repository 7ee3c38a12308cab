package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.SourceLocation;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.CreationOps;
import dev.tfjit.runtime.Interpreter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Shrinks a failing fuzz case by deleting nodes while it keeps failing. A node is deleted by
 * cutting the graph there: its outputs become new parameters whose arguments are the values
 * the interpreter computed for them, so everything downstream sees the same inputs; nodes and
 * parameters nothing uses any more are then dropped. Results are dropped one at a time too, and
 * the graph is ended early at a node (its outputs the results) when that keeps it failing.
 */
final class GraphMinimizer {
    private GraphMinimizer() {}

    static FuzzGraphs.Case minimize(FuzzGraphs.Case c, Predicate<FuzzGraphs.Case> fails) {
        // A dead node can be what fails (a compile error): keep it unless the case fails without it.
        FuzzGraphs.Case pruned = prune(c);
        if (fails.test(pruned)) c = pruned;
        boolean progress = true;
        while (progress) {
            progress = false;
            List<Value> results = c.graph().results();
            for (int i = 0; i < results.size() && results.size() > 1 && !progress; i++) {
                FuzzGraphs.Case candidate = prune(withResults(c, List.of(results.get(i))));
                if (fails.test(candidate)) {
                    c = candidate;
                    progress = true;
                }
            }
            List<Node> nodes = c.graph().body().nodes();
            // The graph ended early: a node's outputs as the results, dropping everything after it.
            for (int i = 0; i < nodes.size() && !progress; i++) {
                if (nodes.get(i).op() == CreationOps.CONSTANT || nodes.get(i).outputs().equals(results)) continue;
                FuzzGraphs.Case candidate = prune(withResults(c, nodes.get(i).outputs()));
                if (candidate.graph().body().nodes().size() < nodes.size() && fails.test(candidate)) {
                    c = candidate;
                    progress = true;
                }
            }
            for (int i = nodes.size() - 1; i >= 0 && !progress; i--) {
                if (nodes.get(i).op() == CreationOps.CONSTANT) continue;
                FuzzGraphs.Case candidate = cut(c, nodes.get(i));
                if (candidate != null && fails.test(candidate)) {
                    c = candidate;
                    progress = true;
                }
            }
        }
        return c;
    }

    private static FuzzGraphs.Case withResults(FuzzGraphs.Case c, List<Value> results) {
        Block body = c.graph().body();
        return new FuzzGraphs.Case(new Graph(c.graph().name(), new Block(body.params(), body.nodes(), results)), c.args());
    }

    /** The case with {@code n} replaced by parameters holding its interpreted outputs; null if they cannot be computed. */
    private static FuzzGraphs.Case cut(FuzzGraphs.Case c, Node n) {
        List<Buffer> values;
        try {
            FuzzGraphs.Case prefix = prune(withResults(c, n.outputs()));
            values = Interpreter.run(prefix.graph(), prefix.args());
        } catch (TfException e) {
            return null;
        }
        Map<Value, Value> subst = new IdentityHashMap<>();
        List<Value> params = new ArrayList<>(c.graph().params());
        List<Buffer> args = new ArrayList<>(c.args());
        for (int i = 0; i < n.outputs().size(); i++) {
            Value out = n.outputs().get(i);
            Value p = new Value(out.type(), SourceLocation.UNKNOWN, "cut" + params.size());
            subst.put(out, p);
            params.add(p);
            args.add(values.get(i));
        }
        List<Node> nodes = new ArrayList<>();
        for (Node m : c.graph().body().nodes()) if (m != n) nodes.add(substitute(m, subst));
        List<Value> results = c.graph().results().stream().map(v -> subst.getOrDefault(v, v)).toList();
        return prune(new FuzzGraphs.Case(new Graph(c.graph().name(), new Block(params, nodes, results)), args));
    }

    private static Node substitute(Node n, Map<Value, Value> subst) {
        List<Value> in = n.inputs().stream().map(v -> subst.getOrDefault(v, v)).toList();
        List<Block> regions = new ArrayList<>();
        for (Block b : n.regions()) {
            List<Node> nodes = b.nodes().stream().map(m -> substitute(m, subst)).toList();
            regions.add(new Block(b.params(), nodes, b.results().stream().map(v -> subst.getOrDefault(v, v)).toList()));
        }
        return new Node(n.op(), in, n.attrs(), regions, n.outputs(), n.location());
    }

    /** Drops top-level nodes whose outputs nothing uses, and parameters (with their arguments) nothing reads. */
    static FuzzGraphs.Case prune(FuzzGraphs.Case c) {
        Block body = c.graph().body();
        Set<Value> used = Collections.newSetFromMap(new IdentityHashMap<>());
        used.addAll(body.results());
        List<Node> kept = new ArrayList<>();
        for (int i = body.nodes().size() - 1; i >= 0; i--) {
            Node n = body.nodes().get(i);
            if (n.outputs().stream().noneMatch(used::contains)) continue;
            kept.add(0, n);
            reads(n, used);
        }
        List<Value> params = new ArrayList<>();
        List<Buffer> args = new ArrayList<>();
        for (int i = 0; i < body.params().size(); i++) {
            if (!used.contains(body.params().get(i))) continue;
            params.add(body.params().get(i));
            args.add(c.args().get(i));
        }
        return new FuzzGraphs.Case(new Graph(c.graph().name(), new Block(params, kept, body.results())), args);
    }

    /** Adds every value {@code n} reads, inside its regions too, to {@code used}. */
    private static void reads(Node n, Set<Value> used) {
        used.addAll(n.inputs());
        for (Block b : n.regions()) {
            used.addAll(b.results());
            for (Node m : b.nodes()) reads(m, used);
        }
    }
}
