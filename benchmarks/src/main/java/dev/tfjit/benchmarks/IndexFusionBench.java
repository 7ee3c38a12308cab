package dev.tfjit.benchmarks;

import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Concat as index arithmetic in its reader's loop: {@code relu(concat([a, b], 1))} on a
 * [2048, 2048] float32 result (16 MiB) should cost what {@code relu(x)} of the same size costs
 * (read 16 MiB, write 16 MiB), measured in the same run. {@code reluConcatStored} also returns
 * the concat, so it is stored before relu reads it again: the traffic of the unfused kernels.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class IndexFusionBench {
    static final int ROWS = 2048, HALF = 1024;

    private Tensor a, b, x;
    private Function reluConcat, reluConcatStored, relu;

    @Setup(Level.Trial)
    public void setUp() {
        float[] ja = new float[ROWS * HALF], jb = new float[ROWS * HALF], jx = new float[ROWS * 2 * HALF];
        for (int i = 0; i < ja.length; i++) {
            ja[i] = ((i % 1000) - 500) * 0.004f;
            jb[i] = ((i % 777) - 388) * 0.01f;
        }
        for (int i = 0; i < jx.length; i++) jx[i] = ((i % 333) - 166) * 0.02f;
        a = Tf.constant(ja, ROWS, HALF);
        b = Tf.constant(jb, ROWS, HALF);
        x = Tf.constant(jx, ROWS, 2 * HALF);
        reluConcat = Function.of((Tensor p, Tensor q) -> Tf.relu(Tf.concat(List.of(p, q), 1))).withJitCompile(true);
        reluConcatStored = Function.of((Tensor p, Tensor q) -> {
            Tensor c = Tf.concat(List.of(p, q), 1);
            return List.of(Tf.relu(c), c);
        }).withJitCompile(true);
        relu = Function.of((Tensor p) -> Tf.relu(p)).withJitCompile(true);
        reluConcat.call(a, b); // compiles here, outside the measurement
        reluConcatStored.callAll(a, b);
        relu.call(x);
    }

    /** Fused: reads a and b, writes the result. */
    @Benchmark
    public Tensor reluConcat() { return reluConcat.call(a, b); }

    /** The concat stored as well: one more write and read of 16 MiB, as before concat fused. */
    @Benchmark
    public List<Tensor> reluConcatStored() { return reluConcatStored.callAll(a, b); }

    /** The bound: one elementwise kernel over a single input of the same size. */
    @Benchmark
    public Tensor relu() { return relu.call(x); }
}
