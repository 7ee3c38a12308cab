package dev.tfjit.nn;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.nn.layers.Dense;
import dev.tfjit.nn.layers.Dropout;
import dev.tfjit.nn.layers.Flatten;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayersTest {
    /** The seed's MyDense: a custom layer whose weights come from build(batch_input_shape). */
    static final class MyDense extends Layer {
        private final int units;
        private final Activation activation;
        private Variable kernel, bias;

        MyDense(int units, String activation) {
            this.units = units;
            this.activation = Activations.get(activation);
        }

        @Override
        public void build(Shape batchInputShape) {
            kernel = addWeight("kernel", new int[] {batchInputShape.dim(-1), units}, Initializers.get("glorot_normal"));
            bias = addWeight("bias", new int[] {units}, Initializers.zeros());
        }

        @Override
        protected Tensor call(Tensor x) { return activation.apply(x.matmul(kernel.read()).add(bias.read())); }

        @Override
        public java.util.Map<String, Object> getConfig() {
            var c = super.getConfig();
            c.put("units", units);
            c.put("activation", Activations.serialize(activation));
            return c;
        }
    }

    @Test
    void denseIsInputsTimesKernelPlusBiasThroughTheActivation() {
        Dense d = new Dense(2, "relu").kernelInitializer((s, t) -> Tf.constant(new float[][] {{1, -1}, {2, 0}, {0, 1}}))
                .biasInitializer((s, t) -> Tf.constant(new float[] {0.5f, -10f}));
        Tensor y = d.apply(Tf.constant(new float[][] {{1, 1, 1}, {0, 1, -1}}));
        // [1+2+0+0.5, -1+0+1-10] = [3.5, -10] -> relu [3.5, 0]; [2+0.5, -1-10] -> [2.5, 0]
        assertArrayEquals(new float[] {3.5f, 0f, 2.5f, 0f}, y.toFloatArray());
        assertEquals(Shape.of(3, 2), d.kernel().shape());
        assertEquals(8, d.countParams());
        assertEquals(List.of(d.kernel(), d.bias()), d.trainableWeights());
    }

    @Test
    void denseBuildsFromTheLastDimOnFirstCallAndWorksOnHigherRanks() {
        Dense d = new Dense(4).kernelInitializer(Initializers.ones());
        assertFalse(d.isBuilt());
        Tensor y = d.apply(Tf.ones(2, 3, 5));
        assertTrue(d.isBuilt());
        assertEquals(Shape.of(2, 3, 4), y.shape());
        assertEquals(5f, y.toFloatArray()[0]);
    }

    @Test
    void denseNeedsAKnownLastDimension() {
        var e = assertThrows(InvalidArgumentError.class, () -> new Dense(3).build(Shape.of(-1, -1)));
        assertTrue(e.getMessage().contains("last dimension"), e.getMessage());
        assertThrows(InvalidArgumentError.class, () -> new Dense(0));
    }

    @Test
    void flattenKeepsTheBatchDim() {
        Flatten f = new Flatten();
        assertEquals(Shape.of(2, 12), f.apply(Tf.zeros(2, 3, 4)).shape());
        assertEquals(Shape.of(3, 1), f.apply(Tf.zeros(3)).shape());
        assertEquals(Shape.of(0, 12), f.apply(Tf.zeros(0, 3, 4)).shape());
        assertEquals(Shape.of(-1, 784), f.computeOutputShape(Shape.of(-1, 28, 28)));
    }

    @Test
    void flattenAndDenseTraceWithUnknownDims() {
        Flatten f = new Flatten();
        Dense d = new Dense(2).kernelInitializer(Initializers.ones());
        dev.tfjit.tracer.Function fn = dev.tfjit.tracer.Function.of((Tensor x) -> d.apply(f.apply(x)))
                .withInputSignature(dev.tfjit.tracer.TensorSpec.of(DType.FLOAT32, "?", 4));
        assertArrayEquals(new float[] {10, 10, 26, 26}, fn.call(Tf.constant(new float[][] {{1, 2, 3, 4}, {5, 6, 7, 8}})).toFloatArray());
        assertEquals(1, fn.concreteFunctions().size());
        dev.tfjit.tracer.Function flat = dev.tfjit.tracer.Function.of((Tensor x) -> f.apply(x))
                .withInputSignature(dev.tfjit.tracer.TensorSpec.of(DType.FLOAT32, "?", "?", 2));
        assertEquals(Shape.of(2, 6), flat.call(Tf.zeros(2, 3, 2)).shape(), "inner dims known only at run time");
    }

    @Test
    void dropoutIsTheIdentityAtInferenceAndScalesKeptUnitsInTraining() {
        Dropout d = new Dropout(0.5, 3);
        Tensor x = Tf.ones(100, 100);
        assertSame(x, d.apply(x));
        float[] y = d.apply(x, true).toFloatArray();
        int zeros = 0;
        for (float v : y) {
            assertTrue(v == 0f || v == 2f, "kept units are scaled by 1/(1-rate): " + v);
            if (v == 0f) zeros++;
        }
        assertEquals(5000, zeros, 300);
        assertThrows(InvalidArgumentError.class, () -> new Dropout(1.0));
    }

    @Test
    void dropoutInTrainingTakesAnUnknownBatch() {
        Dropout d = new Dropout(0.25, 5);
        dev.tfjit.tracer.Function f = dev.tfjit.tracer.Function.of((Tensor x) -> d.apply(x, true))
                .withInputSignature(dev.tfjit.tracer.TensorSpec.of(DType.FLOAT32, "?", 8));
        for (int batch : new int[] {16, 3}) {
            Tensor y = f.call(Tf.ones(batch, 8));
            assertEquals(Shape.of(batch, 8), y.shape());
            for (float v : y.toFloatArray()) assertTrue(v == 0f || v == 1f / 0.75f, "kept units are scaled by 1/(1-rate): " + v);
        }
        assertEquals(Shape.of(-1, 8), f.concreteFunctions().get(0).tracedGraph().resultTypes().get(0).shape());
    }

    @Test
    void theSeedsCustomLayerBuildsItsWeightsAndReportsItsConfig() {
        MyDense layer = new MyDense(3, "relu");
        Tensor y = layer.apply(Tf.random.normal(4, 5));
        assertEquals(Shape.of(4, 3), y.shape());
        for (float v : y.toFloatArray()) assertTrue(v >= 0);
        assertEquals(5 * 3 + 3, layer.countParams());
        assertEquals("relu", layer.getConfig().get("activation"));
        assertEquals(3, layer.getConfig().get("units"));
        assertTrue(layer.name().startsWith("my_dense"), layer.name());
    }

    @Test
    void freezingALayerMovesItsWeightsToTheNonTrainableOnes() {
        Dense d = new Dense(2);
        d.apply(Tf.ones(1, 3));
        d.setTrainable(false);
        assertEquals(List.of(), d.trainableWeights());
        assertEquals(2, d.nonTrainableWeights().size());
    }

    @Test
    void regularizersAndAddLossFeedTheLayersLosses() {
        Dense d = new Dense(1).kernelInitializer(Initializers.constant(2)).kernelRegularizer(Regularizer.l2(0.1));
        d.apply(Tf.ones(1, 3));
        assertEquals(1, d.losses().size());
        assertEquals(0.1 * 3 * 4, d.losses().get(0).item(), 1e-6);

        Layer activityPenalty = new Layer() {
            @Override
            protected Tensor call(Tensor x) {
                addLoss(Tf.reduceSum(Tf.abs(x)).mul(0.01));
                return x;
            }
        };
        activityPenalty.apply(Tf.constant(new float[] {-1, 2}));
        activityPenalty.apply(Tf.constant(new float[] {3}));
        assertEquals(1, activityPenalty.losses().size(), "a new outermost call replaces the previous call's losses");
        assertEquals(0.03, activityPenalty.losses().get(0).item(), 1e-6);
    }

    @Test
    void initializersFollowKerasFansAndSeeds() {
        Tensor g = Initializers.glorotUniform(5).apply(new int[] {200, 300}, DType.FLOAT32);
        double limit = Math.sqrt(6.0 / 500);
        for (float v : g.toFloatArray()) assertTrue(Math.abs(v) <= limit);
        assertEquals(limit * limit / 3, g.square().mean().item(), 0.1 * limit * limit / 3, "uniform variance is limit^2/3");
        assertArrayEquals(g.toFloatArray(), Initializers.glorotUniform(5).apply(new int[] {200, 300}, DType.FLOAT32).toFloatArray(),
                "the same seed gives the same values");
        Tensor he = Initializers.heNormal(1).apply(new int[] {400, 300}, DType.FLOAT32);
        assertEquals(2.0 / 400, he.square().mean().item(), 0.1 * 2.0 / 400, "he_normal has variance 2/fan_in");
        assertEquals(0.0, Initializers.zeros().apply(new int[] {2}, DType.FLOAT32).sum().item());
        assertEquals(6.0, Initializers.ones().apply(new int[] {2, 3}, DType.FLOAT32).sum().item());
        assertArrayEquals(new double[] {3 * 3 * 16, 3 * 3 * 32}, Initializers.fans(new int[] {3, 3, 16, 32}));
    }

    @Test
    void activationsByNameOrFunction() {
        Tensor x = Tf.constant(new float[] {-1, 0, 2});
        assertArrayEquals(new float[] {0, 0, 2}, Activations.get("relu").apply(x).toFloatArray());
        assertSame(x, Activations.get(null).apply(x));
        assertEquals("sigmoid", Activations.serialize(Activations.get("sigmoid")));
        var e = assertThrows(InvalidArgumentError.class, () -> Activations.get("sparkle"));
        assertTrue(e.getMessage().contains("sparkle"));
        Activation mySoftplus = z -> Tf.log(Tf.exp(z).add(1.0)); // the seed's my_softplus
        assertArrayEquals(Tf.softplus(x).toFloatArray(), new Dense(3, mySoftplus).kernelInitializer((s, t) -> Tf.eye(3, 3))
                .apply(Tf.reshape(x, 1, 3)).toFloatArray(), 1e-6f);
        assertNull(new Dense(1).lastOutputShape());
    }
}
