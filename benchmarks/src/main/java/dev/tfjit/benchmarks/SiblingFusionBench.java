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
 * Sibling (multi-output) fusion: {@code x*y} and {@code x*z} on [2048, 2048] float32 (16 MiB
 * each) in one function run as one loop that reads x once (read 48 MiB, write 32 MiB).
 * {@code separate} computes the same two products with two compiled functions, one loop each,
 * so x is read twice (read 64 MiB, write 32 MiB): the traffic without the fusion, in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SiblingFusionBench {
    static final int ROWS = 2048, COLS = 2048;

    private Tensor x, y, z;
    private Function siblings, product;

    @Setup(Level.Trial)
    public void setUp() {
        float[] jx = new float[ROWS * COLS], jy = new float[ROWS * COLS], jz = new float[ROWS * COLS];
        for (int i = 0; i < jx.length; i++) {
            jx[i] = ((i % 1000) - 500) * 0.004f;
            jy[i] = ((i % 777) - 388) * 0.01f;
            jz[i] = ((i % 333) - 166) * 0.02f;
        }
        x = Tf.constant(jx, ROWS, COLS);
        y = Tf.constant(jy, ROWS, COLS);
        z = Tf.constant(jz, ROWS, COLS);
        siblings = Function.of((Tensor p, Tensor q, Tensor r) -> List.of(Tf.multiply(p, q), Tf.multiply(p, r))).withJitCompile(true);
        product = Function.of((Tensor p, Tensor q) -> Tf.multiply(p, q)).withJitCompile(true);
        siblings.callAll(x, y, z); // compiles here, outside the measurement
        product.call(x, y);
    }

    /** Fused: one loop reads x, y and z and writes both products. */
    @Benchmark
    public List<Tensor> siblings() { return siblings.callAll(x, y, z); }

    /** The same products, one loop each: x is read twice. */
    @Benchmark
    public List<Tensor> separate() { return List.of(product.call(x, y), product.call(x, z)); }
}
