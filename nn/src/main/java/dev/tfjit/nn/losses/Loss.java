package dev.tfjit.nn.losses;

import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code keras.losses.Loss}: {@link #call} gives one loss per sample, {@link #apply} reduces
 * them. A custom loss subclasses this (the seed's HuberLoss with its threshold in getConfig) or
 * wraps a function with {@link #of}.
 */
public abstract class Loss {
    private final String name;
    private final Reduction reduction;

    protected Loss(String name, Reduction reduction) {
        this.name = name;
        this.reduction = reduction == null ? Reduction.SUM_OVER_BATCH_SIZE : reduction;
    }

    protected Loss(String name) { this(name, Reduction.SUM_OVER_BATCH_SIZE); }

    public String name() { return name; }

    public Reduction reduction() { return reduction; }

    /** The loss of each sample (reduced over the last axis where Keras does). */
    public abstract Tensor call(Tensor yTrue, Tensor yPred);

    /** The reduced loss, as {@code loss(y_true, y_pred)} gives it in Keras. */
    public Tensor apply(Tensor yTrue, Tensor yPred) {
        Tensor perSample = call(yTrue, yPred);
        return switch (reduction) {
            case NONE -> perSample;
            case SUM -> Tf.reduceSum(perSample);
            case SUM_OVER_BATCH_SIZE -> Tf.sumOverBatchSize(perSample);
        };
    }

    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("reduction", reduction.name().toLowerCase());
        return c;
    }

    /** A per-sample loss function, like the seed's {@code huber_fn}. */
    @FunctionalInterface
    public interface Fn {
        Tensor apply(Tensor yTrue, Tensor yPred);
    }

    /** Wraps a per-sample loss function, like Keras's {@code LossFunctionWrapper}. */
    public static Loss of(String name, Fn fn) {
        return new Loss(name) {
            @Override
            public Tensor call(Tensor yTrue, Tensor yPred) { return fn.apply(yTrue, yPred); }
        };
    }

    /** The built-in loss with this Keras name ("mse", "sparse_categorical_crossentropy", ...). */
    public static Loss get(String name) {
        return switch (name) {
            case "mse", "mean_squared_error" -> new MeanSquaredError();
            case "mae", "mean_absolute_error" -> new MeanAbsoluteError();
            case "huber" -> new Huber();
            case "sparse_categorical_crossentropy" -> new SparseCategoricalCrossentropy(false);
            case "categorical_crossentropy" -> new CategoricalCrossentropy(false);
            case "binary_crossentropy" -> new BinaryCrossentropy(false);
            default -> throw new dev.tfjit.ir.InvalidArgumentError("Unknown loss function: '" + name + "'");
        };
    }

    /** {@code y_true} cast to the prediction's dtype, as Keras's regression losses do explicitly. */
    static Tensor like(Tensor yTrue, Tensor yPred) { return yTrue.dtype() == yPred.dtype() ? yTrue : Tf.cast(yTrue, yPred.dtype()); }

    @Override
    public String toString() { return getClass().getSimpleName() + getConfig(); }
}
