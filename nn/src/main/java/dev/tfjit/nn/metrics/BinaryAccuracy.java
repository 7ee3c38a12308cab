package dev.tfjit.nn.metrics;

import dev.tfjit.ir.DType;
import dev.tfjit.tracer.Tf;

/** {@code keras.metrics.BinaryAccuracy}: how often {@code y_pred > threshold} agrees with the 0/1 label. */
public class BinaryAccuracy extends MeanMetricWrapper {
    public BinaryAccuracy() { this("binary_accuracy", 0.5); }

    public BinaryAccuracy(String name, double threshold) {
        super(name, (t, p) -> Tf.cast(Tf.equal(Tf.cast(t, p.dtype()), Tf.cast(p.greater(threshold), p.dtype())), DType.FLOAT32));
    }
}
