package dev.tfjit.benchmarks;

import dev.tfjit.tracer.ConcreteFunction;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What one call of a compiled function costs when the work is nothing: scalar {@code x*2+1} on
 * the llvm-cpu backend (goal: under 2 us), next to the same function on the interpreter
 * ({@link FunctionCallBench}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CompiledCallBench {
    private final Tensor x = Tf.constant(3f);
    private final Function f = Function.of((Tensor t) -> t.mul(2f).add(1f)).withJitCompile(true);
    private final ConcreteFunction concrete = f.concrete(x);
    private final List<Tensor> args = List.of(x);

    /** The user's call: signature check, argument checks, the native call, result wrapping. */
    @Benchmark
    public Tensor functionCall() { return f.call(x); }

    /** The concrete function directly: no signature lookup. */
    @Benchmark
    public List<Tensor> concreteCall() { return concrete.callFlat(args); }
}
