package dev.tfjit.nn;

import dev.tfjit.ir.DType;
import dev.tfjit.nn.layers.Dense;
import dev.tfjit.nn.metrics.Metric;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seed 003's custom activation, initializer, regularizer, constraint and streaming metric. */
class SeedCustomComponentsTest {
    /** The seed's HuberMetric: a streaming metric with its own total and count variables. */
    static final class HuberMetric extends Metric {
        private final double threshold;
        private final Variable total = addVariable("total");
        private final Variable count = addVariable("count");

        HuberMetric(double threshold) {
            super("huber_metric");
            this.threshold = threshold;
        }

        @Override
        public void updateState(Tensor yTrue, Tensor yPred) {
            Tensor error = yTrue.sub(yPred);
            Tensor small = error.abs().less(threshold);
            Tensor loss = Tf.where(small, error.square().div(2.0), error.abs().mul(threshold).sub(threshold * threshold / 2));
            total.assignAdd(Tf.reduceSum(loss));
            count.assignAdd(Tf.cast(Tf.size(yTrue), DType.FLOAT32));
        }

        @Override
        public Tensor result() { return total.read().div(count.read()); }
    }

    @Test
    void customComponentsPlugIntoADenseLayer() {
        Activation mySoftplus = z -> Tf.log(Tf.exp(z).add(1.0));
        Initializer myGlorot = (shape, dtype) -> Tf.random.normal(shape, 0.0, Math.sqrt(2.0 / (shape[0] + shape[1])), dtype, null);
        Regularizer myL1 = w -> Tf.reduceSum(Tf.abs(w.mul(0.01)));
        Constraint myPositiveWeights = w -> Tf.where(w.less(0.0), Tf.zerosLike(w), w);
        Dense layer = new Dense(1, mySoftplus).kernelInitializer(myGlorot).kernelRegularizer(myL1).kernelConstraint(myPositiveWeights);
        Tensor y = layer.apply(Tf.random.normal(4, 3));
        for (float v : y.toFloatArray()) assertTrue(v > 0, "softplus is positive");
        double l1 = 0;
        for (float w : layer.kernel().read().toFloatArray()) l1 += Math.abs(0.01 * w);
        assertEquals(l1, layer.losses().get(0).item(), 1e-6);
        layer.applyConstraints();
        for (float w : layer.kernel().read().toFloatArray()) assertTrue(w >= 0);
    }

    @Test
    void theHuberMetricStreamsAcrossBatches() {
        HuberMetric m = new HuberMetric(2.0);
        m.updateState(Tf.constant(new float[] {0, 0}), Tf.constant(new float[] {1, 3})); // 0.5 and 2*3 - 2 = 4
        m.updateState(Tf.constant(new float[] {0}), Tf.constant(new float[] {-1.5f}));   // 1.125
        assertEquals((0.5 + 4 + 1.125) / 3, m.resultValue(), 1e-6);
        m.resetState();
        m.updateState(Tf.constant(new float[] {1}), Tf.constant(new float[] {1}));
        assertEquals(0.0, m.resultValue());
    }
}
