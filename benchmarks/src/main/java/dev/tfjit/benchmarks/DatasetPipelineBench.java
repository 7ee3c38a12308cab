package dev.tfjit.benchmarks;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.GradientTape;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorSpec;
import dev.tfjit.tracer.Variable;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.data.Dataset;
import dev.tfjit.tracer.data.DatasetIterator;
import dev.tfjit.tracer.data.FashionMnist;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Does a {@code shuffle+map+batch(256)+prefetch} pipeline over Fashion-MNIST keep a compiled
 * step busy? Runs one epoch and splits the consumer's time into waiting for the next batch and
 * running the step (an SGD train step of a 784-128-10 MLP with softmax cross-entropy, traced once
 * for {@code f32[?,784]} and compiled by llvm-cpu). Uses the installed data set, or random images of its shape.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp ... dev.tfjit.benchmarks.DatasetPipelineBench [images]}
 */
public final class DatasetPipelineBench {
    private DatasetPipelineBench() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 60_000;
        Dataset<List<Tensor>> raw = FashionMnist.isInstalled(FashionMnist.DEFAULT_DIR)
                ? FashionMnist.train(FashionMnist.DEFAULT_DIR).take(n) : synthetic(n);
        SplittableRandom r = new SplittableRandom(0);
        Variable w1 = new Variable(Tf.constant(randomMatrix(r, 784, 128)), "w1");
        Variable w2 = new Variable(Tf.constant(randomMatrix(r, 128, 10)), "w2");
        // A whole SGD train step (forward, backward, update), compiled to native code by llvm-cpu.
        Function step = Function.of((Tensor x, Tensor y) -> {
            try (GradientTape tape = new GradientTape()) {
                Tensor h = Tf.relu(Tf.matmul(x, w1.read()));
                Tensor loss = Tf.reduceMean(Tf.sparseSoftmaxCrossEntropyWithLogits(y, Tf.matmul(h, w2.read())));
                List<Tensor> g = tape.gradient(loss, List.of(w1, w2));
                w1.assignSub(g.get(0).mul(0.05f));
                w2.assignSub(g.get(1).mul(0.05f));
                return loss;
            }
        }).withInputSignature(TensorSpec.of(DType.FLOAT32, "?", 784), TensorSpec.of(DType.INT64, "?")).withJitCompile(true);

        // Normalizing in a parallel map, as tf.data tutorials do.
        Dataset<List<Tensor>> mapped = raw.shuffle(10_000, 1).batch(256)
                .map(b -> List.of(normalize(b.get(0)), Tf.cast(b.get(1), DType.INT64)), 2)
                .prefetch(2);
        run("shuffle+batch(256)+map(normalize, 2)+prefetch(2)", mapped, step::call);

        // The pipeline only shuffles and batches uint8; the compiled step normalizes.
        Function normalizeAndStep = Function.of((Tensor x, Tensor y) -> step.call(normalize(x), Tf.cast(y, DType.INT64)))
                .withInputSignature(TensorSpec.of(DType.UINT8, "?", 28, 28), TensorSpec.of(DType.UINT8, "?")).withJitCompile(true);
        run("shuffle+batch(256)+prefetch(2), normalized in the step", raw.shuffle(10_000, 1).batch(256).prefetch(2), normalizeAndStep::call);
        System.out.println("traces of the step: " + step.traceCount());
    }

    private static Tensor normalize(Tensor images) {
        return Tf.reshape(Tf.cast(images, DType.FLOAT32).div(255f), new int[] {-1, 784});
    }

    /** Two epochs (the first warms up the JIT); prints where the consumer's time went. */
    private static void run(String name, Dataset<List<Tensor>> train, java.util.function.BiFunction<Object, Object, Tensor> step) {
        for (int epoch = 0; epoch < 2; epoch++) {
            long waiting = 0, stepping = 0, batches = 0;
            long start = System.nanoTime();
            try (DatasetIterator<List<Tensor>> it = train.iterator()) {
                while (true) {
                    long t0 = System.nanoTime();
                    if (!it.hasNext()) break;
                    List<Tensor> b = it.next();
                    long t1 = System.nanoTime();
                    step.apply(b.get(0), b.get(1)).floatValue();
                    long t2 = System.nanoTime();
                    waiting += t1 - t0;
                    stepping += t2 - t1;
                    batches++;
                }
            }
            System.out.printf("%s, epoch %d: %d batches in %.0f ms; step %.0f ms, waiting for data %.0f ms = %.1f%% of step time%n",
                    name, epoch, batches, (System.nanoTime() - start) / 1e6, stepping / 1e6, waiting / 1e6, 100.0 * waiting / stepping);
        }
    }

    /** Random uint8 images and labels of Fashion-MNIST's shapes. */
    private static Dataset<List<Tensor>> synthetic(int n) {
        SplittableRandom r = new SplittableRandom(42);
        byte[] px = new byte[n * 784];
        byte[] labels = new byte[n];
        for (int i = 0; i < px.length; i++) px[i] = (byte) r.nextInt(256);
        for (int i = 0; i < n; i++) labels[i] = (byte) r.nextInt(10);
        return Dataset.fromTensorSlices(Tensor.of(Buffer.ofBytes(DType.UINT8, Shape.of(n, 28, 28), px)),
                Tensor.of(Buffer.ofBytes(DType.UINT8, Shape.of(n), labels)));
    }

    private static float[][] randomMatrix(SplittableRandom r, int rows, int cols) {
        float[][] m = new float[rows][cols];
        double scale = Math.sqrt(2.0 / rows);
        for (float[] row : m) for (int j = 0; j < cols; j++) row[j] = (float) (r.nextGaussian() * scale);
        return m;
    }
}
