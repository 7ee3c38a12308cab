package dev.tfjit.nn;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.nn.layers.Dense;
import dev.tfjit.nn.losses.MeanSquaredError;
import dev.tfjit.nn.optimizers.SGD;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Constraints, saving and loading weights, and early stopping. */
class TrainingExtrasTest {
    private static final Tensor X = Tf.constant(new float[][] {{1, 0}, {0, 1}, {1, 1}});
    private static final Tensor Y = Tf.constant(new float[][] {{-5}, {-5}, {-10}});

    @Test
    void aNonNegConstraintProjectsTheKernelAfterEachUpdate() {
        Dense d = new Dense(1).kernelInitializer(Initializers.constant(0.1)).kernelConstraint(Constraint.nonNeg());
        Sequential model = new Sequential(new int[] {2}, d);
        model.compile(new SGD(1.0), new MeanSquaredError());
        model.compiledTrainStep().callAll(X, Y);
        for (float w : d.kernel().read().toFloatArray()) assertEquals(0f, w, "the targets pull the weights negative; the constraint clips them");
    }

    @Test
    void maxNormScalesColumnsDownToTheLimit() {
        Tensor w = Tf.constant(new float[][] {{3, 0.3f}, {4, 0.4f}});
        assertArrayEquals(new float[] {0.6f, 0.3f, 0.8f, 0.4f}, Constraint.maxNorm(1.0).apply(w).toFloatArray(), 1e-5f);
    }

    @Test
    void savedWeightsLoadIntoAFreshModelThatPredictsIdentically(@TempDir Path dir) {
        Sequential a = new Sequential(new int[] {2}, new Dense(4, "relu"), new Dense(1));
        a.saveWeights(dir);
        Sequential b = new Sequential(new int[] {2}, new Dense(4, "relu"), new Dense(1));
        b.loadWeights(dir);
        assertArrayEquals(a.predict(X, 2).toFloatArray(), b.predict(X, 2).toFloatArray());
        Sequential wrong = new Sequential(new int[] {2}, new Dense(5), new Dense(1));
        var e = assertThrows(InvalidArgumentError.class, () -> wrong.loadWeights(dir));
        assertTrue(e.getMessage().contains("weight 0") && e.getMessage().contains("holds"), e.getMessage());
    }

    @Test
    void modelCheckpointKeepsTheBestEpochsWeights(@TempDir Path dir) {
        Sequential model = new Sequential(new int[] {2}, new Dense(1));
        model.compile(new SGD(0.05), new MeanSquaredError());
        model.setVerbose(0);
        ModelCheckpoint checkpoint = new ModelCheckpoint(dir, "loss", true);
        History h = model.fit(X, Y, 3, 5, null, null, checkpoint);
        int best = 1;
        for (int e = 2; e <= 5; e++) if (h.get("loss").get(e - 1) < h.get("loss").get(best - 1)) best = e;
        assertEquals(best, checkpoint.savedEpoch());
        assertEquals(5, best, "full-batch gradient descent with a small rate improves every epoch");
        Sequential restored = new Sequential(new int[] {2}, new Dense(1));
        restored.loadWeights(dir);
        assertArrayEquals(model.predict(X, 3).toFloatArray(), restored.predict(X, 3).toFloatArray());
    }

    @Test
    void earlyStoppingEndsTrainingWhenTheMonitoredValueStopsImproving() {
        Sequential model = new Sequential(new int[] {2}, new Dense(1));
        model.compile(new SGD(0.0), new MeanSquaredError()); // a zero learning rate: the loss never improves after epoch 1
        model.setVerbose(0);
        EarlyStopping stop = new EarlyStopping("loss", 2, 1e-4, false); // shuffling reorders the sum: changes of rounding size are no improvement
        History h = model.fit(X, Y, 3, 20, null, null, stop);
        assertEquals(3, h.epochs(), "epoch 1 sets the best value, epochs 2 and 3 do not improve on it");
        assertEquals(3, stop.stoppedEpoch());
        var e = assertThrows(InvalidArgumentError.class, () -> model.fit(X, Y, 3, 2, null, null, new EarlyStopping("val_loss", 1)));
        assertTrue(e.getMessage().contains("val_loss"), e.getMessage());
    }
}
