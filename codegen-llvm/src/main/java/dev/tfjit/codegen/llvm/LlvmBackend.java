package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Graph;
import dev.tfjit.runtime.Backend;
import dev.tfjit.runtime.Device;
import dev.tfjit.runtime.Executable;

/**
 * The LLVM CPU backend: each graph becomes one native function per concrete signature, its
 * elementwise chains fused into loops that O3 vectorizes for the host CPU.
 */
public final class LlvmBackend implements Backend {
    public static final String NAME = "llvm-cpu";

    private static volatile Boolean available;

    @Override public String name() { return NAME; }

    @Override public Device device() { return Device.CPU; }

    /**
     * Below the interpreter's 0 while this backend lowers only part of the op catalog, so a
     * program is never switched to it by accident: it is chosen explicitly, with
     * {@code Function.withJitCompile(true)} (TensorFlow's {@code jit_compile=True}) or
     * {@code -Dtfjit.backend=llvm-cpu}, and then an op it cannot lower is a compile-time error.
     */
    @Override public int priority() { return -10; }

    /** Whether LLVM's native library loads on this machine (checked once). */
    @Override
    public boolean isAvailable() {
        Boolean a = available;
        if (a == null) {
            try {
                NativeJit.get();
                a = true;
            } catch (Throwable t) { // no native LLVM for this platform: the backend simply is not offered
                a = false;
            }
            available = a;
        }
        return a;
    }

    @Override
    public Executable compile(Graph g) {
        Lowerability.check(g);
        return new LlvmExecutable(g);
    }
}
