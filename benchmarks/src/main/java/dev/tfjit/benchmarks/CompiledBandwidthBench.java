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

import java.util.concurrent.TimeUnit;

/**
 * Fused kernels of the llvm-cpu backend on 16M float32 elements per operand (64 MiB each, far
 * beyond any cache), compiled with {@code withJitCompile(true)}. {@link Report} divides the bytes
 * each call must read and write by its time and compares that with the two-thread STREAM triad
 * of {@link ElementwiseBandwidthBench} measured in the same run (goal: at least 85%).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CompiledBandwidthBench {
    public static final int N = ElementwiseBandwidthBench.N;

    private Tensor a, b, c;
    private float[] ja, jb, jc;
    private Function reduceSumFma, activations;

    @Setup(Level.Trial)
    public void setUp() {
        ja = new float[N];
        jb = new float[N];
        jc = new float[N];
        for (int i = 0; i < N; i++) {
            ja[i] = ((i % 1000) - 500) * 0.004f;
            jb[i] = ((i % 777) - 388) * 0.01f;
            jc[i] = ((i % 333) - 166) * 0.02f;
        }
        a = Tf.constant(ja, N);
        b = Tf.constant(jb, N);
        c = Tf.constant(jc, N);
        reduceSumFma = Function.of((Tensor x, Tensor y, Tensor z) -> Tf.reduceSum(x.mul(y).add(z))).withJitCompile(true);
        activations = Function.of((Tensor x, Tensor y, Tensor z) -> Tf.tanh(x).mul(Tf.sigmoid(y)).add(Tf.relu(z).mul(0.5f)))
                .withJitCompile(true);
        reduceSumFma.call(a, b, c); // compiles here, outside the measurement
        activations.call(a, b, c);
    }

    /** {@code reduce_sum(a*b+c)}: reads 3 x 64 MiB, writes one float. */
    @Benchmark
    public Tensor reduceSumFma() { return reduceSumFma.call(a, b, c); }

    /** {@code tanh(a)*sigmoid(b)+relu(c)*0.5}: reads 3 x 64 MiB, writes 64 MiB. */
    @Benchmark
    public Tensor activations() { return activations.call(a, b, c); }

    /** The same sum as a plain Java loop on one thread, eight accumulators (not TF's order). */
    @Benchmark
    public float javaReduceSumFma() {
        float[] x = ja, y = jb, z = jc;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        for (int i = 0; i < N; i += 8) {
            s0 += x[i] * y[i] + z[i];
            s1 += x[i + 1] * y[i + 1] + z[i + 1];
            s2 += x[i + 2] * y[i + 2] + z[i + 2];
            s3 += x[i + 3] * y[i + 3] + z[i + 3];
            s4 += x[i + 4] * y[i + 4] + z[i + 4];
            s5 += x[i + 5] * y[i + 5] + z[i + 5];
            s6 += x[i + 6] * y[i + 6] + z[i + 6];
            s7 += x[i + 7] * y[i + 7] + z[i + 7];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
