package dev.tfjit.cli;

import dev.tfjit.autograph.Autograph;
import dev.tfjit.codegen.llvm.AotCompiler;
import dev.tfjit.codegen.llvm.AotEntry;
import dev.tfjit.codegen.llvm.FusionReport;
import dev.tfjit.ir.IrPrinter;
import dev.tfjit.passes.FusionPass;

import java.util.ArrayList;
import java.util.List;

/** The sections {@code tfjit explain} prints today, in order. */
final class ExplainSections {
    private ExplainSections() {}

    /** Function.explain(): each trace, its signature and why it was made. */
    static final class Traces implements ExplainSection {
        @Override public String title() { return "traces"; }

        @Override
        public String render(Context cx) {
            if (cx.trace().function() == null) return "parsed from an IR file: no tracing";
            return cx.trace().function().explain().stripTrailing();
        }
    }

    /**
     * AutoGraph's conversion report: which Java if/while/for on tensors became cond/while nodes
     * (carrying which locals, leaving by which breaks), which loops stayed Java, and what cannot
     * be converted, with source lines.
     */
    static final class Conversion implements ExplainSection {
        @Override public String title() { return "AutoGraph conversion"; }

        @Override
        public String render(Context cx) {
            if (cx.trace().function() == null) return "parsed from an IR file: no Java to convert";
            return Autograph.explain(cx.trace().function());
        }
    }

    static final class TracedIr implements ExplainSection {
        @Override public String title() { return "traced IR"; }

        @Override public String render(Context cx) { return IrPrinter.print(cx.trace().traced()).stripTrailing(); }
    }

    /** After simplification (and, with --variables freeze, with the variables as constants): what is compiled. */
    static final class OptimizedIr implements ExplainSection {
        @Override public String title() { return "optimized IR (compiled)"; }

        @Override public String render(Context cx) { return IrPrinter.print(cx.trace().handled().graph()).stripTrailing(); }
    }

    /**
     * What the LLVM CPU backend decided for each concrete signature: which values its loops fuse
     * (inlined, views, row groups, matmul epilogues), which it stores and where (scratch ranges
     * reused once dead, in place over dying inputs). This is what the compiled code does.
     */
    static final class BackendFusion implements ExplainSection {
        @Override public String title() { return "fusion and buffers (llvm-cpu backend: what the compiled code does)"; }

        @Override
        public String render(Context cx) {
            if (cx.entries().isEmpty()) return "no backend decisions: " + cx.missingShapes();
            List<String> reports = new ArrayList<>();
            // The GPU backend plans its own kernels (codegen-ptx GpuFusion) and has no such report yet.
            if (cx.target().gpu()) reports.add("(for the host CPU: --target " + cx.target().name() + " fuses on its own, not shown)");
            for (AotEntry e : cx.entries()) reports.add(FusionReport.of(e.graph(), e.shapes()).text().stripTrailing());
            return String.join("\n\n", reports);
        }
    }

    /**
     * optimizer-passes' XLA-style FusionPass: fusions, their heroes, what was not fused and why,
     * buffer assignment. A graph-level rewrite that neither backend consumes (each plans its own
     * fusion), so its title says so.
     */
    static final class Fusion implements ExplainSection {
        @Override public String title() { return "graph-level fusion (optimizer-passes FusionPass, not used by the backends)"; }

        @Override public String render(Context cx) { return new FusionPass().fuse(cx.trace().handled().graph()).report().stripTrailing(); }
    }

    /** What the LLVM backend generates per entry point. */
    static final class CodeSizes implements ExplainSection {
        @Override public String title() { return "generated code"; }

        @Override
        public String render(Context cx) {
            if (cx.entries().isEmpty()) return "no code sizes: " + cx.missingShapes();
            List<String> lines = new ArrayList<>();
            lines.add("target " + cx.target().name() + " (cpu " + cx.target().cpu() + ")");
            for (int k = 0; k < cx.entries().size(); k++) {
                AotEntry e = cx.entries().get(k);
                AotCompiler.CodeSize s = AotCompiler.codeSize(e, cx.target(), "explain_" + k);
                lines.add("  " + s.params() + ": LLVM IR " + s.llvmLines() + " lines, " + s.optimizedLines() + " after O3, "
                        + s.instructions() + " machine instructions, object " + s.objectBytes() + " bytes, scratch "
                        + s.scratchBytes() + " bytes");
            }
            return String.join("\n", lines);
        }
    }
}
