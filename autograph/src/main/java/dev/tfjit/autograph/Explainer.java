package dev.tfjit.autograph;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeMap;

/**
 * The report of {@link Autograph#explain} and {@code TfFunctions.explain}: per method, the tensor
 * tests that become staged nodes (nested as they nest), the loops left as Java, and the tests
 * that cannot be staged, each with its source line.
 */
final class Explainer {
    private final ConvertedMethod method;
    private final MethodAnalysis a;
    private final BitSet seen = new BitSet();
    private final BitSet stagedHeaders = new BitSet();
    private final List<String> converted = new ArrayList<>();
    private final TreeMap<Integer, String> java = new TreeMap<>();
    private final List<String> refused = new ArrayList<>();

    private Explainer(ConvertedMethod method) {
        this.method = method;
        this.a = method.analysis();
    }

    static String explain(ConvertedMethod method) {
        Explainer e = new Explainer(method);
        e.walk(new RegionAnalysis(e.a, Region.of(0, List.of(), false), true), 2, "method (a return in a branch)");
        return e.report();
    }

    /** {@code scope}: what a cond whose branches never meet runs to the end of. */
    private void walk(RegionAnalysis ra, int depth, String scope) {
        for (SiteSpec s : ra.sites()) {
            if (seen.get(s.call())) continue;
            seen.set(s.call());
            String indent = "  ".repeat(depth);
            switch (s) {
                case SiteSpec.If i -> {
                    String what = i.merge() >= 0 ? "if on a tensor -> cond" : "if on a tensor -> cond whose branches run to the end of the " + scope;
                    if (i.insideJavaLoop() > 0) {
                        what = "test on a tensor inside the Java loop at line " + i.insideJavaLoop() + " -> a cond in each unrolled iteration";
                        java.putIfAbsent(i.insideJavaLoop(), "loop on Java values -> stays Java; it unrolls while tracing");
                    }
                    converted.add(indent + "line " + i.line() + ": " + what + carrying(i.outputs(), i.call()) + note(i.problem()));
                    String inner = i.merge() >= 0 ? "branch" : scope;
                    walk(new RegionAnalysis(a, i.thenBranch(), false), depth + 1, inner);
                    walk(new RegionAnalysis(a, i.elseBranch(), false), depth + 1, inner);
                }
                case SiteSpec.Loop l -> {
                    stagedHeaders.set(l.header());
                    String kind = !l.standard() ? "loop left by tensor tests -> while loop"
                            : a.iteratesDataset(l.call()) ? "for over a dataset -> while loop reading its elements on every call"
                            : "loop on a tensor -> while loop";
                    String exits = l.exitNotes().isEmpty() ? "" : "; leaves by " + String.join(", ", l.exitNotes()) + " (exit flag)";
                    converted.add(indent + "line " + l.line() + ": " + kind + carrying(l.loopVars(), l.call()) + exits + note(l.problem()));
                    walk(new RegionAnalysis(a, l.standard() ? l.body() : l.iteration(), false), depth + 1,
                            "loop body (a break, continue or return in a branch)");
                }
                case SiteSpec.Unconvertible u -> refused.add("    line " + u.line() + ": " + u.problem());
            }
        }
    }

    private String carrying(int[] slots, int at) {
        if (slots.length == 0) return "";
        List<String> names = new ArrayList<>();
        for (int s : slots) names.add(a.nameOf(s, at));
        return ", carrying " + String.join(", ", names);
    }

    private static String note(String problem) {
        return problem == null ? "" : " [not staged in strict mode: " + problem.replace("%s", "this line") + "]";
    }

    private String report() {
        for (int i = 0; i < a.size(); i++) {
            if (a.insn(i) instanceof org.objectweb.asm.tree.JumpInsnNode j && a.frameAt(i) != null) {
                int header = a.indexOf(j.label);
                if (header <= i && !stagedHeaders.get(header)) {
                    java.putIfAbsent(a.lineOf(header), "loop on Java values -> stays Java; it unrolls while tracing");
                }
            }
        }
        StringBuilder sb = new StringBuilder("autograph ").append(method.displayName()).append(" (").append(method.source().file()).append("):");
        if (converted.isEmpty() && java.isEmpty() && refused.isEmpty()) sb.append("\n  no tensor conditions and no loops: nothing to convert");
        if (!converted.isEmpty()) sb.append("\n  converted:");
        for (String s : converted) sb.append('\n').append(s);
        if (!java.isEmpty()) sb.append("\n  left as Java:");
        java.forEach((line, what) -> sb.append("\n    line ").append(line).append(": ").append(what));
        if (!refused.isEmpty()) sb.append("\n  not convertible (an error when the tensor is symbolic):");
        for (String s : refused) sb.append('\n').append(s);
        return sb.toString();
    }
}
