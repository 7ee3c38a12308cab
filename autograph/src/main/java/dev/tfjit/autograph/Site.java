package dev.tfjit.autograph;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One tensor-dependent {@code if} or {@code while} found in a lambda, as the rewritten bytecode
 * refers to it by number: the locals it carries (slots and source names), where it is, and, for
 * one that cannot be staged, why.
 *
 * @param negate the Java condition is the negation of the tensor ({@code while (!t.booleanValue())})
 * @param problem null when the statement can be staged, else why not (shown when it is reached
 *                with a symbolic predicate)
 * @param breakTest whether a staged while's body ends in a tensor-conditional break
 */
record Site(Kind kind, String method, int line, int[] carried, List<String> names, boolean negate, String problem, BreakTest breakTest) {

    /** A while body that ends in {@code if (t) break;}: the break folds into the loop condition. */
    enum BreakTest { NONE, WHEN_TRUE, WHEN_FALSE }

    enum Kind { IF, WHILE, RETURN, OTHER }

    private static final List<Site> ALL = new CopyOnWriteArrayList<>();

    static synchronized int register(Site s) {
        ALL.add(s);
        return ALL.size() - 1;
    }

    static Site get(int id) { return ALL.get(id); }

    String where() { return method + (line > 0 ? " line " + line : ""); }

    /** One line of {@link Autograph#explain}. */
    String describe() {
        String what = switch (kind) {
            case IF -> "if";
            case WHILE -> "while";
            case RETURN -> "if with return";
            case OTHER -> "tensor condition";
        };
        if (problem != null) return "line " + line + ": " + what + " left as Java (a symbolic predicate is an error): " + problem;
        return "line " + line + ": " + what + " converted to " + (kind == Kind.WHILE ? "while_loop" : "cond")
                + (names.isEmpty() ? "" : ", carrying " + String.join(", ", names))
                + (breakTest == BreakTest.NONE ? "" : ", its final break folded into the condition");
    }
}
