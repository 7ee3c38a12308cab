package dev.tfjit.codegen.ptx;

import dev.tfjit.ir.Graph;
import dev.tfjit.ir.IrParser;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Verifier;
import dev.tfjit.runtime.cuda.GpuProgram;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Test helpers: parse IR, compile for the GPU, assemble with ptxas for every SM the tests cover. */
final class Programs {
    /** The SMs every generated kernel is assembled for. */
    static final List<String> SMS = List.of("sm_80", "sm_90");

    private Programs() {}

    static Graph parse(String ir) {
        Graph g = IrParser.parse(ir);
        Verifier.verify(g);
        return g;
    }

    static GpuProgram compile(String ir, Shape... shapes) { return PtxCompiler.compile(parse(ir), List.of(shapes), "sm_90"); }

    static void requirePtxas() {
        assumeTrue(Ptxas.isInstalled(), "ptxas is not on the PATH (it comes with the CUDA toolkit): generated PTX is not assembled");
    }

    /** Compiles for each SM and assembles with ptxas; returns each SM's report. */
    static List<Ptxas.Report> assemble(Graph g, List<Shape> shapes) {
        requirePtxas();
        List<Ptxas.Report> out = new ArrayList<>();
        for (String sm : SMS) {
            GpuProgram p = PtxCompiler.compile(g, shapes, sm);
            Ptxas.Report r = Ptxas.check(p.ptx(), sm);
            assertEquals(p.kernels().size(), r.kernels().size(), "ptxas reports every kernel of " + p.kernels() + "\n" + r.log());
            out.add(r);
        }
        return out;
    }

    /** Total spill bytes (stores and loads) over a report's kernels. */
    static int spills(Ptxas.Report r) {
        int s = 0;
        for (Map.Entry<String, Ptxas.KernelStats> e : r.kernels().entrySet()) s += e.getValue().spillStoreBytes() + e.getValue().spillLoadBytes();
        return s;
    }

    /** Kernel names without the graph prefix and counter: {@code f_k2_row_reduce} is {@code row_reduce}. */
    static List<String> kinds(GpuProgram p) {
        return p.kernels().stream().map(k -> k.replaceFirst("^.*?_k\\d+_", "")).toList();
    }
}
