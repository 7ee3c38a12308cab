package dev.tfjit.cli;

import dev.tfjit.tracer.Variable;

import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Unique names for the variables of one artifact, in first-seen order: a variable keeps its own
 * name unless another took it first ({@code Variable}, {@code Variable_1}, ...), so that the
 * metadata's parameters and saved values match by name.
 */
final class VariableNames {
    private final Map<Variable, String> names = new IdentityHashMap<>();
    private final Map<String, Variable> byName = new LinkedHashMap<>();
    private final Set<String> taken = new HashSet<>();

    String of(Variable v) {
        String n = names.get(v);
        if (n != null) return n;
        n = v.name();
        for (int i = 1; taken.contains(n); i++) n = v.name() + "_" + i;
        taken.add(n);
        names.put(v, n);
        byName.put(n, v);
        return n;
    }

    /** Every variable named so far, with its name, in first-seen order. */
    Map<String, Variable> all() { return byName; }

    boolean isEmpty() { return byName.isEmpty(); }

    static VariableNames of(List<Variable> vs) {
        VariableNames n = new VariableNames();
        for (Variable v : vs) n.of(v);
        return n;
    }
}
