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
 * Row-wise kernels over a {@code [4096, 1024]} float32 matrix, compiled by the llvm-cpu backend
 * from the ops a user writes (as XLA sees softmax and layer normalization): a reduction over the
 * last axis whose result is broadcast back along that axis. {@link Report} compares the bytes
 * read and written once each (16 MiB in, 16 MiB out) with the STREAM triad (goal: 70%).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RowKernelBench {
    public static final int ROWS = 4096, COLS = 1024;

    private Tensor x, gamma, beta;
    private Function softmax, layerNorm;

    @Setup(Level.Trial)
    public void setUp() {
        float[] v = new float[ROWS * COLS];
        for (int i = 0; i < v.length; i++) v[i] = (float) Math.sin(i * 0.37) * 4 + (i % 13) * 0.1f;
        float[] g = new float[COLS], bt = new float[COLS];
        for (int j = 0; j < COLS; j++) {
            g[j] = 1 + (j % 5) * 0.1f;
            bt[j] = (j % 3) * 0.05f;
        }
        x = Tf.constant(v, ROWS, COLS);
        gamma = Tf.constant(g, COLS);
        beta = Tf.constant(bt, COLS);
        softmax = Function.of((Tensor t) -> {
            Tensor e = Tf.exp(t.sub(Tf.reduceMax(t, new int[] {-1}, true)));
            return e.div(Tf.reduceSum(e, new int[] {-1}, true));
        }).withJitCompile(true);
        // keras.layers.LayerNormalization's computation (nn module), epsilon 1e-3.
        layerNorm = Function.of((Tensor t, Tensor gm, Tensor bt2) -> {
            Tensor mean = Tf.reduceMean(t, new int[] {-1}, true);
            Tensor variance = Tf.reduceMean(Tf.square(t.sub(mean)), new int[] {-1}, true);
            return t.sub(mean).mul(Tf.rsqrt(variance.add(1e-3f))).mul(gm).add(bt2);
        }).withJitCompile(true);
        softmax.call(x);
        layerNorm.call(x, gamma, beta);
    }

    /** {@code exp(x - max(x)) / sum(exp(x - max(x)))} along the last axis. */
    @Benchmark
    public Tensor softmax() { return softmax.call(x); }

    /** {@code (x - mean) * rsqrt(var + eps) * gamma + beta} along the last axis. */
    @Benchmark
    public Tensor layerNorm() { return layerNorm.call(x, gamma, beta); }
}
