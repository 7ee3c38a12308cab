package dev.tfjit.nn.metrics;

import dev.tfjit.ir.DType;
import dev.tfjit.tracer.Tf;

/** {@code keras.metrics.CategoricalAccuracy}: how often the argmax of one-hot labels equals the argmax of the scores. */
public class CategoricalAccuracy extends MeanMetricWrapper {
    public CategoricalAccuracy() { this("categorical_accuracy"); }

    public CategoricalAccuracy(String name) {
        super(name, (t, p) -> Tf.cast(Tf.equal(Tf.argmax(t, -1), Tf.argmax(p, -1)), DType.FLOAT32));
    }
}
