package dev.tfjit.benchmarks;

import dev.tfjit.ir.DType;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.GradientTape;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorSpec;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A training step of a small recurrent cell, {@code h = tanh(h W + x_t U + b)} over a sequence
 * of {@link #STEPS} rows whose length is a run-time dim, loss {@code mean(h^2)}: the forward
 * while loop, its gradient (a loop that pushes each iteration's state onto a dynamically sized
 * TensorArray and one that pops it) and the SGD updates, as one Function on the interpreter and
 * compiled by the llvm-cpu backend.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WhileGradientBench {
    static final int STEPS = 64, INPUT = 8, HIDDEN = 16;

    private Function interpreted;
    private Function compiled;
    private Tensor xs;

    @Setup(Level.Trial)
    public void setUp() {
        Tf.random.setSeed(3);
        xs = Tf.random.normal(STEPS, INPUT);
        interpreted = step(variables());
        compiled = step(variables()).withJitCompile(true);
        interpreted.call(xs); // traces here
        compiled.call(xs); // compiles here
    }

    private static List<Variable> variables() {
        return List.of(new Variable(Tf.random.normal(HIDDEN, HIDDEN).mul(0.2f)), new Variable(Tf.random.normal(INPUT, HIDDEN).mul(0.2f)),
                new Variable(Tf.zeros(HIDDEN)));
    }

    private static Function step(List<Variable> v) {
        return Function.of((Tensor in) -> {
            GradientTape tape = new GradientTape();
            Tensor steps = Tf.getItem(Tf.shape(in), "0");
            List<Tensor> out = Tf.whileLoop(s -> Tf.less(s.get(0), steps), s -> {
                Tensor x = Tf.expandDims(Tf.gather(in, s.get(0)), 0);
                Tensor pre = Tf.matmul(Tf.expandDims(s.get(1), 0), v.get(0).read()).add(Tf.matmul(x, v.get(1).read()));
                return List.of(s.get(0).add(Tf.constant(1)), Tf.tanh(Tf.reshape(pre, new int[] {HIDDEN}).add(v.get(2).read())));
            }, List.of(Tf.constant(0), Tf.zeros(HIDDEN)));
            Tensor loss = Tf.reduceMean(Tf.square(out.get(1)));
            tape.close();
            List<Tensor> grads = tape.gradient(loss, new ArrayList<Object>(v));
            for (int i = 0; i < v.size(); i++) v.get(i).assignSub(grads.get(i).mul(0.01f));
            return loss;
        }).withInputSignature(TensorSpec.of(DType.FLOAT32, "?", INPUT));
    }

    /** The step on the reference interpreter. */
    @Benchmark
    public Tensor interpretedStep() { return interpreted.call(xs); }

    /** The same step as native code (the gradient's TensorArrays grow in native memory). */
    @Benchmark
    public Tensor compiledStepLlvm() { return compiled.call(xs); }
}
