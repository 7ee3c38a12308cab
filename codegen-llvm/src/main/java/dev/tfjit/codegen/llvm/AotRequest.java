package dev.tfjit.codegen.llvm;

import dev.tfjit.runtime.aot.AotMetadata;

import java.util.List;
import java.util.Set;

/**
 * An ahead-of-time compilation: a named artifact with one entry point per {@link AotEntry},
 * for one target.
 *
 * @param variables how the function's variables were handled: {@code none}, {@code freeze} or {@code args}
 * @param variableValues with {@code args}: the files (already written) holding each variable's value
 */
public record AotRequest(String name, AotTarget target, List<AotEntry> entries, Set<AotEmit> emit, String variables,
                         List<AotMetadata.VariableValue> variableValues) {
    public AotRequest {
        entries = List.copyOf(entries);
        emit = Set.copyOf(emit);
        variableValues = List.copyOf(variableValues);
    }

    /** One graph, fully specified shapes, the host CPU, nothing emitted: what tests and simple callers need. */
    public static AotRequest of(String name, AotEntry entry) {
        return new AotRequest(name, AotTarget.parse("host"), List.of(entry), Set.of(), "none", List.of());
    }
}
