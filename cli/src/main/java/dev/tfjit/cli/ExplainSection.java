package dev.tfjit.cli;

import dev.tfjit.codegen.llvm.AotEntry;
import dev.tfjit.codegen.llvm.AotTarget;

import java.util.List;

/**
 * One part of {@code tfjit explain}'s report for one traced signature. The report is the list
 * {@link ExplainCommand#SECTIONS}; a new kind of report (AutoGraph's conversion report for a
 * traced method, say) is one more implementation added there.
 */
interface ExplainSection {
    /**
     * What one traced signature offers a section: the trace, its entry points (when concrete) and the
     * target; {@code missingShapes} says why there are no entry points (unknown dims).
     */
    record Context(FunctionOptions.Trace trace, List<AotEntry> entries, AotTarget target, String missingShapes) {}

    String title();

    /** The section's text (lines without a trailing newline). */
    String render(Context cx);
}
