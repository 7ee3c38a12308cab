package dev.tfjit.nn;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.nn.losses.Loss;
import dev.tfjit.nn.metrics.Mean;
import dev.tfjit.nn.metrics.Metric;
import dev.tfjit.nn.optimizers.Optimizer;
import dev.tfjit.nn.optimizers.Optimizers;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.GradientTape;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;
import dev.tfjit.tracer.data.Dataset;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code keras.Model}: a layer that can be trained. Subclass it and override {@link #call} (the
 * seed's ResidualRegressor), or use {@link Sequential}. {@link #fit} compiles the whole train
 * step (forward pass, gradient tape, optimizer update, metric updates) into one traced
 * {@link Function}, so it runs as one graph per input signature.
 */
public abstract class Model extends Layer {
    private Optimizer optimizer;
    private Loss loss;
    private final List<Metric> metrics = new ArrayList<>();
    private final Mean lossTracker = new Mean("loss");
    private Function trainStep;
    private Function testStep;
    private Function predictStep;
    private PrintStream out = System.out;
    private int verbose = 1;
    private boolean stopTraining;

    protected Model() { super(); }

    protected Model(String name) { super(name); }

    /** Sets the optimizer, the loss and the metrics ("accuracy" follows the loss, as in Keras). */
    public void compile(Optimizer optimizer, Loss loss, Object... metricsOrNames) {
        this.optimizer = optimizer;
        this.loss = loss;
        metrics.clear();
        for (Object m : metricsOrNames) {
            metrics.add(switch (m) {
                case Metric metric -> metric;
                case String name -> Metric.get(name, loss);
                default -> throw new InvalidArgumentError("compile: a metric is a Metric or a name, got " + m);
            });
        }
        trainStep = testStep = null;
    }

    /** {@link #compile(Optimizer, Loss, Object...)} with Keras names: {@code compile("adam", "mse")}. */
    public void compile(String optimizerName, String lossName, Object... metricsOrNames) {
        compile(Optimizers.get(optimizerName), Loss.get(lossName), metricsOrNames);
    }

    public Optimizer optimizer() { return optimizer; }

    public Loss loss() { return loss; }

    public List<Metric> metrics() { return List.copyOf(metrics); }

    /** Where progress goes (System.out by default). */
    public void setOutput(PrintStream out) { this.out = out; }

    /** 0 silent, 1 a progress bar per epoch. */
    public void setVerbose(int verbose) { this.verbose = verbose; }

    // ------------------------------------------------------------ steps

    /**
     * One training step, eagerly: forward, loss (plus the model's own losses), gradients,
     * optimizer update and metric updates; returns the loss. {@link #fit} runs this same code
     * traced into one Function.
     */
    public Tensor trainStep(Tensor x, Tensor y) {
        requireCompiled();
        GradientTape tape = new GradientTape();
        Tensor pred = apply(x, true);
        Tensor total = loss.apply(y, pred);
        List<Tensor> own = losses();
        if (!own.isEmpty()) total = Tf.add(total, sum(own));
        tape.close();
        List<Variable> vars = trainableWeights();
        optimizer.applyGradients(tape.gradient(total, vars), vars);
        applyConstraints();
        lossTracker.updateState(total);
        for (Metric m : metrics) m.updateState(y, pred);
        return total;
    }

    /** One evaluation step: the loss and metrics updated, no weights changed. */
    public Tensor testStep(Tensor x, Tensor y) {
        requireCompiled();
        Tensor pred = apply(x, false);
        Tensor total = loss.apply(y, pred);
        List<Tensor> own = losses();
        if (!own.isEmpty()) total = Tf.add(total, sum(own));
        lossTracker.updateState(total);
        for (Metric m : metrics) m.updateState(y, pred);
        return total;
    }

    private void requireCompiled() {
        if (optimizer == null || loss == null) throw new InvalidArgumentError("You must call compile() before using the model " + name());
    }

    /** The train step as one compiled Function (traced on first call per input signature). */
    public Function compiledTrainStep() {
        if (trainStep == null) {
            trainStep = Function.of((Tensor x, Tensor y) -> {
                trainStep(x, y);
                return currentResults();
            }).named(name() + "_train_step");
        }
        return trainStep;
    }

    private Function compiledTestStep() {
        if (testStep == null) {
            testStep = Function.of((Tensor x, Tensor y) -> {
                testStep(x, y);
                return currentResults();
            }).named(name() + "_test_step");
        }
        return testStep;
    }

    private List<Tensor> currentResults() {
        List<Tensor> r = new ArrayList<>();
        r.add(lossTracker.result());
        for (Metric m : metrics) r.add(m.result());
        return r;
    }

    private Map<String, Double> logs(List<Tensor> results, String prefix) {
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put(prefix + "loss", results.get(0).item());
        for (int i = 0; i < metrics.size(); i++) logs.put(prefix + metrics.get(i).name(), results.get(i + 1).item());
        return logs;
    }

    private void resetMetrics() {
        lossTracker.resetState();
        for (Metric m : metrics) m.resetState();
    }

    // ------------------------------------------------------------ fit / evaluate / predict

    /** Trains on {@code (x, y)} in shuffled batches, like {@code model.fit(x, y, batch_size, epochs)}. */
    public History fit(Tensor x, Tensor y, int batchSize, int epochs) { return fit(x, y, batchSize, epochs, null, null); }

    /** As {@link #fit(Tensor, Tensor, int, int)}, evaluating on {@code (xVal, yVal)} after each epoch. */
    public History fit(Tensor x, Tensor y, int batchSize, int epochs, Tensor xVal, Tensor yVal, Callback... callbacks) {
        int n = x.shape().dim(0);
        Dataset<List<Tensor>> train = Dataset.fromTensorSlices(x, y).shuffle(Math.max(1, n)).batch(batchSize);
        Dataset<List<Tensor>> val = xVal == null ? null : Dataset.fromTensorSlices(xVal, yVal).batch(batchSize);
        return fit(train, epochs, val, (n + batchSize - 1) / batchSize, callbacks);
    }

    /** Trains on a dataset of {@code (x, y)} batches. */
    public History fit(Dataset<List<Tensor>> train, int epochs) { return fit(train, epochs, null); }

    /** Trains on a dataset of {@code (x, y)} batches, evaluating on {@code validation} (may be null) after each epoch. */
    public History fit(Dataset<List<Tensor>> train, int epochs, Dataset<List<Tensor>> validation, Callback... callbacks) {
        return fit(train, epochs, validation, -1, callbacks);
    }

    /** Asks {@link #fit} to stop after the current epoch (what EarlyStopping does). */
    public void stopTraining() { stopTraining = true; }

    /** {@code stepsPerEpoch} is -1 when unknown; the bar then shows "n/Unknown" until the first epoch ends. */
    private History fit(Dataset<List<Tensor>> train, int epochs, Dataset<List<Tensor>> validation, int stepsPerEpoch, Callback[] callbacks) {
        requireCompiled();
        History history = new History();
        int knownSteps = stepsPerEpoch;
        stopTraining = false;
        for (Callback c : callbacks) c.onTrainBegin(this);
        for (int epoch = 1; epoch <= epochs && !stopTraining; epoch++) {
            for (Callback c : callbacks) c.onEpochBegin(this, epoch);
            if (verbose > 0) out.println("Epoch " + epoch + "/" + epochs);
            resetMetrics();
            // Redraw in place only on a terminal; a log or a test's stream gets one line per epoch.
            boolean live = verbose > 0 && out == System.out && System.console() != null;
            ProgressBar bar = new ProgressBar(knownSteps, out, live);
            int steps = 0;
            List<Tensor> results = null;
            for (List<Tensor> batch : train) {
                Tensor x = batch.get(0), y = batch.get(1);
                ensureBuilt(x.shape());
                results = compiledTrainStep().callAll(x, y);
                steps++;
                if (live) bar.update(steps, logs(results, ""));
            }
            if (results == null) throw new InvalidArgumentError("fit: the training dataset is empty");
            Map<String, Double> logs = new LinkedHashMap<>(logs(results, ""));
            knownSteps = steps;
            if (validation != null) logs.putAll(evaluateLogs(validation, "val_"));
            history.record(logs);
            if (verbose > 0) bar.finish(steps, logs);
            for (Callback c : callbacks) c.onEpochEnd(this, epoch, logs);
        }
        for (Callback c : callbacks) c.onTrainEnd(this);
        return history;
    }

    /** The loss and metrics over a dataset of {@code (x, y)} batches, by name. */
    public Map<String, Double> evaluate(Dataset<List<Tensor>> data) { return evaluateLogs(data, ""); }

    /** The loss and metrics over {@code (x, y)} in batches. */
    public Map<String, Double> evaluate(Tensor x, Tensor y, int batchSize) {
        return evaluate(Dataset.fromTensorSlices(x, y).batch(batchSize));
    }

    private Map<String, Double> evaluateLogs(Dataset<List<Tensor>> data, String prefix) {
        requireCompiled();
        resetMetrics();
        List<Tensor> results = null;
        for (List<Tensor> batch : data) {
            ensureBuilt(batch.get(0).shape());
            results = compiledTestStep().callAll(batch.get(0), batch.get(1));
        }
        if (results == null) throw new InvalidArgumentError("evaluate: the dataset is empty");
        return logs(results, prefix);
    }

    /** The model's outputs for {@code x}, computed in batches by a compiled inference step and concatenated. */
    public Tensor predict(Tensor x, int batchSize) {
        if (predictStep == null) predictStep = Function.of((Tensor in) -> apply(in, false)).named(name() + "_predict_step");
        List<Tensor> outs = new ArrayList<>();
        for (Tensor batch : Dataset.fromTensorSlices(x).batch(batchSize)) {
            ensureBuilt(batch.shape());
            outs.add(predictStep.call(batch));
        }
        if (outs.isEmpty()) throw new InvalidArgumentError("predict: no inputs (x has shape " + x.shape() + ")");
        return outs.size() == 1 ? outs.get(0) : Tf.concat(outs, 0);
    }

    // ------------------------------------------------------------ weights on disk

    /** Saves every weight to {@code dir} (one .npy file each), like {@code save_weights}. */
    public void saveWeights(java.nio.file.Path dir) { WeightsIo.save(this, dir); }

    /** Loads weights saved by {@link #saveWeights} into this (built) model of the same architecture. */
    public void loadWeights(java.nio.file.Path dir) {
        if (weights().isEmpty()) throw new InvalidArgumentError("load_weights: build " + name() + " (call it once) before loading weights");
        WeightsIo.load(this, dir);
    }

    // ------------------------------------------------------------ summary

    /** The Keras-style table of layers, output shapes and parameter counts. */
    public String summary() {
        List<Layer> top = layers();
        List<Shape> shapes = new ArrayList<>();
        for (Layer l : top) shapes.add(l.lastOutputShape() == null ? null : batchUnknown(l.lastOutputShape()));
        return Summary.of(name(), top, shapes, countTrainable(), countParams() - countTrainable());
    }

    /** Shapes in a summary show the batch dim as None whatever batch the layer last saw. */
    static Shape batchUnknown(Shape s) { return s.hasRank() && s.rank() > 0 ? s.withDim(0, -1) : s; }

    private long countTrainable() {
        long n = 0;
        for (Variable v : trainableWeights()) n += v.shape().numElements();
        return n;
    }
}
