package dev.tfjit.codegen.ptx;

import dev.tfjit.codegen.llvm.ConcreteTypes;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.ops.JavaCallOps;
import dev.tfjit.runtime.cuda.GpuProgram;
import dev.tfjit.runtime.cuda.GpuProgramFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Graphs to PTX: the entry point of the GPU code generator, for the {@code ptx-gpu} backend and
 * for ahead-of-time use ({@code tfjit compile --target sm_90}). A graph is specialized to
 * concrete argument shapes, fused ({@link GpuFusion}), emitted as one LLVM module of kernels
 * ({@link GpuGraphEmitter}) and compiled by LLVM's NVPTX back end for one SM.
 */
public final class PtxCompiler {
    private PtxCompiler() {}

    /** The SM targets code can be generated for, e.g. {@code sm_80}, {@code sm_90}. */
    public static List<String> targets() { return NvptxTarget.TARGETS; }

    /** The newest target a GPU of compute capability {@code cc} (e.g. 90 for 9.0) runs. */
    public static String targetFor(int computeCapability) { return NvptxTarget.targetFor(computeCapability); }

    /**
     * Compiles {@code graph} for the argument shapes {@code shapes} (fully known, one per
     * parameter) and the target {@code sm} ({@code "sm_90"}). An op the GPU backend cannot lower
     * is an {@link dev.tfjit.ir.UnimplementedError} naming it.
     */
    public static GpuProgram compile(Graph graph, List<Shape> shapes, String sm) {
        return compileWithIr(graph, shapes, sm, true).program();
    }

    /** The PTX text of {@link #compile}. */
    public static String ptx(Graph graph, List<Shape> shapes, String sm) { return compile(graph, shapes, sm).ptx(); }

    /**
     * A program, the LLVM IR it was generated from (for dumps and the emulated device), and the
     * IR after LLVM's optimizations when it was asked for (else null).
     */
    public record Compiled(GpuProgram program, String ir, String optimizedIr) {}

    /** {@code fuseEpilogues} false stores every hero's result (for tests comparing both). */
    public static Compiled compileWithIr(Graph graph, List<Shape> shapes, String sm, boolean fuseEpilogues) {
        return compile(graph, shapes, sm, fuseEpilogues, graph.name(), false);
    }

    /**
     * Compiles {@code graph} into a program called {@code name}; with {@code keepOptimizedIr}
     * the optimized LLVM IR is kept too ({@code tfjit compile --emit llvm}).
     */
    public static Compiled compile(Graph graph, List<Shape> shapes, String sm, boolean fuseEpilogues, String name, boolean keepOptimizedIr) {
        NvptxTarget.checkTarget(sm);
        JavaCallOps.requireNoJavaCallbacks(graph, "a GPU program");
        GpuLowerability.check(graph);
        List<TensorType> params = concreteParams(graph, shapes);
        ConcreteTypes types = ConcreteTypes.infer(graph, shapes);
        GpuLowerability.checkStaticShapes(graph, types);
        GpuFusion fusion = GpuFusion.of(graph, types, fuseEpilogues);
        GpuGraphEmitter.Emitted emitted = GpuGraphEmitter.emit(graph, types, fusion);
        NvptxTarget.Output out = NvptxTarget.compile(emitted.ir(), sm, keepOptimizedIr);
        String ptx = out.ptx();
        if (ptx.contains(".extern .func")) {
            throw new IllegalStateException("the PTX for @" + graph.name() + " calls a function it does not define (a tfjit bug):\n" + ptx);
        }
        List<TensorType> results = graph.results().stream().map(types::of).toList();
        GpuProgram program = new GpuProgram(name, sm, ptx, params, results, emitted.scratchBytes(), emitted.constants(),
                emitted.steps(), emitted.errors());
        return new Compiled(program, emitted.ir(), out.optimizedIr());
    }

    /**
     * Writes the program for {@code graph} at {@code shapes} to {@code dir} ({@link GpuProgramFiles}),
     * with a cubin beside the PTX when {@code ptxas} is installed; the runtime module alone runs it.
     */
    public static GpuProgram writeArtifact(Graph graph, List<Shape> shapes, String sm, String name, Path dir) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new TfException("an artifact name must be a C identifier (letters, digits, _), got '" + name + "'");
        }
        GpuProgram p = compile(graph, shapes, sm, true, name, false).program();
        GpuProgramFiles.write(p, dir);
        if (Ptxas.isInstalled()) Ptxas.assemble(p.ptx(), sm, GpuProgramFiles.cubin(dir, name, sm));
        return p;
    }

    private static List<TensorType> concreteParams(Graph graph, List<Shape> shapes) {
        List<TensorType> params = graph.paramTypes();
        if (shapes.size() != params.size()) {
            throw new ShapeError("@" + graph.name() + " takes " + params.size() + " arguments, got shapes for " + shapes.size());
        }
        List<TensorType> out = new ArrayList<>(params.size());
        for (int i = 0; i < params.size(); i++) {
            Shape s = shapes.get(i);
            if (!s.isFullyKnown()) throw new ShapeError("@" + graph.name() + " argument " + i + ": a GPU program needs a concrete shape, got " + s.irString());
            if (!params.get(i).shape().accepts(s)) {
                throw new ShapeError("@" + graph.name() + " argument " + i + " has shape " + params.get(i).shape().irString()
                        + ", got " + s.irString());
            }
            out.add(new TensorType(params.get(i).dtype(), s));
        }
        return out;
    }
}
