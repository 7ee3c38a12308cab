package dev.tfjit.benchmarks;

import dev.tfjit.autograph.Autograph;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Traceable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * A scalar loop written as Java and converted by AutoGraph into one staged while node
 * ({@code while (i < n) { x = 3.9 x (1 - x); i++; }}, the logistic map), per iteration:
 * compiled by llvm-cpu ({@code jit_compile}), where the whole loop is native code, against the
 * same staged graph on the interpreter (which runs the loop's regions node by node from Java),
 * the converted code run eagerly (op by op, as TF's eager mode), and the plain Java loop.
 * A Java call per iteration would cost at least an upcall (tens of ns); the native loop is at
 * the Java loop's speed, a few ns. The slow variants run fewer iterations; all report ns/iteration.
 *
 * <pre>
 * ./tfjit bench AutographLoopBench (the benchmarks run from benchmarks/target/classes plus benchmarks/target/bench.classpath)
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
public class AutographLoopBench {
    static final int NATIVE_ITERATIONS = 1_000_000;
    static final int SLOW_ITERATIONS = 10_000;

    private final Tensor million = Tf.constant(NATIVE_ITERATIONS);
    private final Tensor tenThousand = Tf.constant(SLOW_ITERATIONS);
    private Function onLlvm, onInterpreter;
    private Traceable.F1<Tensor> code;

    @Setup
    public void setUp() {
        code = n -> {
            Tensor i = Tf.constant(0);
            Tensor x = Tf.constant(0.5f);
            while (i.less(n).booleanValue()) {
                x = x.mul(3.9f).mul(Tf.constant(1f).sub(x));
                i = i.add(1);
            }
            return x;
        };
        onLlvm = Autograph.function(code).withJitCompile(true);
        onInterpreter = Autograph.function(code);
        // Trace and compile outside the measurement, and check both give Java's float32 result.
        float expected = javaLoop(NATIVE_ITERATIONS);
        if (onLlvm.call(million).floatValue() != expected) throw new IllegalStateException("llvm-cpu differs from Java");
        if (onInterpreter.call(tenThousand).floatValue() != javaLoop(SLOW_ITERATIONS)) throw new IllegalStateException("interpreter differs");
        if (!"llvm-cpu".equals(onLlvm.concreteFunctions().get(0).backendName())) throw new IllegalStateException("not on llvm-cpu");
    }

    private static float javaLoop(int n) {
        float x = 0.5f;
        for (int i = 0; i < n; i++) x = x * 3.9f * (1f - x);
        return x;
    }

    /** The converted loop as one native function: 1M iterations per call. */
    @Benchmark
    @OperationsPerInvocation(NATIVE_ITERATIONS)
    public float stagedWhileOnLlvm() { return onLlvm.call(million).floatValue(); }

    /** The same staged while node on the interpreter: 10k iterations per call. */
    @Benchmark
    @OperationsPerInvocation(SLOW_ITERATIONS)
    public float stagedWhileOnInterpreter() { return onInterpreter.call(tenThousand).floatValue(); }

    /** The Java code itself on eager tensors, op by op: 10k iterations per call. */
    @Benchmark
    @OperationsPerInvocation(SLOW_ITERATIONS)
    public float eagerJava() { return ((Tensor) code.apply(tenThousand)).floatValue(); }

    /** The plain Java loop on floats: the floor. */
    @Benchmark
    @OperationsPerInvocation(NATIVE_ITERATIONS)
    public float plainJavaLoop() { return javaLoop(NATIVE_ITERATIONS); }
}
