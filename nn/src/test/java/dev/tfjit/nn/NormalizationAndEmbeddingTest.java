package dev.tfjit.nn;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.nn.layers.BatchNormalization;
import dev.tfjit.nn.layers.Dense;
import dev.tfjit.nn.layers.Embedding;
import dev.tfjit.nn.layers.LayerNormalization;
import dev.tfjit.nn.losses.MeanSquaredError;
import dev.tfjit.nn.optimizers.Adam;
import dev.tfjit.nn.optimizers.SGD;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.GradientTape;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NormalizationAndEmbeddingTest {
    private static final Tensor X = Tf.constant(new float[][] {{1, 10}, {3, 20}, {5, 60}});

    @Test
    void batchNormalizationUsesBatchStatisticsInTrainingAndMovingOnesAtInference() {
        BatchNormalization bn = new BatchNormalization(0.5, 0.0);
        float[] y = bn.apply(X, true).toFloatArray();
        // column 0: mean 3, var 8/3 -> (x-3)/sqrt(8/3)
        double s0 = Math.sqrt(8.0 / 3);
        assertEquals(-2 / s0, y[0], 1e-5);
        assertEquals(2 / s0, y[4], 1e-5);
        assertEquals(2, bn.trainableWeights().size());
        assertEquals(2, bn.nonTrainableWeights().size());
        // moving mean 0*0.5 + 3*0.5 = 1.5; moving var 1*0.5 + (8/3)*0.5
        float[] movingMean = bn.nonTrainableWeights().get(0).read().toFloatArray();
        assertEquals(1.5f, movingMean[0], 1e-6f);
        float[] inference = bn.apply(Tf.constant(new float[][] {{1.5f, 0f}})).toFloatArray();
        assertEquals(0f, inference[0], 1e-6f, "x equal to the moving mean normalizes to zero");
    }

    @Test
    void batchNormalizationMovesItsStatisticsInsideACompiledStep() {
        BatchNormalization bn = new BatchNormalization(0.5, 1e-3);
        Function step = Function.of((Tensor x) -> bn.apply(x, true));
        step.call(X);
        step.call(X);
        assertEquals(3 * 0.75, bn.nonTrainableWeights().get(0).read().toFloatArray()[0], 1e-5, "0 -> 1.5 -> 2.25");
    }

    @Test
    void layerNormalizationNormalizesEachSampleOverItsFeatures() {
        LayerNormalization ln = new LayerNormalization(0.0);
        float[] y = ln.apply(Tf.constant(new float[][] {{1, 3}, {10, 30}})).toFloatArray();
        assertArrayEquals(new float[] {-1, 1, -1, 1}, y, 1e-5f);
        assertEquals(Shape.of(-1, 2), ln.computeOutputShape(Shape.of(-1, 2)));
    }

    @Test
    void embeddingLooksUpRowsAndLearnsOnlyTheRowsItSaw() {
        Embedding e = new Embedding(4, 2).embeddingsInitializer((s, t) -> Tf.constant(new float[][] {{0, 0}, {1, 1}, {2, 2}, {3, 3}}));
        Tensor ids = Tf.constant(new int[][] {{3, 1}});
        Tensor out = e.apply(ids);
        assertEquals(Shape.of(1, 2, 2), out.shape());
        assertArrayEquals(new float[] {3, 3, 1, 1}, out.toFloatArray());
        GradientTape tape = new GradientTape();
        Tensor loss = Tf.reduceSum(e.apply(ids));
        tape.close();
        new SGD(1.0).applyGradients(List.of(tape.gradient(loss, e.embeddings())), List.of(e.embeddings()));
        assertArrayEquals(new float[] {0, 0, 0, 0, 2, 2, 2, 2}, e.embeddings().read().toFloatArray());
        assertThrows(InvalidArgumentError.class, () -> e.apply(Tf.constant(new float[] {1f})));
    }

    @Test
    void differentOptimizersForDifferentLayers() {
        // The seed's exercise: the lower layer with SGD, the upper one with Adam, in one train step.
        Dense lower = new Dense(3, "tanh"), upper = new Dense(1); // tanh: no dead units, so every weight gets a gradient
        Sequential model = new Sequential(new int[] {2}, lower, upper);
        SGD sgd = new SGD(0.01);
        Adam adam = new Adam(0.01);
        Tensor x = Tf.constant(new float[][] {{1, 2}, {3, 4}}), y = Tf.constant(new float[][] {{1}, {2}});
        float[] lowerBefore = lower.kernel().read().toFloatArray(), upperBefore = upper.kernel().read().toFloatArray();
        Function step = Function.of((Tensor xs, Tensor ys) -> {
            GradientTape tape = new GradientTape();
            Tensor loss = new MeanSquaredError().apply(ys, model.apply(xs, true));
            tape.close();
            List<Variable> lowerVars = lower.trainableWeights(), upperVars = upper.trainableWeights();
            List<Tensor> grads = tape.gradient(loss, List.of(lowerVars.get(0), lowerVars.get(1), upperVars.get(0), upperVars.get(1)));
            sgd.applyGradients(grads.subList(0, 2), lowerVars);
            adam.applyGradients(grads.subList(2, 4), upperVars);
            return loss;
        });
        step.call(x, y);
        assertEquals(1, sgd.iterations().read().longValue());
        assertEquals(1, adam.iterations().read().longValue());
        assertEquals(0, sgd.slots(upper.kernel()).size() + adam.slots(lower.kernel()).size(), "each optimizer only touched its own layer");
        float[] lowerAfter = lower.kernel().read().toFloatArray(), upperAfter = upper.kernel().read().toFloatArray();
        for (int i = 0; i < lowerAfter.length; i++) assertNotEquals(lowerBefore[i], lowerAfter[i], "lower kernel " + i);
        for (int i = 0; i < upperAfter.length; i++) assertNotEquals(upperBefore[i], upperAfter[i], "upper kernel " + i);
    }
}
