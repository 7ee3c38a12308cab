package dev.tfjit.nn.metrics;

import dev.tfjit.tracer.Tensor;

/**
 * The running mean of a per-sample function of labels and predictions, like Keras's
 * {@code MeanMetricWrapper}; a custom streaming metric is one line with it.
 */
public class MeanMetricWrapper extends Metric {
    /** A per-sample metric function. */
    @FunctionalInterface
    public interface Fn {
        Tensor apply(Tensor yTrue, Tensor yPred);
    }

    private final Mean mean;
    private final Fn fn;

    public MeanMetricWrapper(String name, Fn fn) {
        super(name);
        this.mean = new Mean(name);
        this.fn = fn;
    }

    @Override
    public void updateState(Tensor yTrue, Tensor yPred) { mean.updateState(fn.apply(yTrue, yPred)); }

    @Override
    public Tensor result() { return mean.result(); }

    @Override
    public void resetState() { mean.resetState(); }

    @Override
    public java.util.List<dev.tfjit.tracer.Variable> variables() { return mean.variables(); }
}
