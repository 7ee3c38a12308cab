package dev.tfjit.benchmarks;

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
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Eager elementwise ops on 16M float32 elements (64 MiB per operand, far beyond any cache),
 * next to plain Java loops over float[] and a two-thread STREAM triad that stands for the
 * machine's memory bandwidth. {@link Report} turns the times into GB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ElementwiseBandwidthBench {
    public static final int N = 16 << 20;

    private Tensor ta, tb;
    private float[] a, b, out;
    private ExecutorService pool;

    @Setup(Level.Trial)
    public void setUp() {
        a = new float[N];
        b = new float[N];
        out = new float[N];
        for (int i = 0; i < N; i++) {
            a[i] = (i % 1000) * 0.5f + 1;
            b[i] = (i % 777) * 0.25f - 3;
        }
        ta = Tf.constant(a, N);
        tb = Tf.constant(b, N);
        pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "triad");
            t.setDaemon(true);
            return t;
        });
    }

    @TearDown(Level.Trial)
    public void tearDown() { pool.shutdownNow(); }

    @Benchmark
    public Tensor tfAdd() { return ta.add(tb); }

    @Benchmark
    public Tensor tfMul() { return ta.mul(tb); }

    @Benchmark
    public Tensor tfNeg() { return ta.neg(); }

    @Benchmark
    public float[] javaAdd() {
        float[] x = a, y = b, o = out;
        for (int i = 0; i < o.length; i++) o[i] = x[i] + y[i];
        return o;
    }

    @Benchmark
    public float[] javaMul() {
        float[] x = a, y = b, o = out;
        for (int i = 0; i < o.length; i++) o[i] = x[i] * y[i];
        return o;
    }

    @Benchmark
    public float[] javaNeg() {
        float[] x = a, o = out;
        for (int i = 0; i < o.length; i++) o[i] = -x[i];
        return o;
    }

    /** STREAM triad {@code out = a + s*b}, each of two threads on its half: the bandwidth ceiling. */
    @Benchmark
    public float[] triad2Threads() throws Exception {
        int half = N / 2;
        Future<?> first = pool.submit(() -> triad(0, half));
        Future<?> second = pool.submit(() -> triad(half, N));
        first.get();
        second.get();
        return out;
    }

    private void triad(int from, int to) {
        float[] x = a, y = b, o = out;
        float s = 3f;
        for (int i = from; i < to; i++) o[i] = x[i] + s * y[i];
    }
}
