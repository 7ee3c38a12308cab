package dev.tfjit.benchmarks;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.IrParser;
import dev.tfjit.runtime.Backends;
import dev.tfjit.runtime.Executable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The stateful random ops over 1M float32 elements, compiled by the llvm-cpu backend and run by
 * the interpreter (the same numbers either way), beside a plain Java loop filling the same
 * number of floats from {@link SplittableRandom} (a much cheaper generator than Philox4x32-10,
 * so a bound on what any generator costs per element here). Run:
 * {@code java --enable-native-access=ALL-UNNAMED -cp CLASSPATH org.openjdk.jmh.Main RandomOpsBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class RandomOpsBench {
    private static final int N = 1 << 20;

    @Param({"random_uniform", "random_standard_normal", "truncated_normal"})
    public String op;

    private Executable compiled, interpreted;
    private final float[] plain = new float[N];
    private final SplittableRandom java = new SplittableRandom(1);

    @Setup
    public void setup() {
        Graph g = IrParser.parse("""
                func @r() -> f32[N] {
                  %0 = OP {shape=[N], dtype=f32, seed=1, seed2=2, stream=1} : f32[N]
                  return %0
                }
                """.replace("OP", op).replace("N", Integer.toString(N)));
        compiled = Backends.named("llvm-cpu").compile(g);
        interpreted = Backends.named("interpreter").compile(g);
    }

    @Benchmark
    public List<Buffer> llvmCpu() { return compiled.run(List.of()); }

    @Benchmark
    public List<Buffer> interpreter() { return interpreted.run(List.of()); }

    /** Baseline: 1M uniform floats from SplittableRandom in a Java loop. */
    @Benchmark
    public float[] javaLoop() {
        for (int i = 0; i < N; i++) plain[i] = java.nextFloat();
        return plain;
    }
}
