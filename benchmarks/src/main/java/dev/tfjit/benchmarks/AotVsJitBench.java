package dev.tfjit.benchmarks;

import dev.tfjit.codegen.llvm.AotCompiler;
import dev.tfjit.codegen.llvm.AotEntry;
import dev.tfjit.codegen.llvm.AotRequest;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.IrParser;
import dev.tfjit.ir.Shape;
import dev.tfjit.runtime.Backends;
import dev.tfjit.runtime.Executable;
import dev.tfjit.runtime.aot.AotFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The same graph run by the LLVM JIT ({@code llvm-cpu} backend's executable) and as an
 * ahead-of-time artifact ({@link AotFunction}), both from Java buffers to fresh result buffers.
 * {@code tiny} (4 floats) measures the call overhead, {@code mlp} (a 32x784 batch through a
 * 784-300 dense layer with relu) and {@code stream} (exp and add over 4M floats) the kernels.
 * Run: {@code java --enable-native-access=ALL-UNNAMED -cp CLASSPATH org.openjdk.jmh.Main AotVsJitBench}.
 * The artifact is compiled for the host CPU, as the JIT compiles. The load time of an artifact
 * in a fresh JVM is measured by {@link AotLoadTime}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 8, time = 1) // the native memory pool takes a few seconds to fill for 16 MiB results
@Measurement(iterations = 8, time = 1)
public class AotVsJitBench {
    @Param({"tiny", "mlp", "stream"})
    public String workload;

    private Executable jit;
    private AotFunction aot;
    private List<Buffer> args;

    private record Workload(String ir, List<Buffer> args) {}

    private static Workload workload(String name) {
        return switch (name) {
            case "tiny" -> new Workload("""
                    func @tiny(%x: f32[4]) -> f32[4] {
                      %two = constant {value=dense<f32[]: 2.0>} : f32[]
                      %one = constant {value=dense<f32[]: 1.0>} : f32[]
                      %0 = mul %x, %two : f32[4]
                      %1 = add %0, %one : f32[4]
                      return %1
                    }
                    """, List.of(filled(Shape.of(4))));
            case "mlp" -> new Workload("""
                    func @mlp(%x: f32[32,784], %w: f32[784,300], %b: f32[300]) -> f32[32,300] {
                      %0 = matmul %x, %w : f32[32,300]
                      %1 = add %0, %b : f32[32,300]
                      %2 = relu %1 : f32[32,300]
                      return %2
                    }
                    """, List.of(filled(Shape.of(32, 784)), filled(Shape.of(784, 300)), filled(Shape.of(300))));
            case "stream" -> new Workload("""
                    func @stream(%x: f32[4194304], %y: f32[4194304]) -> f32[4194304] {
                      %0 = exp %x : f32[4194304]
                      %1 = add %0, %y : f32[4194304]
                      return %1
                    }
                    """, List.of(filled(Shape.of(4 << 20)), filled(Shape.of(4 << 20))));
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static Buffer filled(Shape s) {
        float[] v = new float[(int) s.numElements()];
        for (int i = 0; i < v.length; i++) v[i] = ((i * 7919) % 1000) / 1000f - 0.5f;
        return Buffer.ofFloats(s, v);
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Workload w = workload(workload);
        Graph g = IrParser.parse(w.ir());
        args = w.args();
        jit = Backends.named("llvm-cpu").compile(g);
        jit.run(args); // compiles the kernel for these shapes
        Path dir = Files.createTempDirectory("tfjit-aot-bench");
        List<Shape> shapes = new ArrayList<>();
        for (Buffer b : args) shapes.add(b.shape());
        AotCompiler.compile(AotRequest.of(workload, AotEntry.of(g, shapes)), dir);
        aot = AotFunction.load(dir);
        float[] a = aot.run(args).get(0).toFloatArray(), j = jit.run(args).get(0).toFloatArray();
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - j[i]) > 1e-4f * Math.max(1, Math.abs(j[i]))) {
                throw new IllegalStateException(workload + ": the artifact and the JIT disagree at " + i + ": " + a[i] + " vs " + j[i]);
            }
        }
    }

    @Benchmark
    public List<Buffer> jit() { return jit.run(args); }

    @Benchmark
    public List<Buffer> aot() { return aot.run(args); }

    /** The artifact's entry point without dispatch by argument types. */
    @Benchmark
    public List<Buffer> aotEntry() { return aot.entries().get(0).run(args); }
}
