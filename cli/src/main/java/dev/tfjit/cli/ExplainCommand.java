package dev.tfjit.cli;

import dev.tfjit.codegen.llvm.AotEntry;
import dev.tfjit.codegen.llvm.AotTarget;
import dev.tfjit.ir.TfException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tfjit explain}: what the compiler makes of a function, per signature: its traces,
 * AutoGraph's conversion report, the IR before and after optimization, the LLVM CPU backend's
 * fusion and buffer decisions, optimizer-passes' graph-level FusionPass report (which the
 * backends do not consume) and the size of the generated code.
 */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Explain how a function is compiled: its traces, what AutoGraph converted (with source lines), the traced "
                + "and optimized IR, the CPU backend's fusion and buffer decisions, the graph-level FusionPass report "
                + "and generated code sizes (which need concrete shapes: --batch N for signatures with ? dims).",
        footer = {"", "Example:", "  tfjit explain --class com.example.Model --method predict --signature 'f32[?,784]' --batch 32"})
final class ExplainCommand implements Callable<Integer> {
    /** The report, in order; add a section here (see {@link ExplainSection}). */
    static final List<ExplainSection> SECTIONS = List.of(new ExplainSections.Traces(), new ExplainSections.Conversion(),
            new ExplainSections.TracedIr(), new ExplainSections.OptimizedIr(), new ExplainSections.BackendFusion(),
            new ExplainSections.Fusion(), new ExplainSections.CodeSizes());

    @Spec CommandSpec spec;

    @Mixin FunctionOptions function;

    @Option(names = "--target", paramLabel = "TARGET", defaultValue = "host", description = "The target the code sizes are for (see compile).")
    String target;

    @Override
    public Integer call() {
        AotTarget t = AotTarget.parse(target);
        PrintWriter out = spec.commandLine().getOut();
        for (FunctionOptions.Trace trace : function.traces()) {
            List<AotEntry> entries;
            String missing = null;
            try {
                entries = function.entries(List.of(trace));
            } catch (TfException e) {
                entries = List.of();
                missing = e.getMessage(); // why no signature is concrete, for the sections that compile
            }
            ExplainSection.Context cx = new ExplainSection.Context(trace, entries, t, missing);
            out.println("== @" + trace.handled().graph().name() + " for signature (" + trace.signature() + ") ==");
            for (ExplainSection s : SECTIONS) {
                out.println("-- " + s.title() + " --");
                out.println(s.render(cx));
            }
            out.println();
        }
        out.flush();
        return 0;
    }
}
