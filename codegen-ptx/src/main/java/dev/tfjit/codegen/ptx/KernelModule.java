package dev.tfjit.codegen.ptx;

import dev.tfjit.codegen.llvm.ErrorSites;
import dev.tfjit.codegen.llvm.MathFunctions;
import dev.tfjit.codegen.llvm.IrModule;

import java.util.ArrayList;
import java.util.List;

/**
 * The LLVM module holding every kernel of one compiled graph: the shared helpers (math
 * functions, NVPTX intrinsics), the kernels in launch order, and the {@code nvvm.annotations}
 * that tell ptxas each kernel's largest block (so it may give each thread more registers).
 */
final class KernelModule {
    /** NVPTX intrinsics the kernels call. */
    static final String NVPTX_DECLARATIONS = """
            declare i32 @llvm.nvvm.read.ptx.sreg.tid.x()
            declare i32 @llvm.nvvm.read.ptx.sreg.ntid.x()
            declare i32 @llvm.nvvm.read.ptx.sreg.ctaid.x()
            declare i32 @llvm.nvvm.read.ptx.sreg.ctaid.y()
            declare i32 @llvm.nvvm.read.ptx.sreg.ctaid.z()
            declare i32 @llvm.nvvm.read.ptx.sreg.nctaid.x()
            declare void @llvm.nvvm.barrier0()
            declare float @llvm.nvvm.shfl.sync.bfly.f32(i32, float, i32, i32)
            declare i32 @llvm.nvvm.shfl.sync.bfly.i32(i32, i32, i32, i32)
            """;

    final IrModule ir = new IrModule();
    final ErrorSites errors = new ErrorSites();
    private final String prefix;
    private final List<String> annotations = new ArrayList<>();
    private final List<String> kernels = new ArrayList<>();
    private int counter;

    /** {@code prefix} starts every kernel's name (a C identifier made from the graph's name). */
    KernelModule(String prefix) {
        this.prefix = prefix;
        ir.helper("declarations", MathFunctions.DECLARATIONS);
        ir.helper("nvptx.declarations", NVPTX_DECLARATIONS);
        ir.helper(MathFunctions.FMA_KEY, MathFunctions.FMA_DECLARATIONS); // the key the CPU math helpers use, so it is declared once
    }

    /** A fresh kernel name saying what the kernel does, e.g. {@code f_k3_row_reduce}. */
    String kernelName(String what) { return prefix + "_k" + counter++ + "_" + what; }

    /** Adds a finished kernel's text. */
    void addKernel(String name, String text, int maxThreads) {
        ir.helper("kernel " + name, text);
        annotations.add("!{ptr @" + name + ", !\"maxntidx\", i32 " + maxThreads + "}");
        kernels.add(name);
    }

    List<String> kernels() { return List.copyOf(kernels); }

    String text() {
        StringBuilder meta = new StringBuilder("!nvvm.annotations = !{");
        for (int i = 0; i < annotations.size(); i++) meta.append(i == 0 ? "" : ", ").append("!").append(i);
        meta.append("}\n");
        for (int i = 0; i < annotations.size(); i++) meta.append("!").append(i).append(" = ").append(annotations.get(i)).append('\n');
        return ir.text(NvptxTarget.moduleHeader()) + meta;
    }

    /** A C identifier from a graph name (kernel names must be PTX identifiers). */
    static String identifier(String name) {
        String s = name.replaceAll("[^A-Za-z0-9_]", "_");
        return s.isEmpty() || Character.isDigit(s.charAt(0)) ? "g_" + s : s;
    }
}
