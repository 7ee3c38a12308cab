package dev.tfjit.nn.metrics;

import dev.tfjit.ir.DType;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

/**
 * {@code keras.metrics.SparseCategoricalAccuracy}: how often the class id equals the argmax of
 * the scores. Labels of shape {@code [n, 1]} are squeezed to {@code [n]} as Keras does.
 */
public class SparseCategoricalAccuracy extends MeanMetricWrapper {
    public SparseCategoricalAccuracy() { this("sparse_categorical_accuracy"); }

    public SparseCategoricalAccuracy(String name) { super(name, SparseCategoricalAccuracy::matches); }

    static Tensor matches(Tensor yTrue, Tensor yPred) {
        Tensor labels = yTrue;
        if (labels.shape().hasRank() && yPred.shape().hasRank() && labels.rank() == yPred.rank() && labels.shape().dim(-1) == 1) {
            labels = Tf.squeeze(labels, -1);
        }
        Tensor predicted = Tf.cast(Tf.argmax(yPred, -1), DType.FLOAT32);
        return Tf.cast(Tf.equal(Tf.cast(labels, DType.FLOAT32), predicted), DType.FLOAT32);
    }
}
