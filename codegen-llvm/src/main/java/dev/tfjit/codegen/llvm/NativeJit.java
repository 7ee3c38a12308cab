package dev.tfjit.codegen.llvm;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMErrorRef;
import org.bytedeco.llvm.LLVM.LLVMMemoryBufferRef;
import org.bytedeco.llvm.LLVM.LLVMOrcLLJITRef;
import org.bytedeco.llvm.LLVM.LLVMTargetMachineRef;


import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.bytedeco.llvm.global.LLVM.*;

/**
 * LLVM for the host CPU: a module's IR text through {@link LlvmPipeline} (parse, verify, O3, an
 * object in memory), linked into one process-wide ORC LLJIT. Contexts and target machines
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

    /** The most sections any machine compiles a function in (a kernel cache entry with more is malformed). */
    static final int SECTIONS_LIMIT = 4;

    /**
     * How many sections a function may be compiled in at once ({@link FunctionEmitter}): one per
     * core, at least two (so every machine runs the same code paths) and at most four.
     */
    static final int SECTIONS = Math.clamp(Runtime.getRuntime().availableProcessors(), 2, SECTIONS_LIMIT);

    /** The threads that compile every section but the first, which the calling thread compiles itself. */
    private static final ExecutorService SECTION_COMPILERS = Executors.newFixedThreadPool(SECTIONS - 1, r -> {
        Thread t = new Thread(r, "tfjit-llvm-section");
        t.setDaemon(true);
        return t;
    });

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
        return LlvmPipeline.targetMachine(triple, targetCpu, targetFeatures, relocation, codeModel);
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
     * {@link #compileToObject} for each module of a function written in sections, all at once:
     * the first on this thread, the others on {@link #SECTION_COMPILERS} (whose tasks never
     * wait for anything, so a busy pool only delays them). Objects in the modules' order.
     */
    List<ObjectCode> compileSections(List<String> modules, String symbol, boolean keepStages) {
        List<Future<ObjectCode>> rest = new ArrayList<>();
        for (int i = 1; i < modules.size(); i++) {
            String ir = modules.get(i), name = FunctionEmitter.sectionSymbol(symbol, i);
            rest.add(SECTION_COMPILERS.submit(() -> compileToObject(ir, name, keepStages)));
        }
        List<ObjectCode> objects = new ArrayList<>();
        objects.add(compileToObject(modules.getFirst(), symbol, keepStages));
        for (Future<ObjectCode> r : rest) {
            try {
                objects.add(r.get());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) throw re;
                if (e.getCause() instanceof Error err) throw err;
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while compiling " + symbol, e);
            }
        }
        return objects;
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
        LlvmPipeline.Output out = LlvmPipeline.compile(t.context(), t.machine(), ir, symbol, keepStages, keepStages, true);
        return new ObjectCode(out.object(), keepStages ? new Stages(ir, out.optimizedIr(), out.assembly()) : null);
    }

    /**
     * Links an object made by {@link #compileToObject} into the JIT and returns the address of
     * {@code symbol}. No optimizer or code generator runs here, only the JIT linker. A symbol
     * can be linked once per process: the kernel cache guarantees that.
     */
    long link(byte[] object, String symbol) { return link(List.of(object), symbol); }

    /** {@link #link(byte[], String)} for the objects of a function compiled in sections, which refer to each other. */
    long link(List<byte[]> objects, String symbol) {
        long address;
        synchronized (jit) {
            for (byte[] object : objects) {
                BytePointer data = new BytePointer(object.length);
                data.put(object, 0, object.length);
                LLVMMemoryBufferRef buffer = LLVMCreateMemoryBufferWithMemoryRangeCopy(data, object.length, new BytePointer(symbol));
                data.close();
                // AddObjectFile takes ownership of the buffer, even on failure
                check(LLVMOrcLLJITAddObjectFile(jit, LLVMOrcLLJITGetMainJITDylib(jit), buffer), "linking the object");
            }
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

    private static void check(LLVMErrorRef err, String what) { LlvmPipeline.check(err, what); }

    private static String takeMessage(BytePointer p) { return LlvmPipeline.takeMessage(p); }
}
