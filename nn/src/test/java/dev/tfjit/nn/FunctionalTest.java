package dev.tfjit.nn;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.nn.layers.Add;
import dev.tfjit.nn.layers.Concatenate;
import dev.tfjit.nn.layers.Dense;
import dev.tfjit.nn.losses.MeanSquaredError;
import dev.tfjit.nn.optimizers.Adam;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The functional API as seeds 001 and 002 use it. */
class FunctionalTest {
    /** Seed 002's Classifier: a subclassed model used as a layer inside a functional model. */
    static final class Classifier extends Model {
        private final Dense dense;

        Classifier(int n) { dense = n == 2 ? new Dense(1, "sigmoid") : new Dense(n, "softmax"); }

        @Override
        protected Tensor call(Tensor inputs) { return dense.apply(inputs); }
    }

    @Test
    void inputsThroughLayersToOutputsMakeAModel() {
        KerasTensor.Input inputs = KerasTensor.Input.of(3);
        KerasTensor features = new Dense(64, "relu").on(inputs);
        KerasTensor outputs = new Classifier(10).on(features);
        Functional model = new Functional(inputs, outputs);
        assertEquals(Shape.of(-1, 10), outputs.shape(), "found by running the subclassed model once");
        Tensor probs = model.apply(Tf.random.normal(5, 3));
        assertEquals(Shape.of(5, 10), probs.shape());
        assertArrayEquals(new float[] {1, 1, 1, 1, 1}, Tf.reduceSum(probs, 1).toFloatArray(), 1e-5f);
        assertEquals(3 * 64 + 64 + 64 * 10 + 10, model.countParams());
        String s = model.summary();
        assertTrue(s.contains("(None, 64)") && s.contains("(None, 10)"), s);
    }

    @Test
    void aWideAndDeepModelConcatenatesTwoInputs() {
        KerasTensor.Input wide = KerasTensor.Input.named("wide", 2);
        KerasTensor.Input deep = KerasTensor.Input.named("deep", 3);
        Dense hidden = new Dense(4).kernelInitializer(Initializers.ones());
        KerasTensor concat = new Concatenate().on(wide, hidden.on(deep));
        assertEquals(Shape.of(-1, 6), concat.shape());
        Dense out = new Dense(1).kernelInitializer(Initializers.ones());
        Functional model = new Functional(List.of(wide, deep), out.on(concat), "wide_and_deep");
        Tensor y = model.callMany(List.of(Tf.constant(new float[][] {{1, 2}}), Tf.constant(new float[][] {{1, 1, 1}})));
        assertEquals(1 + 2 + 4 * 3, y.item(), 1e-6); // wide passes through; deep is 4 units of 3
        assertEquals(4, model.trainableWeights().size(), "two dense layers with kernel and bias");
    }

    @Test
    void aSharedLayerCalledTwiceHasOneSetOfWeightsAndAddMakesAResidual() {
        KerasTensor.Input in = KerasTensor.Input.of(4);
        Dense shared = new Dense(4, "tanh");
        KerasTensor h = shared.on(shared.on(in));
        Functional model = new Functional(in, new Add().on(in, h));
        assertEquals(2, model.trainableWeights().size());
        Tensor x = Tf.random.normal(2, 4);
        Tensor expected = x.add(shared.apply(shared.apply(x)));
        assertArrayEquals(expected.toFloatArray(), model.apply(x).toFloatArray(), 1e-6f);
    }

    @Test
    void aFunctionalModelTrainsWithFit() {
        KerasTensor.Input in = KerasTensor.Input.of(1);
        Functional model = new Functional(in, new Dense(1).on(new Dense(8, "tanh").on(in)));
        model.compile(new Adam(0.05), new MeanSquaredError());
        model.setVerbose(0);
        float[][] x = new float[32][1], y = new float[32][1];
        for (int i = 0; i < 32; i++) {
            x[i][0] = i / 16f - 1;
            y[i][0] = x[i][0] * x[i][0];
        }
        History h = model.fit(Tf.constant(x), Tf.constant(y), 8, 30);
        assertTrue(h.get("loss").get(29) < h.get("loss").get(0) / 2, h.toString());
    }

    @Test
    void wiringMistakesAreClearErrors() {
        KerasTensor.Input a = KerasTensor.Input.of(2), b = KerasTensor.Input.named("b", 2);
        var e = assertThrows(InvalidArgumentError.class, () -> new Functional(a, new Dense(1).on(b)));
        assertTrue(e.getMessage().contains("'b'"), e.getMessage());
        assertThrows(InvalidArgumentError.class, () -> new Dense(1).on(a, b));
        var c = assertThrows(InvalidArgumentError.class, () -> new Concatenate().on(a, KerasTensor.Input.of(2, 2)));
        assertTrue(c.getMessage().contains("same rank"), c.getMessage());
    }
}
