package dev.tfjit.ir;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a graph for Graphviz ({@code dot -Tsvg}): one box per node labeled with its op and
 * result types, one ellipse per parameter, an edge per use, and each region as a cluster, so
 * edges that cross a cluster border are the values a region captures from outside.
 */
public final class DotPrinter {
    private final StringBuilder out = new StringBuilder();
    private final Map<Value, String> names;
    /** The dot node that produces each value. */
    private final Map<Value, String> producer = new IdentityHashMap<>();
    private int nodeCount;
    private int clusterCount;

    private DotPrinter(Graph g) { this.names = IrPrinter.valueNames(g); }

    public static String print(Graph g) {
        DotPrinter p = new DotPrinter(g);
        p.out.append("digraph ").append(id(g.name())).append(" {\n");
        p.out.append("  node [shape=box, fontname=\"monospace\"];\n");
        p.block(g.body(), "return", 1);
        p.out.append("}\n");
        return p.out.toString();
    }

    private void block(Block b, String terminator, int depth) {
        for (Value param : b.params()) {
            String id = "n" + nodeCount++;
            producer.put(param, id);
            line(depth, id + " [shape=ellipse, label=" + id(label(param) + ": " + param.type()) + "];");
        }
        for (Node n : b.nodes()) {
            String id = "n" + nodeCount++;
            StringBuilder label = new StringBuilder(n.op().name());
            if (!n.outputs().isEmpty()) {
                label.append("\n");
                List<String> outs = n.outputs().stream().map(v -> label(v) + ": " + v.type()).toList();
                label.append(String.join(", ", outs));
            }
            if (!n.location().equals(SourceLocation.UNKNOWN)) label.append("\n@").append(n.location());
            line(depth, id + " [label=" + id(label.toString()) + "];");
            edges(n.inputs(), id, depth);
            for (int r = 0; r < n.regions().size(); r++) {
                line(depth, "subgraph cluster_" + clusterCount++ + " {");
                line(depth + 1, "label=" + id(n.op().name() + " region " + r) + ";");
                line(depth + 1, "style=rounded;");
                block(n.regions().get(r), "yield", depth + 1);
                line(depth, "}");
            }
            for (Value v : n.outputs()) producer.put(v, id);
        }
        String id = "n" + nodeCount++;
        line(depth, id + " [shape=plaintext, label=" + id(terminator) + "];");
        edges(b.results(), id, depth);
    }

    private void edges(List<Value> values, String to, int depth) {
        for (Value v : values) {
            String from = producer.get(v);
            // A use before its definition has no producer yet; the verifier reports it, the picture skips it.
            if (from != null) line(depth, from + " -> " + to + " [label=" + id(label(v)) + "];");
        }
    }

    private String label(Value v) {
        String n = names.get(v);
        return n == null ? "?" : "%" + n;
    }

    private void line(int depth, String s) { out.append("  ".repeat(depth)).append(s).append('\n'); }

    /** A dot ID: always quoted, with quotes, backslashes and newlines escaped. */
    private static String id(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
