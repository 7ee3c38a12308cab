package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Softmax, log-softmax, the cross-entropy losses and Keras's loss functions. */
class SoftmaxAndLossTest {
    private static float[] softmaxOf(double... x) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (double v : x) max = Math.max(max, v);
        for (double v : x) sum += Math.exp(v - max);
        float[] r = new float[x.length];
        for (int i = 0; i < x.length; i++) r[i] = (float) (Math.exp(x[i] - max) / sum);
        return r;
    }

    @Test
    void softmaxIsStableForLargeLogits() {
        assertArrayEquals(softmaxOf(1, 2, 3), Tf.softmax(Tf.constant(new float[]{1, 2, 3})).toFloatArray(), 1e-7f);
        assertArrayEquals(softmaxOf(0, 1), Tf.softmax(Tf.constant(new float[]{1000, 1001})).toFloatArray(), 1e-7f);
    }

    @Test
    void softmaxAlongAFirstAxisSwapsAndSwapsBack() {
        Tensor x = Tf.constant(new float[][]{{1, 5}, {3, 5}});
        float[] s = Tf.softmax(x, 0).toFloatArray();
        float[] col0 = softmaxOf(1, 3);
        assertArrayEquals(new float[]{col0[0], 0.5f, col0[1], 0.5f}, s, 1e-7f);
    }

    @Test
    void logSoftmaxAndSpecialRows() {
        float[] ls = Tf.logSoftmax(Tf.constant(new float[]{0, Float.NEGATIVE_INFINITY})).toFloatArray();
        assertEquals(0f, ls[0]);
        assertEquals(Float.NEGATIVE_INFINITY, ls[1]);
        float[] allNegInf = Tf.softmax(Tf.constant(new float[]{Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY})).toFloatArray();
        assertTrue(Float.isNaN(allNegInf[0]) && Float.isNaN(allNegInf[1]));
        float[] nan = Tf.softmax(Tf.constant(new float[]{1, Float.NaN})).toFloatArray();
        assertTrue(Float.isNaN(nan[0]));
    }

    @Test
    void softmaxOfAScalarIsTfsError() {
        var e = assertThrows(InvalidArgumentError.class, () -> Tf.softmax(Tf.constant(1f)));
        assertTrue(e.getMessage().contains("logits must have >= 1 dimension, got []"), e.getMessage());
        assertThrows(InvalidArgumentError.class, () -> Tf.softmax(Tf.constant(new float[]{1}), 1));
    }

    @Test
    void softmaxCrossEntropyMatchesMinusLogOfTheSoftmax() {
        Tensor logits = Tf.constant(new float[][]{{1, 2, 3}, {1, 1, 1}});
        Tensor labels = Tf.constant(new float[][]{{0, 0, 1}, {0.5f, 0.5f, 0}});
        float[] loss = Tf.softmaxCrossEntropyWithLogits(labels, logits).toFloatArray();
        assertEquals(-Math.log(softmaxOf(1, 2, 3)[2]), loss[0], 1e-6);
        assertEquals(Math.log(3), loss[1], 1e-6);
        // labels broadcast against logits, and rank 3 is flattened and reshaped back
        assertArrayEquals(new float[]{(float) Math.log(3), (float) Math.log(3)},
                Tf.softmaxCrossEntropyWithLogits(Tf.constant(new float[][]{{1, 0, 0}}), Tf.constant(new float[2 * 3], 2, 3)).toFloatArray(), 1e-6f);
        Tensor r3 = Tf.softmaxCrossEntropyWithLogits(Tf.constant(new float[]{1, 0, 0, 1}, 2, 1, 2), Tf.constant(new float[4], 2, 1, 2));
        assertEquals(dev.tfjit.ir.Shape.of(2, 1), r3.shape());
    }

    @Test
    void sparseSoftmaxCrossEntropyTakesClassIds() {
        Tensor logits = Tf.constant(new float[][]{{1, 2, 3}, {0, 0, Float.NEGATIVE_INFINITY}});
        float[] loss = Tf.sparseSoftmaxCrossEntropyWithLogits(Tf.constant(new long[]{2, 2}), logits).toFloatArray();
        assertEquals(-Math.log(softmaxOf(1, 2, 3)[2]), loss[0], 1e-6);
        assertEquals(Float.POSITIVE_INFINITY, loss[1]);
        Tensor rank3 = Tf.sparseSoftmaxCrossEntropyWithLogits(Tf.constant(new int[][]{{0, 1}}), Tf.constant(new float[1 * 2 * 2], 1, 2, 2));
        assertArrayEquals(new float[]{(float) Math.log(2), (float) Math.log(2)}, rank3.toFloatArray(), 1e-6f);
    }

    @Test
    void sparseLabelsOutOfRangeAreTfsError() {
        var e = assertThrows(InvalidArgumentError.class, () -> Tf.sparseSoftmaxCrossEntropyWithLogits(
                Tf.constant(new int[]{0, 5, 1}), Tf.constant(new float[3 * 5], 3, 5)));
        assertTrue(e.getMessage().contains("Received a label value of 5 which is outside the valid range of [0, 5).  Label values: 0 5 1"),
                e.getMessage());
        assertThrows(InvalidArgumentError.class, () -> Tf.sparseSoftmaxCrossEntropyWithLogits(Tf.constant(new int[]{0}), Tf.constant(new float[]{1})));
    }

    @Test
    void sigmoidCrossEntropyIsStableForExtremeLogits() {
        Tensor logits = Tf.constant(new float[]{-100, 0, 100});
        Tensor labels = Tf.constant(new float[]{0, 1, 1});
        assertArrayEquals(new float[]{0, (float) Math.log(2), 0}, Tf.sigmoidCrossEntropyWithLogits(labels, logits).toFloatArray(), 1e-7f);
        assertThrows(dev.tfjit.ir.ShapeError.class, () -> Tf.sigmoidCrossEntropyWithLogits(Tf.constant(new float[]{1}), logits));
    }

    @Test
    void meanSquaredErrorPerSampleAndOverTheBatch() {
        Tensor yTrue = Tf.constant(new float[][]{{0, 1}, {1, 1}});
        Tensor yPred = Tf.constant(new float[][]{{1, 1}, {1, 0}});
        Tensor perSample = Tf.meanSquaredError(yTrue, yPred);
        assertArrayEquals(new float[]{0.5f, 0.5f}, perSample.toFloatArray());
        assertEquals(0.5f, Tf.sumOverBatchSize(perSample).floatValue());
        assertEquals(0f, Tf.sumOverBatchSize(Tf.constant(new float[0])).floatValue());
    }

    @Test
    void divNoNanGivesZeroForZeroDivisors() {
        assertArrayEquals(new float[]{0, 2}, Tf.divideNoNan(Tf.constant(new float[]{1, 4}), Tf.constant(new float[]{0, 2})).toFloatArray());
        assertThrows(dev.tfjit.ir.DTypeError.class, () -> Tf.divideNoNan(Tf.constant(new int[]{1}), Tf.constant(new int[]{1})));
    }

    @Test
    void categoricalCrossentropyFromProbabilitiesAndLogits() {
        Tensor yTrue = Tf.constant(new float[][]{{0, 1}});
        assertEquals(-Math.log(0.8), Tf.categoricalCrossentropy(yTrue, Tf.constant(new float[][]{{0.2f, 0.8f}}), false).floatValue(), 1e-6);
        // unnormalized probabilities are renormalized first
        assertEquals(-Math.log(0.8), Tf.categoricalCrossentropy(yTrue, Tf.constant(new float[][]{{0.4f, 1.6f}}), false).floatValue(), 1e-6);
        assertEquals(-Math.log(softmaxOf(0, 2)[1]), Tf.categoricalCrossentropy(yTrue, Tf.constant(new float[][]{{0, 2}}), true).floatValue(), 1e-6);
    }

    @Test
    void sparseCategoricalCrossentropySqueezesATrailingOne() {
        Tensor probs = Tf.constant(new float[][]{{0.2f, 0.8f}, {0.5f, 0.5f}});
        float[] loss = Tf.sparseCategoricalCrossentropy(Tf.constant(new int[][]{{1}, {0}}), probs, false).toFloatArray();
        assertEquals(-Math.log(0.8), loss[0], 1e-6);
        assertEquals(Math.log(2), loss[1], 1e-6);
    }

    @Test
    void binaryCrossentropyAveragesOverTheLastAxis() {
        Tensor yTrue = Tf.constant(new float[][]{{1, 0}});
        float fromProbs = Tf.binaryCrossentropy(yTrue, Tf.constant(new float[][]{{0.9f, 0.2f}}), false).floatValue();
        assertEquals((-Math.log(0.9) - Math.log(0.8)) / 2, fromProbs, 1e-6);
        float fromLogits = Tf.binaryCrossentropy(yTrue, Tf.constant(new float[][]{{0, 0}}), true).floatValue();
        assertEquals(Math.log(2), fromLogits, 1e-6);
        // probabilities of exactly 0 and 1 are clipped, so the loss stays finite
        assertTrue(Float.isFinite(Tf.binaryCrossentropy(yTrue, Tf.constant(new float[][]{{0, 1}}), false).floatValue()));
    }

    @Test
    void reduceLogsumexpIsStable() {
        Tensor x = Tf.constant(new float[][]{{1000, 1000}, {0, Float.NEGATIVE_INFINITY}});
        float[] r = Tf.reduceLogsumexp(x, new int[]{1}, false).toFloatArray();
        assertEquals(1000 + Math.log(2), r[0], 1e-3);
        assertEquals(0f, r[1]);
        assertEquals(dev.tfjit.ir.Shape.of(2, 1), Tf.reduceLogsumexp(x, new int[]{1}, true).shape());
        assertEquals(DType.FLOAT32, Tf.reduceLogsumexp(x).dtype());
    }
}
