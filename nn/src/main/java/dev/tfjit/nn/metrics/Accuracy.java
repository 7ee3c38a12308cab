package dev.tfjit.nn.metrics;

import dev.tfjit.ir.DType;
import dev.tfjit.tracer.Tf;

/** {@code keras.metrics.Accuracy}: how often predictions equal labels exactly. */
public class Accuracy extends MeanMetricWrapper {
    public Accuracy() { this("accuracy"); }

    public Accuracy(String name) {
        super(name, (t, p) -> Tf.cast(Tf.equal(Tf.cast(t, p.dtype()), p), DType.FLOAT32));
    }
}
