package dev.tfjit.nn.metrics;

import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

/** {@code keras.metrics.Recall}: {@code tp / (tp + fn)}, zero before any positive label. */
public class Recall extends ConfusionCounts {
    public Recall() { this("recall", 0.5); }

    public Recall(String name, double threshold) { super(name, threshold); }

    @Override
    public Tensor result() { return Tf.divideNoNan(truePositives.read(), Tf.add(truePositives.read(), falseNegatives.read())); }
}
