package dev.tfjit.nn.metrics;

import dev.tfjit.ir.DType;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;

/**
 * The streaming true/false positive and false negative counts behind Precision and Recall: a
 * prediction is positive above {@code threshold}, a label is positive when non-zero.
 */
abstract class ConfusionCounts extends Metric {
    protected final Variable truePositives = addVariable("true_positives");
    protected final Variable falsePositives = addVariable("false_positives");
    protected final Variable falseNegatives = addVariable("false_negatives");
    private final double threshold;

    ConfusionCounts(String name, double threshold) {
        super(name);
        this.threshold = threshold;
    }

    @Override
    public void updateState(Tensor yTrue, Tensor yPred) {
        Tensor predicted = yPred.greater(threshold);
        Tensor actual = Tf.notEqual(yTrue, Tf.zerosLike(yTrue));
        truePositives.assignAdd(count(Tf.logicalAnd(predicted, actual)));
        falsePositives.assignAdd(count(Tf.logicalAnd(predicted, Tf.logicalNot(actual))));
        falseNegatives.assignAdd(count(Tf.logicalAnd(Tf.logicalNot(predicted), actual)));
    }

    private static Tensor count(Tensor mask) { return Tf.reduceSum(Tf.cast(mask, DType.FLOAT32)); }
}
