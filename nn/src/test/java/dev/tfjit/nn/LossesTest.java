package dev.tfjit.nn;

import dev.tfjit.nn.losses.BinaryCrossentropy;
import dev.tfjit.nn.losses.CategoricalCrossentropy;
import dev.tfjit.nn.losses.Huber;
import dev.tfjit.nn.losses.Loss;
import dev.tfjit.nn.losses.MeanAbsoluteError;
import dev.tfjit.nn.losses.MeanSquaredError;
import dev.tfjit.nn.losses.Reduction;
import dev.tfjit.nn.losses.SparseCategoricalCrossentropy;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LossesTest {
    private static final Tensor Y_TRUE = Tf.constant(new float[][] {{0f, 1f}, {0f, 0f}});
    private static final Tensor Y_PRED = Tf.constant(new float[][] {{0.6f, 0.4f}, {0.4f, 0.6f}});

    /** The seed's HuberLoss: a custom loss class with its threshold in getConfig. */
    static final class HuberLoss extends Loss {
        private final double threshold;

        HuberLoss(double threshold) {
            super("huber_loss");
            this.threshold = threshold;
        }

        @Override
        public Tensor call(Tensor yTrue, Tensor yPred) {
            Tensor error = yTrue.sub(yPred);
            Tensor isSmall = error.abs().less(threshold);
            Tensor squared = error.square().div(2.0);
            Tensor linear = error.abs().mul(threshold).sub(threshold * threshold / 2);
            return Tf.where(isSmall, squared, linear);
        }

        @Override
        public Map<String, Object> getConfig() {
            Map<String, Object> c = super.getConfig();
            c.put("threshold", threshold);
            return c;
        }
    }

    @Test
    void meanSquaredErrorAveragesOverTheLastAxisThenTheBatch() {
        // per sample: (0.36 + 0.36)/2 = 0.36 and (0.16 + 0.36)/2 = 0.26 (Keras docs example: 0.5 overall for its data)
        assertArrayEquals(new float[] {0.36f, 0.26f}, new MeanSquaredError().call(Y_TRUE, Y_PRED).toFloatArray(), 1e-6f);
        assertEquals(0.31, new MeanSquaredError().apply(Y_TRUE, Y_PRED).item(), 1e-6);
        assertEquals(0.62, new MeanSquaredError(Reduction.SUM).apply(Y_TRUE, Y_PRED).item(), 1e-6);
    }

    @Test
    void meanAbsoluteError() {
        assertEquals((0.6 + 0.5) / 2, new MeanAbsoluteError().apply(Y_TRUE, Y_PRED).item(), 1e-6);
    }

    @Test
    void huberIsQuadraticInsideDeltaAndLinearOutside() {
        Tensor t = Tf.constant(new float[][] {{0f, 0f, 0f}});
        Tensor p = Tf.constant(new float[][] {{0.5f, 2f, -3f}});
        // delta 1: 0.125, 2 - 0.5 = 1.5, 3 - 0.5 = 2.5  -> mean 4.125/3
        assertEquals(4.125 / 3, new Huber().apply(t, p).item(), 1e-6);
        // delta 2: 0.125, 2 (|e| = delta is quadratic), 6 - 2 = 4
        assertEquals(6.125 / 3, new Huber(2.0).apply(t, p).item(), 1e-6);
    }

    @Test
    void theSeedsCustomHuberLossAgreesWithKerasHuberAndKeepsItsThreshold() {
        Tensor t = Tf.constant(new float[][] {{0f}, {1f}, {2f}});
        Tensor p = Tf.constant(new float[][] {{0.5f}, {4f}, {-1.5f}});
        HuberLoss custom = new HuberLoss(2.0);
        assertEquals(new Huber(2.0).apply(t, p).item(), custom.apply(t, p).item(), 1e-6);
        assertEquals(2.0, custom.getConfig().get("threshold"));
        assertEquals("huber_loss", custom.getConfig().get("name"));
    }

    @Test
    void aLossFromAFunctionIsReducedLikeAnyOther() {
        Loss fn = Loss.of("abs_sum", (t, p) -> Tf.reduceSum(Tf.abs(t.sub(p)), -1));
        assertEquals((1.2 + 1.0) / 2, fn.apply(Y_TRUE, Y_PRED).item(), 1e-6);
    }

    @Test
    void sparseCategoricalCrossentropyFromLogitsAndFromProbabilitiesAgree() {
        Tensor labels = Tf.constant(new int[] {0, 2});
        float[][] logits = {{2f, 1f, 0.1f}, {0.5f, 0.5f, 3f}};
        double expected = 0;
        for (int i = 0; i < 2; i++) {
            double z = 0;
            for (float l : logits[i]) z += Math.exp(l);
            expected += -Math.log(Math.exp(logits[i][i == 0 ? 0 : 2]) / z);
        }
        expected /= 2;
        Tensor lg = Tf.constant(logits);
        assertEquals(expected, new SparseCategoricalCrossentropy(true).apply(labels, lg).item(), 1e-5);
        assertEquals(expected, new SparseCategoricalCrossentropy(false).apply(labels, Tf.softmax(lg)).item(), 1e-5);
        assertEquals(expected, new CategoricalCrossentropy(true).apply(Tf.constant(new float[][] {{1, 0, 0}, {0, 0, 1}}), lg).item(), 1e-5);
    }

    @Test
    void binaryCrossentropyFromProbabilities() {
        Tensor t = Tf.constant(new float[][] {{0f, 1f}});
        Tensor p = Tf.constant(new float[][] {{0.2f, 0.9f}});
        double expected = -(Math.log(0.8) + Math.log(0.9)) / 2;
        assertEquals(expected, new BinaryCrossentropy().apply(t, p).item(), 1e-5);
        Tensor logits = Tf.log(p.div(Tf.constant(1f).sub(p)));
        assertEquals(expected, new BinaryCrossentropy(true).apply(t, logits).item(), 1e-5);
    }

    @Test
    void anEmptyBatchHasZeroLoss() {
        Tensor empty = Tf.zeros(0, 3);
        assertEquals(0.0, new MeanSquaredError().apply(empty, empty).item());
    }

    @Test
    void lossesByKerasName() {
        assertEquals(MeanSquaredError.class, Loss.get("mse").getClass());
        assertEquals(SparseCategoricalCrossentropy.class, Loss.get("sparse_categorical_crossentropy").getClass());
    }
}
