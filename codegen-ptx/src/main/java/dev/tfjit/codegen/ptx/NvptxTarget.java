package dev.tfjit.codegen.ptx;

import dev.tfjit.codegen.llvm.LlvmPipeline;
import dev.tfjit.ir.UnimplementedError;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMTargetMachineRef;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.bytedeco.llvm.global.LLVM.*;

/**
 * LLVM's NVPTX back end: LLVM IR text in, PTX text out, through the same {@link LlvmPipeline}
 * as the CPU (parse, verify before any pass, O3, then the PTX printer). The four NVPTX
 * initializers all run (without the MC layer LLVM crashes the JVM). Contexts and target
 * machines are not thread-safe, so each thread owns a context and one machine per SM.
 *
 * <p>No feature string is given, so LLVM emits the lowest PTX ISA version the SM allows (7.0
 * for sm_80, 7.8 for sm_90) and the PTX loads on the oldest driver that knows the SM.
 */
final class NvptxTarget {
    static final String TRIPLE = "nvptx64-nvidia-cuda";
    static final String DATA_LAYOUT = "e-i64:64-i128:128-v16:16-v32:32-n16:32:64";
    /** The SMs kernels are generated for; a newer GPU runs the newest of them through the driver's PTX JIT. */
    static final List<String> TARGETS = List.of("sm_70", "sm_75", "sm_80", "sm_86", "sm_89", "sm_90");

    static {
        LLVMInitializeNVPTXTargetInfo();
        LLVMInitializeNVPTXTarget();
        LLVMInitializeNVPTXTargetMC();
        LLVMInitializeNVPTXAsmPrinter();
    }

    private static final ThreadLocal<PerThread> PER_THREAD = ThreadLocal.withInitial(PerThread::new);

    private NvptxTarget() {}

    /** A thread's context and its target machines, one per SM. */
    private static final class PerThread {
        final LLVMContextRef context = LLVMContextCreate();
        final Map<String, LLVMTargetMachineRef> machines = new HashMap<>();

        LLVMTargetMachineRef machine(String sm) {
            return machines.computeIfAbsent(sm, s -> LlvmPipeline.targetMachine(TRIPLE, s, "", LLVMRelocDefault, LLVMCodeModelDefault));
        }
    }

    /** Refuses an SM name the generator does not target, naming the ones it does. */
    static String checkTarget(String sm) {
        if (!TARGETS.contains(sm)) {
            throw new UnimplementedError("the ptx-gpu backend generates code for " + TARGETS + ", not '" + sm + "'");
        }
        return sm;
    }

    /** The newest target a GPU of compute capability {@code cc} (e.g. 90) runs. */
    static String targetFor(int computeCapability) {
        String best = null;
        for (String t : TARGETS) if (Integer.parseInt(t.substring(3)) <= computeCapability) best = t;
        if (best == null) {
            throw new UnimplementedError("the ptx-gpu backend needs a GPU of compute capability 7.0 or newer, this one is "
                    + computeCapability / 10 + "." + computeCapability % 10);
        }
        return best;
    }

    /** The header every generated module starts with. */
    static String moduleHeader() {
        return "target datalayout = \"" + DATA_LAYOUT + "\"\ntarget triple = \"" + TRIPLE + "\"\n\n";
    }

    /** The optimized module's IR and its PTX. */
    record Output(String optimizedIr, String ptx) {}

    static String ptx(String ir, String sm) { return compile(ir, sm, false).ptx(); }

    static Output compile(String ir, String sm, boolean keepOptimizedIr) {
        checkTarget(sm);
        PerThread t = PER_THREAD.get();
        LlvmPipeline.Output out = LlvmPipeline.compile(t.context, t.machine(sm), ir, "kernels", keepOptimizedIr, true, false);
        return new Output(out.optimizedIr(), out.assembly());
    }
}
