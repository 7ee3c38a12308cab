package dev.tfjit.ir;

import java.util.IdentityHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Prints a graph as IR text; {@link IrParser} reads it back to a graph that prints identically.
 *
 * <pre>
 * func @name(%x: f32[?,784], %y: f32[]) -> f32[?] {
 *   %0 = mul %x, %y : f32[?,784]
 *   %1 = reduce_sum %0 {axes=[1], keepdims=false} : f32[?]
 *   %2, %3 = while %a, %b : i32[], f32[] {
 *   ^(%i: i32[], %s: f32[]):
 *     ...
 *     yield %c
 *   } {
 *   ^(%i2: i32[], %s2: f32[]):
 *     yield %i3, %s3
 *   } loc(Model.java:42)
 *   return %1
 * }
 * </pre>
 * Values with a non-numeric name hint keep it (once per function); all others are numbered.
 * Attribute values print as {@code 3}, {@code 1.5}, {@code -0.0}, {@code inf}, {@code nan},
 * {@code nan(0x7ff8000000000001)} (a NaN with other bits), {@code true}, {@code "text"},
 * {@code [1, 2]}, {@code [1.0, nan]}, {@code floats<[]>} (an empty float list, since {@code []}
 * reads as integers), {@code f32}, {@code shape<[?,3]>} and {@code dense<f32[2]: 1.0, 2.0>}.
 */
public final class IrPrinter {
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
    private static final Pattern FUNC_NAME = Pattern.compile("[A-Za-z0-9_.$-]+");

    private final StringBuilder out = new StringBuilder();
    private final Map<Value, String> names;

    private IrPrinter(Map<Value, String> names) { this.names = names; }

    public static String print(Graph g) {
        IrPrinter p = new IrPrinter(valueNames(g));
        p.printGraph(g);
        return p.out.toString();
    }

    /**
     * The printed name of every value the graph defines (without the {@code %}). Names depend
     * only on definitions in print order, so the verifier and the Graphviz printer can name
     * values of graphs that are not valid enough to print.
     */
    public static Map<Value, String> valueNames(Graph g) {
        Naming n = new Naming();
        g.params().forEach(n::define);
        n.defineIn(g.body().nodes());
        return n.names;
    }

    /** Assigns names in the order the printer defines values: params, then each node's outputs before its regions. */
    private static final class Naming {
        final Map<Value, String> names = new IdentityHashMap<>();
        final Set<String> used = new HashSet<>();
        int counter;

        void defineIn(List<Node> nodes) {
            for (Node node : nodes) {
                node.outputs().forEach(this::define);
                for (Block r : node.regions()) {
                    r.params().forEach(this::define);
                    defineIn(r.nodes());
                }
            }
        }

        void define(Value v) {
            if (names.containsKey(v)) return; // defined twice: invalid, but keep one name so the verifier can say so
            String hint = v.nameHint();
            String name;
            if (hint != null && IDENT.matcher(hint).matches() && used.add(hint)) name = hint;
            else {
                do name = Integer.toString(counter++); while (!used.add(name));
            }
            names.put(v, name);
        }
    }

    private void printGraph(Graph g) {
        out.append("func @");
        out.append(FUNC_NAME.matcher(g.name()).matches() ? g.name() : quote(g.name()));
        out.append('(');
        printParams(g.params());
        out.append(") -> ");
        List<TensorType> rt = g.resultTypes();
        if (rt.size() == 1) out.append(rt.get(0));
        else {
            out.append('(');
            join(rt.stream().map(TensorType::toString).toList());
            out.append(')');
        }
        out.append(" {\n");
        printBody(g.body(), 1, "return");
        out.append("}\n");
    }

    private void printParams(List<Value> params) {
        for (int i = 0; i < params.size(); i++) {
            if (i > 0) out.append(", ");
            out.append(use(params.get(i))).append(": ").append(params.get(i).type());
        }
    }

    private void printBody(Block b, int depth, String terminator) {
        for (Node n : b.nodes()) printNode(n, depth);
        indent(depth);
        out.append(terminator);
        if (!b.results().isEmpty()) out.append(' ');
        join(b.results().stream().map(this::use).toList());
        out.append('\n');
    }

    private void printNode(Node n, int depth) {
        indent(depth);
        if (!n.outputs().isEmpty()) {
            join(n.outputs().stream().map(this::use).toList());
            out.append(" = ");
        }
        out.append(n.op().name());
        if (!n.inputs().isEmpty()) out.append(' ');
        join(n.inputs().stream().map(this::use).toList());
        if (!n.attrs().isEmpty()) {
            out.append(" {");
            boolean first = true;
            for (var e : n.attrs().asMap().entrySet()) {
                if (!first) out.append(", ");
                first = false;
                out.append(IDENT.matcher(e.getKey()).matches() ? e.getKey() : quote(e.getKey())).append('=');
                printAttr(e.getValue());
            }
            out.append('}');
        }
        if (!n.outputs().isEmpty()) {
            out.append(" : ");
            join(n.outputs().stream().map(v -> v.type().toString()).toList());
        }
        for (Block r : n.regions()) {
            out.append(" {\n");
            indent(depth);
            out.append("^(");
            printParams(r.params());
            out.append("):\n");
            printBody(r, depth + 1, "yield");
            indent(depth);
            out.append('}');
        }
        if (!n.location().equals(SourceLocation.UNKNOWN)) out.append(" loc(").append(formatLocation(n.location())).append(')');
        out.append('\n');
    }

    /** {@code Model.java:42}; file names that are not plain identifiers are quoted so the parser can read them back. */
    static String formatLocation(SourceLocation loc) {
        String file = IDENT.matcher(loc.file()).matches() ? loc.file() : quote(loc.file());
        return file + ":" + loc.line();
    }

    private void printAttr(AttrValue v) {
        switch (v) {
            case AttrValue.Int i -> out.append(i.value());
            case AttrValue.Float f -> out.append(formatDouble(f.value()));
            case AttrValue.Bool b -> out.append(b.value());
            case AttrValue.Str s -> out.append(quote(s.value()));
            case AttrValue.Ints l -> {
                out.append('[');
                long[] vs = l.values();
                for (int i = 0; i < vs.length; i++) out.append(i > 0 ? ", " : "").append(vs[i]);
                out.append(']');
            }
            case AttrValue.Floats l -> {
                double[] vs = l.values();
                // "[]" alone reads back as an empty integer list.
                if (vs.length == 0) out.append("floats<[]>");
                else {
                    out.append('[');
                    for (int i = 0; i < vs.length; i++) out.append(i > 0 ? ", " : "").append(formatDouble(vs[i]));
                    out.append(']');
                }
            }
            case AttrValue.Type t -> out.append(t.value().shortName());
            case AttrValue.ShapeAttr s -> out.append("shape<").append(s.value().irString()).append('>');
            case AttrValue.Tensor t -> printTensor(t.value());
        }
    }

    private void printTensor(Buffer b) {
        out.append("dense<").append(b.type()).append(':');
        for (long i = 0; i < b.size(); i++) {
            out.append(i > 0 ? ", " : " ");
            out.append(formatElement(b, i));
        }
        out.append('>');
    }

    /**
     * One element in IR syntax, exact for every dtype: floats print their shortest round-trip
     * form, and a NaN whose bits differ from the dtype's default NaN prints its bits.
     */
    static String formatElement(Buffer b, long i) {
        return switch (b.dtype()) {
            case STRING -> quote(b.getString(i));
            case BOOL -> Boolean.toString(b.getBoolean(i));
            case FLOAT64, FLOAT32, FLOAT16, BFLOAT16 -> {
                double d = b.getDouble(i);
                if (Double.isNaN(d)) {
                    long bits = FloatBits.raw(b, i);
                    yield bits == FloatBits.defaultNaN(b.dtype()) ? "nan" : "nan(0x" + Long.toHexString(bits) + ")";
                }
                yield b.dtype() == DType.FLOAT64 ? formatDouble(d) : formatFloat((float) d);
            }
            default -> Long.toString(b.getLong(i));
        };
    }

    static String formatDouble(double d) {
        if (Double.isNaN(d)) {
            long bits = Double.doubleToRawLongBits(d);
            return bits == Double.doubleToRawLongBits(Double.NaN) ? "nan" : "nan(0x" + Long.toHexString(bits) + ")";
        }
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        return Double.toString(d);
    }

    static String formatFloat(float f) {
        if (Float.isNaN(f)) return "nan";
        if (Float.isInfinite(f)) return f > 0 ? "inf" : "-inf";
        return Float.toString(f);
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }

    private String use(Value v) {
        String n = names.get(v);
        if (n == null) throw new IllegalStateException("value " + v + " is used but never defined in this function (run the verifier)");
        return "%" + n;
    }

    private void join(List<String> parts) {
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) out.append(", ");
            out.append(parts.get(i));
        }
    }

    private void indent(int depth) { out.append("  ".repeat(depth)); }
}
