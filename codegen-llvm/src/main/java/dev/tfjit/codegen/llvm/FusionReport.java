package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.IrPrinter;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.ControlFlowOps;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.Set;

/**
 * What the LLVM CPU backend decided for one graph and signature: for each node, in emission
 * order, whether its output is inlined into a consumer's loop, read through as a view, computed
 * in a row group or a matmul's epilogue, an alias of its input's bytes, or stored, and where it
 * is stored (argument, result slot, constant, or a scratch range with the steps it is held,
 * written in place over a dying input), plus the scratch block's size.
 *
 * <p>This is the planner the compiled code uses: {@link FusionPlan} for fusion and
 * {@link FunctionEmitter} with {@link ScratchArena} for buffers. optimizer-passes' FusionPass and
 * BufferAssignment are a graph-level rewrite that this backend does not consume. The report is
 * not recomputed: {@link FunctionEmitter} records each decision as it makes it ({@link #decided},
 * {@link #inPlace}) and the homes and scratch ranges are the ones its code reads and writes.
 * Written by {@code -Dtfjit.dump=DIR} as {@code <symbol>.fusion.txt} and printed by {@code tfjit explain}.
 */
public final class FusionReport {
    /** How a node was emitted: the branch {@link FunctionEmitter} took for it. */
    enum Kind {
        /** A constant: an immediate literal or a global. */
        CONSTANT,
        /** A member of a row group ({@link FusionPlan.RowGroup}), all emitted at the group's last member. */
        ROW_GROUP,
        /** Computed inside its single consumer's loop, never stored. */
        INLINED,
        /** A view ({@link Views}) its single reader reads through, never stored. */
        VIEW,
        /** A concat, stack or pad its single elementwise reader computes box by box from the sources ({@link IndexFusion}), never stored. */
        PIECED,
        /** The elementwise kernel computed inside a matmul's loops (output fusion). */
        EPILOGUE,
        /** A dynamically sized TensorArray op, which places its own outputs. */
        TENSOR_ARRAY,
        /** The same bytes as its input: no copy. */
        ALIAS,
        /** A kernel that stores its output from one loop shared with its siblings ({@link FusionPlan.SiblingGroup}), at the last one. */
        SIBLING,
        /** A kernel of its own that stores its outputs. */
        KERNEL
    }

    private record Entry(Node node, int step, int depth, Kind kind) {}

    private final List<Entry> entries = new ArrayList<>();
    private final Map<Value, Value> inPlaceOver = new IdentityHashMap<>();
    private Graph graph;
    private ConcreteTypes types;
    private FusionPlan plan;
    private Map<Value, Home> homes;
    private List<ScratchArena.Span> spans;
    private long scratchBytes;
    /** The steps at which sections 1, 2, ... begin ({@link Sections}), and how many steps there are. */
    private List<Integer> sectionStarts = List.of();
    private int steps;

    /** Records how {@code n} was emitted at top-level step {@code step}, {@code depth} regions deep. */
    void decided(Node n, int step, int depth, Kind kind) { entries.add(new Entry(n, step, depth, kind)); }

    /** Records where the function is cut into sections ({@link Sections}). */
    void sections(List<Integer> starts, int stepCount) {
        this.sectionStarts = List.copyOf(starts);
        this.steps = stepCount;
    }

    /** Records that {@code out} is written over the buffer of {@code input}, which dies at that kernel. */
    void inPlace(Value out, Value input) { inPlaceOver.put(out, input); }

    /** Takes the final homes and scratch layout once the whole function is emitted. */
    void finish(Graph g, ConcreteTypes types, FusionPlan plan, Map<Value, Home> homes, ScratchArena arena) {
        this.graph = g;
        this.types = types;
        this.plan = plan;
        this.homes = Collections.unmodifiableMap(homes); // the emitter is done with it: no copy
        this.spans = arena.taken();
        this.scratchBytes = arena.size();
    }

    /** The scratch block's size in bytes: what each call provides. */
    public long scratchBytes() { return scratchBytes; }

    /**
     * The report for {@code graph} specialized to {@code shapes}, without compiling it to machine
     * code (the decisions are all made while the LLVM IR is written). Throws the compile-time
     * error for an op this backend does not lower.
     */
    public static FusionReport of(Graph graph, List<dev.tfjit.ir.Shape> shapes) {
        Lowerability.check(graph);
        ConcreteTypes types = ConcreteTypes.infer(graph, shapes);
        return FunctionEmitter.emit(graph, types, FusionPlan.of(graph, types), "tfjit_report", "", NativeJit.SECTIONS).fusion();
    }

    // ------------------------------------------------------------ the text

    /** The report, one line per decision. */
    public String text() {
        Map<Value, String> names = IrPrinter.valueNames(graph);
        Map<Value, Node> users = new IdentityHashMap<>();
        collectUsers(graph.body(), users);
        Set<ScratchArena.Span> ofValues = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Entry e : entries) for (Value v : e.node().outputs()) if (span(v, e.step()) != null) ofValues.add(span(v, e.step()));
        List<FusionPlan.RowGroup> groups = plan.rowGroups();
        Map<Node, Node> matmulOf = new IdentityHashMap<>();
        for (Entry e : entries) if (plan.epilogue(e.node()) != null) matmulOf.put(plan.epilogue(e.node()), e.node());

        StringBuilder out = new StringBuilder();
        out.append("llvm-cpu fusion and buffers for @").append(graph.name()).append(" (").append(signature()).append(")\n");
        out.append("planner: codegen-llvm FusionPlan (loop fusion, row groups, matmul epilogues, views, siblings) and FunctionEmitter's scratch layout;"
                + " optimizer-passes FusionPass is not used by this backend\n");
        out.append("steps: the top-level nodes in emission order; scratch [offset, +bytes) held over steps a..b\n");
        if (!sectionStarts.isEmpty()) {
            out.append("sections (LLVM modules compiled at once): steps 0..").append(sectionStarts.getFirst() - 1).append(" in the entry");
            for (int k = 0; k < sectionStarts.size(); k++) {
                int end = k + 1 < sectionStarts.size() ? sectionStarts.get(k + 1) : steps;
                out.append(", ").append(sectionStarts.get(k)).append("..").append(end - 1).append(" in section ").append(k + 1);
            }
            out.append('\n');
        }
        for (int i = 0; i < graph.params().size(); i++) {
            Value p = graph.params().get(i);
            out.append("%").append(names.get(p)).append(": ").append(types.of(p)).append(" in ").append(where(p, 0)).append('\n');
        }
        Map<Node, String> regionOf = new IdentityHashMap<>();
        labelRegions(graph.body(), names, regionOf);
        int lastStep = -1;
        String region = null;
        for (Entry e : entries) {
            if (e.depth() == 0 && e.step() != lastStep) {
                temporaries(out, lastStep, ofValues);
                lastStep = e.step();
            }
            String in = regionOf.get(e.node());
            if (in != null && !in.equals(region)) out.append("      ").append("  ".repeat(e.depth() - 1)).append(in).append(":\n");
            region = in;
            out.append(e.depth() == 0 ? String.format("%4d  ", e.step()) : "      " + "  ".repeat(e.depth()));
            out.append(defines(e.node(), names)).append(": ").append(decision(e, names, users, groups, matmulOf)).append('\n');
        }
        temporaries(out, lastStep, ofValues);
        for (int j = 0; j < graph.results().size(); j++) {
            Value r = graph.results().get(j);
            Home h = homes.get(r);
            out.append("result ").append(j).append(" <- %").append(names.get(r)).append(": ");
            if (h instanceof Home.Growable) out.append("a growable array's memory, handed over");
            else if (new Home.Result(j).equals(h)) out.append("computed in its slot");
            else out.append("copied from ").append(where(r, graph.body().nodes().size()));
            out.append('\n');
        }
        for (ScratchArena.Span s : spans) {
            if (s.until == ScratchArena.FOREVER) {
                out.append("for the whole call: scratch [").append(s.offset).append(", +").append(s.bytes)
                        .append(") (error values or a growable array's descriptor)\n");
            }
        }
        out.append("scratch block: ").append(scratchBytes).append(" bytes per call\n");
        return out.toString();
    }

    private String signature() {
        List<String> s = new ArrayList<>();
        for (Value p : graph.params()) s.add(types.of(p).toString());
        return String.join(", ", s);
    }

    /** Names each region's nodes' place, "%i, %w = while body" say, for the report's region headings. */
    private static void labelRegions(Block b, Map<Value, String> names, Map<Node, String> regionOf) {
        for (Node n : b.nodes()) {
            for (int k = 0; k < n.regions().size(); k++) {
                List<String> outs = new ArrayList<>();
                for (Value v : n.outputs()) outs.add("%" + names.get(v));
                String which = n.op() == ControlFlowOps.WHILE ? (k == 0 ? "cond" : "body")
                        : n.op() == ControlFlowOps.COND ? (k == 0 ? "then" : "else") : "region " + k;
                String label = (outs.isEmpty() ? "" : String.join(", ", outs) + " = ") + n.op().name() + ", " + which;
                for (Node m : n.regions().get(k).nodes()) regionOf.put(m, label);
                labelRegions(n.regions().get(k), names, regionOf);
            }
        }
    }

    private static void collectUsers(Block b, Map<Value, Node> users) {
        for (Node n : b.nodes()) {
            for (Value v : n.inputs()) users.putIfAbsent(v, n);
            for (Block r : n.regions()) collectUsers(r, users);
        }
    }

    private String defines(Node n, Map<Value, String> names) {
        List<String> outs = new ArrayList<>();
        for (Value v : n.outputs()) outs.add("%" + names.get(v));
        String lhs = outs.isEmpty() ? "" : String.join(", ", outs) + " = ";
        String type = n.outputs().size() == 1 ? " " + types.of(n.output()) : "";
        return lhs + n.op().name() + type;
    }

    private String decision(Entry e, Map<Value, String> names, Map<Value, Node> users, List<FusionPlan.RowGroup> groups,
                            Map<Node, Node> matmulOf) {
        Node n = e.node();
        return switch (e.kind()) {
            case CONSTANT -> "constant, " + where(n.output(), e.step());
            case INLINED -> "inlined into " + consumer(n.output(), names, users);
            case PIECED -> "pieces of " + n.inputs().stream().map(v -> "%" + names.get(v)).distinct().collect(Collectors.joining(", "))
                    + " (index arithmetic), read box by box by " + consumer(n.output(), names, users) + ", not stored";
            case VIEW -> "view of %" + names.get(n.inputs().getFirst()) + " (index arithmetic), read through by "
                    + consumer(n.output(), names, users) + ", not stored";
            case ALIAS -> "alias of %" + names.get(n.inputs().getFirst()) + " (same bytes, no copy), " + where(n.output(), e.step());
            case TENSOR_ARRAY -> "TensorArray op, " + stored(n, e.step(), names);
            case EPILOGUE -> "epilogue of matmul " + (matmulOf.containsKey(n) ? "%" + names.get(matmulOf.get(n).output()) : "(not recorded)")
                    + " (computed per block of rows inside its loops), " + stored(n, e.step(), names);
            case ROW_GROUP -> {
                FusionPlan.RowGroup g = plan.rowGroup(n);
                Node last = g.last();
                String head = "row group " + groups.indexOf(g);
                if (n == g.members().getFirst()) {
                    head += " (" + g.rows() + " rows x " + g.cols() + " columns, " + g.members().size() + " members, all emitted at %"
                            + names.get(last.output()) + ")";
                }
                Value v = n.output();
                if (plan.isInlined(v)) yield head + ", inlined into " + consumer(v, names, users);
                if (g.stored().contains(v)) yield head + ", " + stored(n, e.step(), names);
                yield head + ", kept per row, not stored";
            }
            case SIBLING -> {
                FusionPlan.SiblingGroup g = plan.siblingGroup(n);
                List<String> others = new ArrayList<>();
                for (Node m : g.members()) if (m != n) others.add("%" + names.get(m.output()));
                int at = e.step();
                for (Entry x : entries) if (x.node() == g.last() && x.depth() == e.depth()) at = x.step();
                yield "sibling of " + String.join(", ", others) + ", one loop at %" + names.get(g.last().output()) + " (shared inputs read once), "
                        + stored(n, at, names);
            }
            case KERNEL -> {
                String s = stored(n, e.step(), names);
                Node epilogue = plan.epilogue(n);
                yield epilogue == null ? s : s + ", epilogue %" + names.get(epilogue.output()) + " fused";
            }
        };
    }

    /** The single reader of an inlined value or view, and the kernel whose loop computes it when that is another node. */
    private String consumer(Value v, Map<Value, String> names, Map<Value, Node> users) {
        Node user = users.get(v);
        String s = "%" + names.get(user.output());
        Node root = user;
        while (root.outputs().size() == 1 && plan.isInlined(root.output()) && users.containsKey(root.output())) root = users.get(root.output());
        return root == user ? s : s + " (in the loop of %" + names.get(root.output()) + ")";
    }

    private String stored(Node n, int step, Map<Value, String> names) {
        List<String> parts = new ArrayList<>();
        for (Value v : n.outputs()) {
            String w = where(v, step);
            Value over = inPlaceOver.get(v);
            if (over != null) w += ", in place over %" + names.get(over);
            parts.add(n.outputs().size() == 1 ? w : "%" + names.get(v) + " " + w);
        }
        return "stored in " + String.join("; ", parts);
    }

    private ScratchArena.Span span(Value v, int step) {
        Home h = homes.get(v);
        while (h instanceof Home.Offset o) h = o.base();
        return h instanceof Home.Scratch s ? spanOf(s.offset(), step) : null;
    }

    private ScratchArena.Span spanOf(long offset, int step) {
        for (ScratchArena.Span s : spans) if (s.offset == offset && s.from <= step && step <= s.until) return s;
        return null;
    }

    /** Where {@code v}, made at {@code step}, lives. */
    private String where(Value v, int step) { return where(homes.get(v), step); }

    private String where(Home h, int step) {
        return switch (h) {
            case null -> "no memory";
            case Home.Arg a -> "argument " + a.index();
            case Home.Result r -> "result slot " + r.index();
            case Home.Global g -> "global " + g.symbol();
            case Home.Immediate i -> "immediate literal";
            case Home.Growable g -> "a growable array (descriptor at scratch " + g.offset() + ")";
            case Home.Offset o -> where(o.base(), step) + " from byte " + o.bytes();
            case Home.Scratch s -> {
                ScratchArena.Span span = spanOf(s.offset(), step);
                if (span == null) yield "scratch [" + s.offset() + ", ?)";
                yield "scratch [" + s.offset() + ", +" + span.bytes + ") held over steps " + span.from + ".."
                        + (span.until == ScratchArena.FOREVER ? "end" : Integer.toString(span.until));
            }
        };
    }

    /** The scratch a kernel at {@code step} used for itself (packing, partial sums, row buffers), if any. */
    private void temporaries(StringBuilder out, int step, Set<ScratchArena.Span> ofValues) {
        if (step < 0) return;
        List<String> ranges = new ArrayList<>();
        long total = 0;
        for (ScratchArena.Span s : spans) {
            if (s.from != step || s.until == ScratchArena.FOREVER || ofValues.contains(s)) continue;
            ranges.add("[" + s.offset + ", +" + s.bytes + ")");
            total += s.bytes;
        }
        if (!ranges.isEmpty()) out.append("      kernel temporaries: ").append(total).append(" bytes at ").append(String.join(" ", ranges)).append('\n');
    }
}
