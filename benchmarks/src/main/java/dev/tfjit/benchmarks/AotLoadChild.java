package dev.tfjit.benchmarks;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Shape;
import dev.tfjit.runtime.aot.AotFunction;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;

/**
 * Runs in a fresh JVM whose class path holds only the ir and runtime classes (see
 * {@link AotLoadTime}): times {@link AotFunction#load} of the artifact in {@code args[0]} (wall
 * and CPU time), then the first call including making its inputs, and prints them on one line.
 */
public final class AotLoadChild {
    private AotLoadChild() {}

    public static void main(String[] args) {
        // CPU time as well as wall time: on a busy machine the wall time is mostly waiting for a core.
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Path dir = Path.of(args[0]);
        long c0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        AotFunction f = AotFunction.load(dir);
        long t1 = System.nanoTime();
        long c1 = mx.getCurrentThreadCpuTime();
        Buffer x = Buffer.ofFloats(Shape.of(4), 1, 2, 3, 4);
        f.run(x);
        long t2 = System.nanoTime();
        boolean llvm;
        try {
            Class.forName("org.bytedeco.llvm.global.LLVM");
            llvm = true;
        } catch (ClassNotFoundException e) {
            llvm = false;
        }
        System.out.println("load_ns=" + (t1 - t0) + " load_cpu_ns=" + (c1 - c0) + " first_call_ns=" + (t2 - t1)
                + " llvm_on_class_path=" + llvm);
    }
}
