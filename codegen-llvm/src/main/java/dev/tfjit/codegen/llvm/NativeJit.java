package dev.tfjit.codegen.llvm;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMErrorRef;
import org.bytedeco.llvm.LLVM.LLVMMemoryBufferRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMOrcLLJITRef;
import org.bytedeco.llvm.LLVM.LLVMPassBuilderOptionsRef;
import org.bytedeco.llvm.LLVM.LLVMTargetMachineRef;
import org.bytedeco.llvm.LLVM.LLVMTargetRef;

import java.nio.charset.StandardCharsets;

import static org.bytedeco.llvm.global.LLVM.*;

/**
 * LLVM for the host CPU: parses a module's IR text, verifies it, runs the O3 pipeline, emits an
 * object in memory and links it into one process-wide ORC LLJIT. Contexts and target machines
 * are not thread-safe, so each compiling thread owns one of each; the JIT itself is shared and
 * guarded by its own lock.
 *
 * <p>Native errors kill the JVM, so nothing reaches code generation unverified: the text is
 * parsed (a parse error is a message, not a crash) and {@code LLVMVerifyModule} runs before any
 * pass.
 */
final class NativeJit {
    /** The IR of one module at each stage, for {@code -Dtfjit.dump}. */
    record Stages(String input, String optimized, String assembly) {}

    private static final NativeJit INSTANCE = new NativeJit();

    private final String triple;
    private final String cpu;
    private final String features;
    private final String dataLayout;
    private final LLVMOrcLLJITRef jit;
    /** Whether the worker pool's runtime module is linked, so kernels may split loops ({@link WorkerPool}). */
    private final boolean parallel;

    private final ThreadLocal<PerThread> perThread = ThreadLocal.withInitial(this::newPerThread);

    /** A thread's own context and target machine. */
    private record PerThread(LLVMContextRef context, LLVMTargetMachineRef machine) {}

    private NativeJit() {
        LLVMInitializeNativeTarget();
        LLVMInitializeNativeAsmPrinter();
        LLVMInitializeNativeAsmParser();
        triple = takeMessage(LLVMGetDefaultTargetTriple());
        cpu = takeMessage(LLVMGetHostCPUName());
        features = takeMessage(LLVMGetHostCPUFeatures());
        LLVMTargetMachineRef probe = newMachine();
        BytePointer layout = LLVMCopyStringRepOfTargetData(LLVMCreateTargetDataLayout(probe));
        dataLayout = takeMessage(layout);
        LLVMDisposeTargetMachine(probe);
        LLVMOrcLLJITRef j = new LLVMOrcLLJITRef();
        check(LLVMOrcCreateLLJIT(j, null), "creating the JIT");
        jit = j;
        // The worker pool, defined once for every kernel this process links (and every cached object).
        String runtime = WorkerPool.runtimeModule(triple);
        if (runtime != null) link(compileToObject(moduleHeader() + runtime, "tfjit_runtime", false).object(), "tfjit_parallel_for");
        parallel = runtime != null;
    }

    /** Whether kernels may call {@link WorkerPool#PARALLEL_FOR}. */
    boolean parallel() { return parallel; }

    /** The worker pool's runtime module for an ahead-of-time library of the given target; null without one. */
    byte[] runtimeLibraryObject(String targetCpu, String targetFeatures) {
        String runtime = WorkerPool.runtimeModule(triple);
        return runtime == null ? null
                : compileForLibrary(moduleHeader() + runtime, "tfjit_runtime", targetCpu, targetFeatures, false).object();
    }

    static NativeJit get() { return INSTANCE; }

    String triple() { return triple; }

    String cpu() { return cpu; }

    /** The host CPU's feature string the target machine generates code for. */
    String features() { return features; }

    /** LLVM's version, e.g. {@code 20.1.7}: objects from another LLVM are not reused. */
    static String llvmVersion() {
        int[] major = new int[1], minor = new int[1], patch = new int[1];
        LLVMGetVersion(major, minor, patch);
        return major[0] + "." + minor[0] + "." + patch[0];
    }

    /** The module header every generated module starts with, so types are laid out as the JIT expects. */
    String moduleHeader() {
        return "target datalayout = \"" + dataLayout + "\"\ntarget triple = \"" + triple + "\"\n\n";
    }

    private PerThread newPerThread() { return new PerThread(LLVMContextCreate(), newMachine()); }

    private LLVMTargetMachineRef newMachine() { return newMachine(LLVMRelocDefault, LLVMCodeModelJITDefault); }

    private LLVMTargetMachineRef newMachine(int relocation, int codeModel) { return newMachine(cpu, features, relocation, codeModel); }

    private LLVMTargetMachineRef newMachine(String targetCpu, String targetFeatures, int relocation, int codeModel) {
        LLVMTargetRef target = new LLVMTargetRef();
        BytePointer error = new BytePointer();
        if (LLVMGetTargetFromTriple(new BytePointer(triple), target, error) != 0) {
            throw new IllegalStateException("LLVM has no target for " + triple + ": " + takeMessage(error));
        }
        return LLVMCreateTargetMachine(target, triple, targetCpu, targetFeatures,
                LLVMCodeGenLevelAggressive, relocation, codeModel);
    }

    /**
     * Compiles {@code ir} and returns the address of {@code symbol}. With {@code keepStages} the
     * IR before and after O3 and the assembly are returned as well (otherwise null fields).
     */
    Compiled compile(String ir, String symbol, boolean keepStages) {
        ObjectCode code = compileToObject(ir, symbol, keepStages);
        return new Compiled(link(code.object(), symbol), code.stages());
    }

    /**
     * Parses, verifies and optimizes {@code ir} and emits a relocatable object, without linking
     * it: the object can be kept (the kernel cache writes it to disk) and linked with
     * {@link #link} in this or any later JVM on the same target.
     */
    ObjectCode compileToObject(String ir, String symbol, boolean keepStages) {
        return compileToObject(ir, symbol, keepStages, perThread.get());
    }

    /**
     * Like {@link #compileToObject} but position-independent and for the given CPU and
     * features (the host's, or a portable level such as {@code x86-64-v3}), so that the object
     * can be linked into a shared library (the ahead-of-time compiler). Uses a fresh context and
     * target machine: AOT compiles are rare and must not change the JIT's machine.
     */
    ObjectCode compileForLibrary(String ir, String symbol, String targetCpu, String targetFeatures, boolean keepStages) {
        PerThread pic = new PerThread(LLVMContextCreate(), newMachine(targetCpu, targetFeatures, LLVMRelocPIC, LLVMCodeModelDefault));
        try {
            return compileToObject(ir, symbol, keepStages, pic);
        } finally {
            LLVMDisposeTargetMachine(pic.machine());
            LLVMContextDispose(pic.context());
        }
    }

    private ObjectCode compileToObject(String ir, String symbol, boolean keepStages, PerThread t) {
        byte[] bytes = ir.getBytes(StandardCharsets.UTF_8);
        BytePointer text = new BytePointer(bytes.length);
        text.put(bytes, 0, bytes.length);
        LLVMMemoryBufferRef source = LLVMCreateMemoryBufferWithMemoryRangeCopy(text, bytes.length, new BytePointer(symbol));
        text.close();
        LLVMModuleRef module = new LLVMModuleRef();
        BytePointer error = new BytePointer();
        if (LLVMParseIRInContext(t.context(), source, module, error) != 0) { // the buffer is consumed either way
            throw new IllegalStateException("generated LLVM IR does not parse (a tfjit bug): " + takeMessage(error) + "\n" + ir);
        }
        try {
            if (LLVMVerifyModule(module, LLVMReturnStatusAction, error) != 0) {
                throw new IllegalStateException("generated LLVM IR is invalid (a tfjit bug): " + takeMessage(error) + "\n" + ir);
            }
            LLVMPassBuilderOptionsRef options = LLVMCreatePassBuilderOptions();
            try {
                check(LLVMRunPasses(module, "default<O3>", t.machine(), options), "running the O3 pipeline");
            } finally {
                LLVMDisposePassBuilderOptions(options);
            }
            String optimized = keepStages ? takeMessage(LLVMPrintModuleToString(module)) : null;
            String assembly = keepStages ? new String(emit(t.machine(), module, LLVMAssemblyFile, true), StandardCharsets.UTF_8) : null;
            byte[] object = emit(t.machine(), module, LLVMObjectFile, true);
            return new ObjectCode(object, keepStages ? new Stages(ir, optimized, assembly) : null);
        } finally {
            LLVMDisposeModule(module);
        }
    }

    /**
     * Links an object made by {@link #compileToObject} into the JIT and returns the address of
     * {@code symbol}. No optimizer or code generator runs here, only the JIT linker. A symbol
     * can be linked once per process: the kernel cache guarantees that.
     */
    long link(byte[] object, String symbol) {
        BytePointer data = new BytePointer(object.length);
        data.put(object, 0, object.length);
        LLVMMemoryBufferRef buffer = LLVMCreateMemoryBufferWithMemoryRangeCopy(data, object.length, new BytePointer(symbol));
        data.close();
        long address;
        synchronized (jit) { // AddObjectFile takes ownership of the buffer, even on failure
            check(LLVMOrcLLJITAddObjectFile(jit, LLVMOrcLLJITGetMainJITDylib(jit), buffer), "linking the object");
            long[] found = new long[1];
            check(LLVMOrcLLJITLookup(jit, found, symbol), "looking up " + symbol);
            address = found[0];
        }
        if (address == 0) throw new IllegalStateException("the JIT resolved " + symbol + " to null");
        return address;
    }

    /** A compiled entry point and, when asked for, its IR stages. */
    record Compiled(long address, Stages stages) {}

    /** A relocatable object for the host and, when asked for, the IR stages that led to it. */
    record ObjectCode(byte[] object, Stages stages) {}

    private static LLVMMemoryBufferRef emitBuffer(LLVMTargetMachineRef machine, LLVMModuleRef module, int kind) {
        LLVMMemoryBufferRef out = new LLVMMemoryBufferRef();
        BytePointer error = new BytePointer();
        if (LLVMTargetMachineEmitToMemoryBuffer(machine, module, kind, error, out) != 0) {
            throw new IllegalStateException("LLVM code generation failed: " + takeMessage(error));
        }
        return out;
    }

    private static byte[] emit(LLVMTargetMachineRef machine, LLVMModuleRef module, int kind, boolean dispose) {
        LLVMMemoryBufferRef buf = emitBuffer(machine, module, kind);
        BytePointer start = LLVMGetBufferStart(buf);
        byte[] out = new byte[(int) LLVMGetBufferSize(buf)];
        start.get(out);
        if (dispose) LLVMDisposeMemoryBuffer(buf);
        return out;
    }

    private static void check(LLVMErrorRef err, String what) {
        if (err != null && !err.isNull()) {
            BytePointer msg = LLVMGetErrorMessage(err);
            String s = msg.getString();
            LLVMDisposeErrorMessage(msg);
            throw new IllegalStateException("LLVM failed " + what + ": " + s);
        }
    }

    /** Reads and frees a message LLVM allocated. */
    private static String takeMessage(BytePointer p) {
        if (p == null || p.isNull()) return "";
        String s = p.getString();
        LLVMDisposeMessage(p);
        return s;
    }
}
