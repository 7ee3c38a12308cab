package dev.tfjit.nn;

import dev.tfjit.ir.DType;
import dev.tfjit.nn.layers.Conv2D;
import dev.tfjit.nn.layers.Dense;
import dev.tfjit.nn.layers.Dropout;
import dev.tfjit.nn.layers.Flatten;
import dev.tfjit.nn.layers.MaxPooling2D;
import dev.tfjit.nn.layers.Reshape;
import dev.tfjit.nn.losses.Loss;
import dev.tfjit.nn.losses.SparseCategoricalCrossentropy;
import dev.tfjit.nn.metrics.Mean;
import dev.tfjit.nn.metrics.SparseCategoricalAccuracy;
import dev.tfjit.nn.optimizers.Optimizer;
import dev.tfjit.nn.optimizers.Optimizers;
import dev.tfjit.nn.optimizers.SGD;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.GradientTape;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Traceable;
import dev.tfjit.tracer.Variable;
import dev.tfjit.tracer.data.Dataset;
import dev.tfjit.tracer.data.FashionMnist;
import dev.tfjit.tracer.data.Idx;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./tfjit train}: trains a 784-300-100-10 MLP (or, with {@code --model cnn}, a small conv
 * net) on Fashion-MNIST with a custom training
 * loop whose train step (scaling the pixels, forward pass, tape, gradients, optimizer update,
 * metric updates) is one compiled Function, then reports test accuracy and examples/s.
 * Exit status: 0 trained, 1 a TensorFlow error (say, a backend that cannot compile the step),
 * 2 data missing, 64 bad options.
 */
public final class TrainMain {
    static final int DATA_MISSING = 2;
    static final int USAGE = 64;

    /** The command line options. */
    record Options(int epochs, int batchSize, String model, String optimizer, Path dataDir, long seed, String backend, boolean eager,
                   double dropout) {
        static Options parse(String[] args) {
            int epochs = 10, batchSize = 32;
            double dropout = 0;
            String model = "mlp", optimizer = "adam";
            Path dataDir = FashionMnist.DEFAULT_DIR;
            long seed = 42;
            String backend = null;
            boolean eager = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-h") || a.equals("--help")) throw new IllegalArgumentException("");
                if (a.equals("--eager")) {
                    eager = true;
                    continue;
                }
                if (i + 1 >= args.length) throw new IllegalArgumentException("option " + a + " needs a value");
                String v = args[++i];
                switch (a) {
                    case "--epochs" -> epochs = positive(a, v);
                    case "--batch-size" -> batchSize = positive(a, v);
                    case "--model" -> model = v;
                    case "--optimizer" -> optimizer = v;
                    case "--data-dir" -> dataDir = Path.of(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--backend" -> backend = v;
                    case "--dropout" -> dropout = rate(a, v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (!model.equals("mlp") && !model.equals("cnn")) throw new IllegalArgumentException("--model must be mlp or cnn, got " + model);
            if (!optimizer.equals("adam") && !optimizer.equals("sgd")) throw new IllegalArgumentException("--optimizer must be adam or sgd, got " + optimizer);
            return new Options(epochs, batchSize, model, optimizer, dataDir, seed, backend, eager, dropout);
        }

        private static double rate(String option, String v) {
            try {
                double r = Double.parseDouble(v);
                if (r >= 0 && r < 1) return r;
            } catch (NumberFormatException e) {
                // reported below like any other bad value
            }
            throw new IllegalArgumentException(option + " must be a rate in [0, 1), got " + v);
        }

        private static int positive(String option, String v) {
            try {
                int n = Integer.parseInt(v);
                if (n > 0) return n;
            } catch (NumberFormatException e) {
                // reported below like any other bad value
            }
            throw new IllegalArgumentException(option + " must be a positive integer, got " + v);
        }
    }

    private static final String USAGE_TEXT = """
            usage: tfjit train [--epochs N] [--batch-size N] [--model mlp|cnn] [--optimizer adam|sgd] [--data-dir DIR] [--seed N]
                             [--dropout RATE] [--backend NAME] [--eager]
              Trains a 784-300-100-10 MLP (--model cnn: Conv2D(16,3)-MaxPool-Conv2D(32,3)-MaxPool-Dense(10))
              on Fashion-MNIST (default data dir %s).
              --dropout adds Dropout(RATE) layers (after each hidden Dense layer of the MLP, before the CNN's last layer);
              they are active in the train step only.
              --backend picks the backend that runs the compiled train step (e.g. llvm-cpu when on the class path);
              --eager runs the same step op by op instead, to compare examples/s.""".formatted(FashionMnist.DEFAULT_DIR);

    private TrainMain() {}

    public static void main(String[] args) { System.exit(run(args, System.out, System.err)); }

    /** Runs the job and returns the exit status (tests call this instead of main). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) err.println("tfjit train: " + e.getMessage());
            err.println(USAGE_TEXT);
            return e.getMessage().isEmpty() ? 0 : USAGE;
        }
        if (!FashionMnist.isInstalled(o.dataDir())) {
            err.println("Fashion-MNIST is not installed in " + o.dataDir() + ".");
            err.println("Install Debian's package with:  sudo apt-get install dataset-fashion-mnist");
            err.println("or pass --data-dir DIR with train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,");
            err.println("t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz.");
            return DATA_MISSING;
        }
        try {
            train(o, out);
        } catch (dev.tfjit.ir.TfException e) {
            err.println("tfjit train: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    private static void train(Options o, PrintStream out) {
        Tf.random.setSeed(o.seed());
        Path labelsFile = existing(o.dataDir(), "train-labels-idx1-ubyte");
        int trainCount = Idx.read(labelsFile).shape().dim(0);
        Dataset<List<Tensor>> trainData = FashionMnist.load(existing(o.dataDir(), "train-images-idx3-ubyte"), labelsFile)
                .shuffle(trainCount, o.seed()).batch(o.batchSize()).prefetch(2);
        Dataset<List<Tensor>> testData = FashionMnist.test(o.dataDir()).batch(1000);

        Sequential model = model(o.model(), o.dropout());
        Loss loss = new SparseCategoricalCrossentropy(true);
        Optimizer optimizer = o.optimizer().equals("sgd") ? new SGD(0.01, 0.9, false) : Optimizers.get("adam");
        Mean trainLoss = new Mean("loss");
        SparseCategoricalAccuracy trainAccuracy = new SparseCategoricalAccuracy("accuracy");
        SparseCategoricalAccuracy testAccuracy = new SparseCategoricalAccuracy("accuracy");
        out.print(model.summary());

        // Pixels are scaled inside the step so the cast and division fuse with the first matmul.
        Traceable.F2<Tensor, Tensor> step = (images, labels) -> {
            Tensor x = Tf.cast(images, DType.FLOAT32).div(255.0);
            GradientTape tape = new GradientTape();
            Tensor logits = model.apply(x, true);
            Tensor l = loss.apply(labels, logits);
            tape.close();
            List<Variable> vars = model.trainableWeights();
            optimizer.applyGradients(tape.gradient(l, vars), vars);
            trainLoss.updateState(l);
            trainAccuracy.updateState(labels, logits);
            return List.of(trainLoss.result(), trainAccuracy.result());
        };
        Function trainStep = Function.of(step).named("train_step");
        if (o.backend() != null) trainStep = trainStep.withBackend(o.backend());
        Function testStep = Function.of((Tensor images, Tensor labels) -> {
            Tensor logits = model.apply(Tf.cast(images, DType.FLOAT32).div(255.0), false);
            testAccuracy.updateState(labels, logits);
            return testAccuracy.result();
        }).named("test_step");
        if (o.backend() != null) testStep = testStep.withBackend(o.backend());

        long examples = 0;
        long trainNanos = 0;
        int knownSteps = (trainCount + o.batchSize() - 1) / o.batchSize();
        for (int epoch = 1; epoch <= o.epochs(); epoch++) {
            out.println("Epoch " + epoch + "/" + o.epochs());
            trainLoss.resetState();
            trainAccuracy.resetState();
            ProgressBar bar = new ProgressBar(knownSteps, out, System.console() != null);
            long start = System.nanoTime();
            int steps = 0;
            List<Tensor> results = null;
            for (List<Tensor> batch : trainData) {
                results = o.eager() ? asTensors(step.apply(batch.get(0), batch.get(1))) : trainStep.callAll(batch.get(0), batch.get(1));
                examples += batch.get(0).shape().dim(0);
                steps++;
                if (System.console() != null) bar.update(steps, logs(results));
            }
            trainNanos += System.nanoTime() - start;
            bar.finish(steps, results == null ? Map.of() : logs(results));
        }
        testAccuracy.resetState();
        for (List<Tensor> batch : testData) testStep.call(batch.get(0), batch.get(1));
        out.printf(Locale.ROOT, "Test accuracy: %.4f%n", testAccuracy.resultValue());
        out.printf(Locale.ROOT, "Training: %d examples in %.1f s, %.0f examples/s (%s)%n", examples, trainNanos / 1e9,
                examples / (trainNanos / 1e9), o.eager() ? "eager train step" : "train step traced " + trainStep.traceCount() + " time(s)");
    }

    /**
     * The MLP, or a small conv net (two 3x3 convolutions with ReLU, each followed by 2x2 max
     * pooling); with a dropout rate, Dropout layers after the MLP's hidden layers or before the
     * conv net's classifier.
     */
    static Sequential model(String name, double dropout) {
        List<Layer> layers = new java.util.ArrayList<>();
        if (name.equals("cnn")) {
            layers.addAll(List.of(new Reshape(28, 28, 1), new Conv2D(16, 3, "relu"), new MaxPooling2D(2), new Conv2D(32, 3, "relu"),
                    new MaxPooling2D(2), new Flatten()));
            if (dropout > 0) layers.add(new Dropout(dropout));
            layers.add(new Dense(10));
        } else {
            layers.add(new Flatten());
            for (int units : new int[] {300, 100}) {
                layers.add(new Dense(units, "relu"));
                if (dropout > 0) layers.add(new Dropout(dropout));
            }
            layers.add(new Dense(10));
        }
        return new Sequential(new int[] {28, 28}, layers.toArray(new Layer[0]));
    }

    /** The gzipped or plain IDX file {@code name} in {@code dir} (isInstalled has checked the directory). */
    private static Path existing(Path dir, String name) {
        Path gz = dir.resolve(name + ".gz");
        return java.nio.file.Files.exists(gz) ? gz : dir.resolve(name);
    }

    @SuppressWarnings("unchecked")
    private static List<Tensor> asTensors(Object stepResult) { return (List<Tensor>) stepResult; }

    private static Map<String, Double> logs(List<Tensor> results) {
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", results.get(0).item());
        logs.put("accuracy", results.get(1).item());
        return logs;
    }
}
