package dev.tfjit.benchmarks;

import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * Square float32 products {@code [n, n] x [n, n]} compiled by the llvm-cpu backend;
 * {@link Report} turns the times into GFLOP/s ({@code 2 n^3} per call). Goals on the two cores:
 * 100 GFLOP/s at 1024, 55 at 256. {@link #matmulBiasRelu} adds the dense layer's epilogue.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MatMulBench {
    @Param({"256", "1024"})
    public int n;

    private Tensor a, b, bias;
    private Function matmul, matmulBiasRelu;

    @Setup(Level.Trial)
    public void setUp() {
        float[] x = new float[n * n], y = new float[n * n], z = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = ((i * 7 % 101) - 50) * 0.01f;
            y[i] = ((i * 13 % 97) - 48) * 0.01f;
        }
        for (int j = 0; j < n; j++) z[j] = (j % 9) * 0.1f - 0.4f;
        a = Tf.constant(x, n, n);
        b = Tf.constant(y, n, n);
        bias = Tf.constant(z, n);
        matmul = Function.of((Tensor p, Tensor q) -> Tf.matmul(p, q)).withJitCompile(true);
        matmulBiasRelu = Function.of((Tensor p, Tensor q, Tensor r) -> Tf.relu(Tf.matmul(p, q).add(r))).withJitCompile(true);
        matmul.call(a, b);
        matmulBiasRelu.call(a, b, bias);
    }

    @Benchmark
    public Tensor matmul() { return matmul.call(a, b); }

    /** {@code relu(a @ b + bias)}: a dense layer's forward pass. */
    @Benchmark
    public Tensor matmulBiasRelu() { return matmulBiasRelu.call(a, b, bias); }
}
