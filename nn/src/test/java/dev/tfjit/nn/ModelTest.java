package dev.tfjit.nn;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.nn.layers.Dense;
import dev.tfjit.nn.layers.Dropout;
import dev.tfjit.nn.layers.Flatten;
import dev.tfjit.nn.losses.Huber;
import dev.tfjit.nn.losses.MeanSquaredError;
import dev.tfjit.nn.losses.SparseCategoricalCrossentropy;
import dev.tfjit.nn.optimizers.Adam;
import dev.tfjit.nn.optimizers.SGD;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;
import dev.tfjit.tracer.data.Dataset;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelTest {
    /** The seed's ResidualBlock: a layer made of layers, which are tracked through its list field. */
    static final class ResidualBlock extends Layer {
        private final List<Dense> hidden = new ArrayList<>();

        ResidualBlock(int nLayers, int nNeurons) {
            for (int i = 0; i < nLayers; i++) hidden.add(new Dense(nNeurons, "relu").kernelInitializer("he_normal"));
        }

        @Override
        protected Tensor call(Tensor inputs) {
            Tensor z = inputs;
            for (Dense layer : hidden) z = layer.apply(z);
            return inputs.add(z);
        }
    }

    /** The seed's ResidualRegressor: a subclassed model that reuses block1 four times. */
    static final class ResidualRegressor extends Model {
        private final Dense hidden1 = new Dense(30, "relu").kernelInitializer("he_normal");
        private final ResidualBlock block1 = new ResidualBlock(2, 30);
        private final ResidualBlock block2 = new ResidualBlock(2, 30);
        private final Dense out;

        ResidualRegressor(int outputDim) { out = new Dense(outputDim); }

        @Override
        protected Tensor call(Tensor inputs) {
            Tensor z = hidden1.apply(inputs);
            for (int i = 0; i < 1 + 3; i++) z = block1.apply(z);
            z = block2.apply(z);
            return out.apply(z);
        }
    }

    /** y = 2*x0 - x1 + 0.5 with a little structure, 64 samples. */
    private static Tensor[] regressionData() {
        float[][] x = new float[64][2];
        float[][] y = new float[64][1];
        for (int i = 0; i < 64; i++) {
            x[i][0] = (i % 8) / 4f - 1;
            x[i][1] = (i / 8) / 4f - 1;
            y[i][0] = 2 * x[i][0] - x[i][1] + 0.5f;
        }
        return new Tensor[] {Tf.constant(x), Tf.constant(y)};
    }


    @Test
    void residualRegressorTracksNestedLayersAndTrains() {
        ResidualRegressor model = new ResidualRegressor(1);
        Tensor[] d = regressionData();
        assertEquals(Shape.of(64, 1), model.apply(d[0]).shape());
        // hidden1 2*30+30, two blocks of two 30x30 dense layers, out 30+1
        assertEquals(90 + 4 * 930 + 31, model.countParams());
        assertEquals(2 + 8 + 2, model.trainableWeights().size());
        model.compile(new Adam(0.01), new Huber());
        model.setVerbose(0);
        History h = model.fit(d[0], d[1], 16, 15);
        List<Double> loss = h.get("loss");
        assertEquals(15, loss.size());
        assertTrue(loss.get(14) < loss.get(0) / 3, "loss falls: " + loss);
    }

    @Test
    void aCompiledTrainStepGivesTheEagerStepsNumbers() {
        Tensor[] d = regressionData();
        Sequential eager = new Sequential(new int[] {2}, new Dense(4, "tanh").kernelInitializer(Initializers.glorotUniform(1)),
                new Dense(1).kernelInitializer(Initializers.glorotUniform(2)));
        Sequential compiled = new Sequential(new int[] {2}, new Dense(4, "tanh").kernelInitializer(Initializers.glorotUniform(1)),
                new Dense(1).kernelInitializer(Initializers.glorotUniform(2)));
        eager.compile(new SGD(0.1, 0.9, true), new MeanSquaredError());
        compiled.compile(new SGD(0.1, 0.9, true), new MeanSquaredError());
        double eagerLossSum = 0;
        for (int i = 1; i <= 3; i++) {
            eagerLossSum += eager.trainStep(d[0], d[1]).item();
            List<Tensor> results = compiled.compiledTrainStep().callAll(d[0], d[1]);
            assertEquals(eagerLossSum / i, results.get(0).item(), 1e-5, "the step returns the running mean of the losses");
        }
        for (int i = 0; i < eager.weights().size(); i++) {
            assertArrayEquals(eager.weights().get(i).read().toFloatArray(), compiled.weights().get(i).read().toFloatArray(), 1e-5f);
        }
        assertEquals(1, compiled.compiledTrainStep().traceCount());
    }

    @Test
    void fitOnATinyClassificationSetLearnsItAndLogsProgressLikeKeras() {
        float[][] x = new float[40][2];
        int[] y = new int[40];
        for (int i = 0; i < 40; i++) {
            y[i] = i % 2;
            x[i][0] = (y[i] == 1 ? 1 : -1) + (i % 5) * 0.1f;
            x[i][1] = (i % 7) * 0.1f;
        }
        Sequential model = new Sequential(new int[] {2}, new Dense(8, "relu").kernelInitializer(Initializers.glorotUniform(3)),
                new Dropout(0.1, 4), new Dense(2).kernelInitializer(Initializers.glorotUniform(5)));
        model.compile(new Adam(0.05), new SparseCategoricalCrossentropy(true), "accuracy");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        model.setOutput(new PrintStream(out, true, StandardCharsets.UTF_8));
        Tensor xs = Tf.constant(x), ys = Tf.constant(y);
        History h = model.fit(xs, ys, 8, 10, xs, ys);
        String log = out.toString(StandardCharsets.UTF_8);
        assertTrue(log.startsWith("Epoch 1/10\n"), log);
        assertTrue(log.matches("(?s).*5/5 \\[={30}\\] - \\d+s \\S+/step - loss: \\d\\.\\d{4} - accuracy: \\d\\.\\d{4} - val_loss: \\d\\.\\d{4} - val_accuracy: \\d\\.\\d{4}\n.*"), log);
        assertEquals(1.0, h.get("val_accuracy").get(9), 1e-6, h.toString());
        assertTrue(h.get("loss").get(9) < h.get("loss").get(0));
        Map<String, Double> eval = model.evaluate(xs, ys, 16);
        assertEquals(1.0, eval.get("accuracy"), 1e-6);
        Tensor pred = model.predict(xs, 16);
        assertEquals(Shape.of(40, 2), pred.shape());
        assertEquals(1.0, Tf.reduceMean(Tf.cast(Tf.equal(Tf.argmax(pred, 1), Tf.cast(ys, dev.tfjit.ir.DType.INT64)), dev.tfjit.ir.DType.FLOAT32)).item(), 1e-6);
    }

    @Test
    void fitAcceptsADatasetOfBatches() {
        Tensor[] d = regressionData();
        Sequential model = new Sequential(new Dense(1));
        model.compile("sgd", "mse");
        model.setVerbose(0);
        History h = model.fit(Dataset.fromTensorSlices(d[0], d[1]).batch(8), 20);
        assertTrue(h.get("loss").get(19) < 0.5 * h.get("loss").get(0), h.toString());
        assertTrue(model.isBuilt());
    }

    @Test
    void sequentialSummaryListsLayersShapesAndParameterCounts() {
        Sequential model = new Sequential(new int[] {28, 28}, new Flatten(), new Dense(300, "relu"), new Dense(100, "relu"), new Dense(10));
        String s = model.summary();
        String[] lines = s.split("\n");
        assertTrue(lines[0].matches("Model: \"sequential(_\\d+)?\""), lines[0]);
        assertTrue(s.contains(" Layer (type)                Output Shape              Param #"), s);
        assertTrue(s.matches("(?s).* flatten(_\\d+)? \\(Flatten\\) +\\(None, 784\\) +0\n.*"), s);
        assertTrue(s.matches("(?s).* dense(_\\d+)? \\(Dense\\) +\\(None, 300\\) +235500\n.*"), s);
        assertTrue(s.matches("(?s).* dense(_\\d+)? \\(Dense\\) +\\(None, 10\\) +1010\n.*"), s);
        assertTrue(s.contains("Total params: 266,610 (1.02 MB)"), s);
        assertTrue(s.contains("Trainable params: 266,610 (1.02 MB)"), s);
        assertTrue(s.contains("Non-trainable params: 0 (0.00 Byte)"), s);
    }

    @Test
    void summaryOfASubclassedModelAfterACall() {
        ResidualRegressor model = new ResidualRegressor(1);
        model.apply(Tf.zeros(3, 8));
        String s = model.summary();
        assertTrue(s.contains("(ResidualBlock)"), s);
        assertTrue(s.contains("Total params: " + String.format("%,d", 8 * 30 + 30 + 4 * 930 + 31)), s);
    }

    @Test
    void fitBeforeCompileIsAClearError() {
        Tensor[] d = regressionData();
        var e = assertThrows(InvalidArgumentError.class, () -> new Sequential(new Dense(1)).fit(d[0], d[1], 8, 1));
        assertTrue(e.getMessage().contains("compile()"), e.getMessage());
    }

    @Test
    void regularizationLossesJoinTheTrainingLoss() {
        Tensor x = Tf.constant(new float[][] {{1f}}), y = Tf.constant(new float[][] {{0f}});
        Sequential model = new Sequential(new int[] {1}, new Dense(1).useBias(false)
                .kernelInitializer(Initializers.constant(2)).kernelRegularizer(Regularizer.l2(0.5)));
        model.compile(new SGD(0.1), new MeanSquaredError());
        Tensor loss = model.trainStep(x, y);
        assertEquals(4 + 0.5 * 4, loss.item(), 1e-6); // mse (2-0)^2 + 0.5*w^2
        Variable w = model.trainableWeights().get(0);
        assertEquals(2 - 0.1 * (2 * 2 + 2 * 0.5 * 2), w.read().toFloatArray()[0], 1e-6); // d/dw = 2w x^2 + 2*0.5*w
    }
}
