package dev.tfjit.benchmarks;

import dev.tfjit.nn.Sequential;
import dev.tfjit.nn.layers.Dense;
import dev.tfjit.nn.layers.Flatten;
import dev.tfjit.nn.losses.SparseCategoricalCrossentropy;
import dev.tfjit.nn.metrics.SparseCategoricalAccuracy;
import dev.tfjit.nn.optimizers.Adam;
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
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The {@code ./tfjit train} model (784-300-100-10 MLP, batch 32, Adam, sparse categorical
 * cross-entropy from logits, accuracy metric) on synthetic data shaped like Fashion-MNIST
 * (28x28 pixels in [0, 1], labels 0..9), so no dataset files are needed; the arithmetic per
 * step is the same as on the real data. One call is one train step of 32 examples.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FashionMlpBench {
    static final int BATCH = 32;

    private Sequential model;
    private Function compiled;
    private Function compiledLlvm;
    private Tensor images;
    private Tensor labels;
    private HandWrittenMlp handWritten;
    private float[] imageArray;
    private int[] labelArray;

    @Setup(Level.Trial)
    public void setUp() {
        Tf.random.setSeed(42);
        model = new Sequential(new int[] {28, 28},
                new Flatten(), new Dense(300, "relu"), new Dense(100, "relu"), new Dense(10));
        model.compile(new Adam(), new SparseCategoricalCrossentropy(true), new SparseCategoricalAccuracy("accuracy"));
        images = Tf.random.uniform(BATCH, 28, 28);
        int[] classes = new int[BATCH];
        Random random = new Random(42);
        for (int i = 0; i < BATCH; i++) classes[i] = random.nextInt(10);
        labels = Tf.constant(classes);
        compiled = model.compiledTrainStep();
        compiled.callAll(images, labels); // traces once here, outside the measurement
        compiledLlvm = model.compiledTrainStep().withJitCompile(true);
        compiledLlvm.callAll(images, labels); // compiles to native code here
        handWritten = new HandWrittenMlp(BATCH, 42, 784, 300, 100, 10);
        imageArray = images.toFloatArray();
        labelArray = classes;
    }

    /** The train step as one compiled graph (interpreter backend), as {@code Model.fit} runs it. */
    @Benchmark
    public List<Tensor> compiledStep() { return compiled.callAll(images, labels); }

    /** The same graph compiled to native code by the llvm-cpu backend ({@code withJitCompile(true)}). */
    @Benchmark
    public List<Tensor> compiledStepLlvm() { return compiledLlvm.callAll(images, labels); }

    /** The same step eagerly, op by op under a GradientTape ({@code ./tfjit train --eager}). */
    @Benchmark
    public Tensor eagerStep() { return model.trainStep(images, labels); }

    /** The same model and step in plain Java loops over float arrays ({@link HandWrittenMlp}), the baseline a user could write. */
    @Benchmark
    public float handWrittenJavaStep() { return handWritten.trainStep(imageArray, labelArray); }
}
