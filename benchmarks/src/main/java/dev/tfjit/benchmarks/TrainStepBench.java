package dev.tfjit.benchmarks;

import dev.tfjit.nn.Sequential;
import dev.tfjit.nn.layers.Dense;
import dev.tfjit.nn.losses.Huber;
import dev.tfjit.nn.optimizers.SGD;
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
 * One training step of a small regression MLP (8-30-1, batch 256, Huber loss, plain SGD):
 * forward pass, tape, gradients, weight updates and the loss tracker. {@link #compiledStep}
 * runs the step as the one traced Function {@code Model.fit} uses; {@link #eagerStep} runs
 * the same Java code op by op, so their ratio is what tracing buys on a step this small,
 * where dispatch, not arithmetic, dominates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TrainStepBench {
    static final int BATCH = 256;

    private Sequential model;
    private Function compiled;
    private Function compiledLlvm;
    private Tensor x;
    private Tensor y;

    @Setup(Level.Trial)
    public void setUp() {
        Tf.random.setSeed(7);
        model = new Sequential(new int[] {8}, new Dense(30, "relu"), new Dense(1));
        model.compile(new SGD(0.01), new Huber());
        x = Tf.random.normal(BATCH, 8);
        // A target the model can learn, so the weights stay finite however many steps JMH runs.
        y = Tf.reduceSum(x, new int[] {1}, true).mul(0.5f);
        compiled = model.compiledTrainStep();
        compiled.callAll(x, y); // traces once here, outside the measurement
        compiledLlvm = model.compiledTrainStep().withJitCompile(true);
        compiledLlvm.callAll(x, y); // compiles to native code here
    }

    /** The step as one compiled graph (interpreter backend). */
    @Benchmark
    public List<Tensor> compiledStep() { return compiled.callAll(x, y); }

    /** The same graph compiled to native code by the llvm-cpu backend ({@code withJitCompile(true)}). */
    @Benchmark
    public List<Tensor> compiledStepLlvm() { return compiledLlvm.callAll(x, y); }

    /** The same step eagerly: every op dispatched on its own, the tape recording each. */
    @Benchmark
    public Tensor eagerStep() { return model.trainStep(x, y); }
}
