package dev.tfjit.nn.metrics;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code keras.metrics.Metric}: a value that streams over batches. Its state lives in variables
 * so that {@link #updateState} can run inside a compiled train step (the assignments become
 * graph nodes) while {@link #result} and {@link #resetState} are called between steps.
 */
public abstract class Metric {
    private final String name;
    private final List<Variable> variables = new ArrayList<>();

    protected Metric(String name) { this.name = name; }

    public String name() { return name; }

    /** A float32 scalar state variable starting at zero. */
    protected final Variable addVariable(String variableName) {
        Variable v = new Variable(Tf.constant(0f), name + "/" + variableName, false);
        variables.add(v);
        return v;
    }

    public List<Variable> variables() { return List.copyOf(variables); }

    /** Accumulates a batch of labels and predictions. */
    public void updateState(Tensor yTrue, Tensor yPred) {
        throw new InvalidArgumentError("metric " + name + " takes values, not (y_true, y_pred)");
    }

    /** The value over everything seen since the last reset. */
    public abstract Tensor result();

    /** Starts over: every state variable back to zero. */
    public void resetState() {
        for (Variable v : variables) v.assign(Tf.zerosLike(v.read()));
    }

    /** The result as a Java number (eager only: it reads the value). */
    public double resultValue() { return result().item(); }

    /** The metric with this Keras name, chosen for {@code loss} where Keras does ("accuracy" follows the loss). */
    public static Metric get(String metricName, dev.tfjit.nn.losses.Loss loss) {
        return switch (metricName) {
            case "accuracy", "acc" -> switch (loss) {
                case dev.tfjit.nn.losses.SparseCategoricalCrossentropy s -> new SparseCategoricalAccuracy("accuracy");
                case dev.tfjit.nn.losses.CategoricalCrossentropy c -> new CategoricalAccuracy("accuracy");
                case dev.tfjit.nn.losses.BinaryCrossentropy b -> new BinaryAccuracy("accuracy", 0.5);
                case null, default -> new Accuracy("accuracy");
            };
            case "sparse_categorical_accuracy" -> new SparseCategoricalAccuracy(metricName);
            case "categorical_accuracy" -> new CategoricalAccuracy(metricName);
            case "binary_accuracy" -> new BinaryAccuracy(metricName, 0.5);
            case "precision" -> new Precision();
            case "recall" -> new Recall();
            case "mae", "mean_absolute_error" -> new MeanMetricWrapper(metricName,
                    (t, p) -> Tf.reduceMean(Tf.abs(Tf.subtract(p, Tf.cast(t, p.dtype()))), new int[] {-1}, false));
            case "mse", "mean_squared_error" -> new MeanMetricWrapper(metricName,
                    (t, p) -> Tf.meanSquaredError(Tf.cast(t, p.dtype()), p));
            default -> throw new InvalidArgumentError("Unknown metric: '" + metricName + "'");
        };
    }

    @Override
    public String toString() { return getClass().getSimpleName() + "(" + name + ")"; }
}
