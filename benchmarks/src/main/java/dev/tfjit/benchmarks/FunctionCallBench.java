package dev.tfjit.benchmarks;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Graph;
import dev.tfjit.runtime.Interpreter;
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
 * What a call of a cached traced function costs on top of running its graph: the signature
 * check against the last concrete function (or the cache lookup) and the argument checks.
 * The three benchmarks run the same graph; their differences are the overheads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FunctionCallBench {
    private final Tensor x = Tf.constant(3f);
    private final Function f = Function.of((Tensor t) -> t.mul(2f).add(1f));
    private final ConcreteFunction concrete = f.concrete(x);
    private final Graph graph = concrete.graph();
    private final List<Buffer> args = List.of(x.buffer());
    private final List<Tensor> tensorArgs = List.of(x);

    /** The user's call: cache lookup, argument checks, graph execution, result wrapping. */
    @Benchmark
    public Tensor functionCall() { return f.call(x); }

    /** The concrete function directly: argument checks and execution, no cache lookup. */
    @Benchmark
    public List<Tensor> concreteCall() { return concrete.callFlat(tensorArgs); }

    /** The graph on the interpreter alone: the floor both of the above stand on. */
    @Benchmark
    public List<Buffer> interpreterOnly() { return Interpreter.run(graph, args); }
}
