package dev.tfjit.nn.metrics;

import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

/** {@code keras.metrics.Precision}: {@code tp / (tp + fp)}, zero before any positive prediction. */
public class Precision extends ConfusionCounts {
    public Precision() { this("precision", 0.5); }

    public Precision(String name, double threshold) { super(name, threshold); }

    @Override
    public Tensor result() { return Tf.divideNoNan(truePositives.read(), Tf.add(truePositives.read(), falsePositives.read())); }
}
