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

import java.util.concurrent.TimeUnit;

/** {@code reduce_sum} over 16M float32 elements next to Java loops over the same float[]. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ReductionBandwidthBench {
    public static final int N = 16 << 20;

    private Tensor t;
    private float[] a;

    @Setup(Level.Trial)
    public void setUp() {
        a = new float[N];
        for (int i = 0; i < N; i++) a[i] = (i % 100) * 0.01f;
        t = Tf.constant(a, N);
    }

    @Benchmark
    public Tensor tfReduceSum() { return Tf.reduceSum(t); }

    /** The loop a Java programmer writes first: one accumulator, so latency-bound on the FP add. */
    @Benchmark
    public float javaSumSimple() {
        float s = 0;
        for (float v : a) s += v;
        return s;
    }

    /** Eight independent accumulators: what a bandwidth-bound reduction can reach in plain Java. */
    @Benchmark
    public float javaSum8Way() {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        float[] x = a;
        int i = 0;
        for (; i + 8 <= x.length; i += 8) {
            s0 += x[i]; s1 += x[i + 1]; s2 += x[i + 2]; s3 += x[i + 3];
            s4 += x[i + 4]; s5 += x[i + 5]; s6 += x[i + 6]; s7 += x[i + 7];
        }
        for (; i < x.length; i++) s0 += x[i];
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
