package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.runtime.Executable;
import dev.tfjit.runtime.KernelCache;

import java.util.Arrays;
import java.util.List;

/**
 * A fresh JVM for {@link KernelCacheLlvmTest}: loads LLVM, then runs three functions through the
 * llvm-cpu backend (and looks up a third kernel directly) with the disk cache of {@code -Dtfjit.cache.dir}, and prints what it
 * computed, which cache paths were taken and how long each first call took.
 */
public final class DiskCacheChildMain {
    static final String POLY = """
            func @poly(%x: f32[?]) -> f32[?] {
              %0 = mul %x, %x : f32[?]
              %1 = add %0, %x : f32[?]
              return %1
            }
            """;
    static final String DIV0 = """
            func @div0(%x: i32[?], %y: i32[?]) -> i32[?] {
              %0 = floor_div %x, %y : i32[?] loc(Model.java:42)
              return %0
            }
            """;

    /** Twenty ops, enough work to be compiled in two sections ({@link Sections}): its entry holds two objects. */
    static final String HEAVY = """
            func @heavy(%x: f32[?], %y: f32[?]) -> f32[?] {
              %0 = constant {value=dense<f32[]: 1.5>} : f32[]
              %1 = mul %x, %0 : f32[?]
              %2 = add %1, %y : f32[?]
              %3 = tanh %2 : f32[?]
              %4 = sub %3, %x : f32[?]
              %5 = exp %4 : f32[?]
              %6 = div %5, %2 : f32[?]
              %7 = maximum %6, %x : f32[?]
              %8 = sigmoid %7 : f32[?]
              %9 = mul %8, %3 : f32[?]
              %10 = reduce_sum %9 {keepdims=false} : f32[]
              %11 = reduce_max %4 {keepdims=false} : f32[]
              %12 = sub %9, %10 : f32[?]
              %13 = mul %12, %11 : f32[?]
              %14 = sqrt %13 : f32[?]
              %15 = exp %14 : f32[?]
              %16 = tanh %15 : f32[?]
              return %16
            }
            """;

    public static void main(String[] args) {
        long t0 = System.nanoTime();
        NativeJit.get();
        long t1 = System.nanoTime();
        CompilerVersion.get();
        long t2 = System.nanoTime();
        Executable poly = new LlvmBackend().compile(Oracle.parse(POLY));
        Executable div0 = new LlvmBackend().compile(Oracle.parse(DIV0));
        Buffer x = Buffer.ofFloats(Shape.of(4), 1, -2, 0.5f, 3);
        long t3 = System.nanoTime();
        float[] y = poly.run(List.of(x)).get(0).toFloatArray();
        long t4 = System.nanoTime();
        String error;
        try {
            div0.run(List.of(Buffer.ofInts(Shape.of(2), 1, 2), Buffer.ofInts(Shape.of(2), 1, 0)));
            error = "none";
        } catch (InvalidArgumentError e) {
            error = e.getMessage();
        }
        long t5 = System.nanoTime();
        List<Buffer> heavyArgs = List.of(Buffer.ofFloats(Shape.of(4), 1, -2, 0.5f, 3), Buffer.ofFloats(Shape.of(4), 0.25f, 1, -1, 2));
        Buffer heavy = new LlvmBackend().compile(Oracle.parse(HEAVY)).run(heavyArgs).get(0);
        Buffer heavyWanted = dev.tfjit.runtime.Interpreter.run(Oracle.parse(HEAVY), heavyArgs).get(0);
        // A third function, its kernel looked up directly: the disk-hit path once Java is warm.
        var g = Oracle.parse(POLY.replace("@poly", "@poly3"));
        long k0 = System.nanoTime();
        LlvmKernels.key(g, List.of(Shape.of(4)));
        long k1 = System.nanoTime();
        LlvmKernels.kernel(g, List.of(Shape.of(4)));
        long k2 = System.nanoTime();
        KernelCache.Stats s = LlvmKernels.cache().stats();
        System.out.println("poly " + Arrays.toString(y));
        System.out.println("error " + error);
        System.out.println("heavy " + Arrays.toString(heavy.toFloatArray()) + " interpreter " + Arrays.toString(heavyWanted.toFloatArray()));
        System.out.println("stats " + s.memoryHits() + " " + s.diskHits() + " " + s.compiles());
        System.out.printf("timing llvm-load %.1f ms, fingerprint %.1f ms, first call (poly) %.2f ms, second kernel (div0) %.2f ms,"
                + " third kernel: key %.2f ms + lookup %.2f ms%n",
                ms(t1 - t0), ms(t2 - t1), ms(t4 - t3), ms(t5 - t4), ms(k1 - k0), ms(k2 - k1 - (k1 - k0)));
    }

    private static double ms(long nanos) { return nanos / 1e6; }
}
