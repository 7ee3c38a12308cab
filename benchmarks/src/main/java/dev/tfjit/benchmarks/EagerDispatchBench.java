package dev.tfjit.benchmarks;

import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * What one eager op costs when the data is too small to matter: type rule, kernel dispatch,
 * buffer allocation and tensor wrapping. {@code x.mul(2f).add(1f)} is two user ops and four
 * dispatches (each Java number becomes a scalar constant first, as in TensorFlow).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EagerDispatchBench {
    private final Tensor x = Tf.constant(3f);
    private final Tensor two = Tf.constant(2f);

    /** The brief's expression: two user-level ops on a scalar. */
    @Benchmark
    public Tensor scalarMulAdd() { return x.mul(2f).add(1f); }

    /** One dispatch on two existing tensors: the floor of eager overhead. */
    @Benchmark
    public Tensor scalarAddTensors() { return x.add(two); }
}
