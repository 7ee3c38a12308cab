package dev.tfjit.nn;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.nn.metrics.Accuracy;
import dev.tfjit.nn.metrics.BinaryAccuracy;
import dev.tfjit.nn.metrics.Mean;
import dev.tfjit.nn.metrics.MeanMetricWrapper;
import dev.tfjit.nn.metrics.Metric;
import dev.tfjit.nn.metrics.Precision;
import dev.tfjit.nn.metrics.Recall;
import dev.tfjit.nn.metrics.SparseCategoricalAccuracy;
import dev.tfjit.nn.metrics.Sum;
import dev.tfjit.nn.losses.SparseCategoricalCrossentropy;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Metrics keep state across batches until reset. */
class MetricsTest {
    @Test
    void meanStreamsOverBatchesAndResets() {
        Mean m = new Mean();
        assertEquals(0.0, m.resultValue(), "no NaN before the first update");
        m.updateState(Tf.constant(new float[] {1, 2, 3}));
        m.updateState(Tf.constant(new float[] {4}));
        assertEquals(2.5, m.resultValue(), 1e-6);
        m.resetState();
        assertEquals(0.0, m.resultValue());
        m.updateState(Tf.constant(7f));
        assertEquals(7.0, m.resultValue(), 1e-6);
    }

    @Test
    void sumAddsEverything() {
        Sum s = new Sum();
        s.updateState(Tf.constant(new int[] {1, 2}));
        s.updateState(Tf.constant(new float[][] {{0.5f}}));
        assertEquals(3.5, s.resultValue(), 1e-6);
    }

    @Test
    void accuracyCountsExactMatchesAcrossBatches() {
        Accuracy a = new Accuracy();
        a.updateState(Tf.constant(new float[] {1, 2, 3, 4}), Tf.constant(new float[] {0, 2, 3, 4}));
        assertEquals(0.75, a.resultValue(), 1e-6);
        a.updateState(Tf.constant(new float[] {1, 1}), Tf.constant(new float[] {0, 0}));
        assertEquals(0.5, a.resultValue(), 1e-6);
    }

    @Test
    void sparseCategoricalAccuracyComparesLabelsWithTheArgmax() {
        SparseCategoricalAccuracy a = new SparseCategoricalAccuracy();
        // Keras docs example: [[2],[1]] vs [[0.1,0.6,0.3],[0.05,0.95,0]] -> 0.5
        a.updateState(Tf.constant(new int[][] {{2}, {1}}), Tf.constant(new float[][] {{0.1f, 0.6f, 0.3f}, {0.05f, 0.95f, 0f}}));
        assertEquals(0.5, a.resultValue(), 1e-6);
    }

    @Test
    void binaryAccuracyThresholdsThePredictions() {
        BinaryAccuracy a = new BinaryAccuracy();
        a.updateState(Tf.constant(new float[] {1, 1, 0, 0}), Tf.constant(new float[] {0.98f, 1f, 0f, 0.6f}));
        assertEquals(0.75, a.resultValue(), 1e-6);
    }

    @Test
    void precisionAndRecallFromTheConfusionCounts() {
        Tensor yTrue = Tf.constant(new float[] {0, 1, 1, 1, 0});
        Tensor yPred = Tf.constant(new float[] {1, 0, 1, 1, 0}); // tp 2, fp 1, fn 1
        Precision p = new Precision();
        Recall r = new Recall();
        p.updateState(yTrue, yPred);
        r.updateState(yTrue, yPred);
        assertEquals(2.0 / 3, p.resultValue(), 1e-6);
        assertEquals(2.0 / 3, r.resultValue(), 1e-6);
        p.updateState(Tf.constant(new float[] {0}), Tf.constant(new float[] {0.9f})); // one more false positive
        assertEquals(0.5, p.resultValue(), 1e-6);
        assertEquals(0.0, new Precision().resultValue(), "nothing predicted positive yet");
    }

    @Test
    void aCustomStreamingMetricIsAFunctionOfLabelsAndPredictions() {
        Metric within = new MeanMetricWrapper("within_0.5", (t, p) -> Tf.cast(Tf.abs(t.sub(p)).less(0.5), dev.tfjit.ir.DType.FLOAT32));
        within.updateState(Tf.constant(new float[] {1, 2}), Tf.constant(new float[] {1.2f, 3f}));
        within.updateState(Tf.constant(new float[] {0}), Tf.constant(new float[] {0.1f}));
        assertEquals(2.0 / 3, within.resultValue(), 1e-6);
    }

    @Test
    void updatesInsideAFunctionAccumulateAcrossCalls() {
        Mean m = new Mean();
        Function f = Function.of((Tensor x) -> {
            m.updateState(x);
            return m.result();
        });
        f.call(Tf.constant(new float[] {2, 4}));
        assertEquals(11.0 / 3, f.call(Tf.constant(new float[] {5})).item(), 1e-6);
        m.resetState();
        assertEquals(1.0, f.call(Tf.constant(new float[] {1})).item(), 1e-6);
    }

    @Test
    void accuracyByNameFollowsTheLoss() {
        assertInstanceOf(SparseCategoricalAccuracy.class, Metric.get("accuracy", new SparseCategoricalCrossentropy(true)));
        assertInstanceOf(Accuracy.class, Metric.get("accuracy", null));
        assertThrows(InvalidArgumentError.class, () -> Metric.get("auc_of_the_moon", null));
        assertThrows(InvalidArgumentError.class, () -> new Mean().updateState(Tf.constant(1f), Tf.constant(1f)));
    }
}
