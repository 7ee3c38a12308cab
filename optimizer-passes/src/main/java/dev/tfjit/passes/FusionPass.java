package dev.tfjit.passes;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Block;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.IrPrinter;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.SourceLocation;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.FusionOps;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * XLA-style fusion: groups the ops of every block into {@code fusion} nodes (see
 * {@link FusionOps}) that a code generator emits as one kernel each.
 *
 * <ul>
 * <li>Loop fusion: elementwise producers fuse into their consumers; broadcast-like ops
 * (reshape, transpose, slice, concat, pad, broadcast_to...) fuse as index arithmetic.
 * <li>Input fusion: a reduction is the hero of its fusion, with an elementwise prologue and an
 * elementwise epilogue on its output shape.
 * <li>Output fusion: a matmul with its elementwise epilogue (bias add, activation); its operands
 * are read from memory by the tuned kernel.
 * <li>Multi-output fusion: a producer also read after its users' fusion becomes an extra output
 * of it, and sibling fusions that read a common input over the same loop shape merge.
 * <li>Never: duplicating an expensive producer (see {@code OpDef.isExpensive}) that several
 * fusions read, or recomputing one per reused element; fusing random, side-effecting or opaque
 * ops; fusing across {@code while}/{@code cond} boundaries (their regions are fused on their own).
 * </ul>
 *
 * The contract for code generators: after this pass every top-level node of each block is a
 * {@code fusion}, a constant, or an opaque op (including {@code while}/{@code cond}, whose
 * regions are in the same form). Scalar and other constants are cloned into the fusions that
 * read them. The pass is not part of the simplification pipeline, and neither backend runs it
 * today: the LLVM CPU backend plans its own fusion and buffers (codegen-llvm FusionPlan,
 * FunctionEmitter, ScratchArena; its decisions are dumped as {@code <symbol>.fusion.txt}) and the
 * GPU backend has GpuFusion. With {@code -Dtfjit.dump=DIR} this pass writes
 * {@code DIR/<function>.<NN>.fusion.txt}: each fusion with its kind, hero and members, why
 * producers were not fused, and the buffer assignment of this graph-level rewrite.
 */
public final class FusionPass implements Pass {
    /** The report's second line: a reader of a dump must not take these decisions for the compiled code's. */
    static final String NOT_USED_BY_BACKENDS = "a graph-level rewrite that the backends do not run: the llvm-cpu backend's own decisions are in"
            + " its <symbol>.fusion.txt dump and in tfjit explain";

    /** The fused graph, and what the pass decided, as the dump prints it. */
    public record Result(Graph graph, String report) {}

    @Override
    public String name() { return "fusion"; }

    @Override
    public Graph run(Graph graph) {
        Result r = fuse(graph);
        PassDumper dumper = PassDumper.fromSystemProperty();
        if (dumper != null) dumper.dumpText(graph.name(), "fusion.txt", r.report());
        return r.graph();
    }

    /** Fuses {@code graph} and describes the decisions. */
    public Result fuse(Graph graph) {
        Emitter e = new Emitter(IrPrinter.valueNames(graph));
        Block body = e.block(graph.body(), "func @" + graph.name());
        Graph fused = new Graph(graph.name(), body);
        StringBuilder report = new StringBuilder();
        report.append("fusion decisions for @").append(graph.name()).append(" (value names as in the input IR)\n");
        report.append(NOT_USED_BY_BACKENDS).append('\n');
        report.append(e.report);
        report.append("\nbuffer assignment of the fused graph (value names as in the output IR)\n");
        report.append(BufferAssignment.of(fused).describe(fused));
        return new Result(fused, report.toString());
    }

    /** Rebuilds blocks with their planned fusions, regions first-class: each block is planned on its own. */
    private static final class Emitter {
        final ValueMap values = new ValueMap();
        final Map<Value, String> names;
        final StringBuilder report = new StringBuilder();
        int fusionCount;

        Emitter(Map<Value, String> names) { this.names = names; }

        Block block(Block b, String where) {
            FusionPlanner plan = new FusionPlanner(b).plan();
            Map<Node, FusionGroup> byRoot = new IdentityHashMap<>();
            for (FusionGroup g : plan.groups) byRoot.put(g.root, g);
            Map<Node, Integer> position = new IdentityHashMap<>();
            for (int i = 0; i < b.nodes().size(); i++) position.put(b.nodes().get(i), i);
            if (!b.nodes().isEmpty()) report.append("\nin ").append(where).append(":\n");
            List<Node> out = new ArrayList<>();
            for (Node n : b.nodes()) {
                FusionGroup g = byRoot.get(n);
                if (g != null) out.add(fusion(g, position));
                else if (plan.emittedPlain(n)) out.add(plain(n));
            }
            List<FusionPlanner.NotFused> notFused = new ArrayList<>(plan.notFused);
            notFused.sort(Comparator.comparingInt(nf -> position.get(nf.node())));
            for (FusionPlanner.NotFused nf : notFused) {
                report.append("  not fused: ").append(describe(nf.node())).append(": ").append(nf.reason()).append('\n');
            }
            return new Block(b.params(), out, values.resolve(b.results()));
        }

        private Node plain(Node n) {
            if (n.regions().isEmpty() || n.op() == FusionOps.FUSION) return values.rebuild(n, n.regions());
            List<Block> regions = new ArrayList<>();
            for (int i = 0; i < n.regions().size(); i++) {
                regions.add(block(n.regions().get(i), "region " + i + " of " + describe(n)));
            }
            return values.rebuild(n, regions);
        }

        private Node fusion(FusionGroup g, Map<Node, Integer> position) {
            List<Node> members = new ArrayList<>(g.roles.keySet());
            members.sort(Comparator.comparingInt(position::get));
            Map<Value, Value> inside = new IdentityHashMap<>();   // original value -> region value
            Map<Value, Value> paramOf = new IdentityHashMap<>();  // resolved outside value -> region param
            List<Value> inputs = new ArrayList<>();
            List<Value> params = new ArrayList<>();
            for (Node m : members) for (Value v : m.outputs()) inside.put(v, null);
            List<Node> cloned = new ArrayList<>();
            for (Node m : members) {
                List<Value> in = new ArrayList<>();
                for (Value v : m.inputs()) {
                    if (inside.containsKey(v)) {
                        in.add(inside.get(v));
                        continue;
                    }
                    Value outer = values.resolve(v);
                    Value p = paramOf.get(outer);
                    if (p == null) {
                        p = new Value(outer.type(), SourceLocation.UNKNOWN, null);
                        paramOf.put(outer, p);
                        inputs.add(outer);
                        params.add(p);
                    }
                    in.add(p);
                }
                List<Value> outs = new ArrayList<>();
                for (Value v : m.outputs()) {
                    Value c = new Value(v.type(), v.location(), null);
                    inside.put(v, c);
                    outs.add(c);
                }
                cloned.add(new Node(m.op(), in, m.attrs(), List.of(), outs, m.location()));
            }
            List<Value> written = new ArrayList<>(g.root.outputs());
            written.addAll(g.extraOutputs);
            for (Node r : g.mergedRoots) written.addAll(r.outputs());
            written.sort(Comparator.comparingInt((Value v) -> position.get(definer(members, v))));
            List<Value> results = new ArrayList<>();
            List<Value> outs = new ArrayList<>();
            for (Value v : written) {
                results.add(inside.get(v));
                outs.add(new Value(v.type(), v.location(), null));
            }
            Node node = new Node(FusionOps.FUSION, inputs, Attrs.of("kind", g.kind.attr),
                    List.of(new Block(params, cloned, results)), outs, g.root.location());
            for (int i = 0; i < written.size(); i++) values.replace(written.get(i), outs.get(i));
            List<Node> heroes = new ArrayList<>(g.heroes);
            heroes.sort(Comparator.comparingInt(position::get));
            reportFusion(g, heroes, members, written);
            return node;
        }

        private static Node definer(List<Node> members, Value v) {
            for (Node m : members) if (m.outputs().contains(v)) return m;
            throw new IllegalStateException("no member defines " + v);
        }

        private void reportFusion(FusionGroup g, List<Node> heroes, List<Node> members, List<Value> written) {
            report.append("  fusion #").append(fusionCount++).append(" kind=").append(g.kind.attr);
            if (!heroes.isEmpty()) {
                report.append(" hero=").append(String.join(", ", heroes.stream().map(this::describe).toList()));
            }
            report.append(" writes ").append(String.join(", ", written.stream().map(this::name).toList())).append('\n');
            report.append("    members: ");
            report.append(String.join(", ", members.stream().map(m -> describe(m) + " (" + g.role(m).name().toLowerCase() + ")").toList()));
            report.append('\n');
        }

        private String describe(Node n) {
            return n.outputs().isEmpty() ? n.op().name() : n.op().name() + " " + name(n.outputs().get(0));
        }

        private String name(Value v) {
            String s = names.get(v);
            return s == null ? "%?" : "%" + s;
        }
    }
}
