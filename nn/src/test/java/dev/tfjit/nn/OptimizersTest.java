package dev.tfjit.nn;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.nn.optimizers.Adagrad;
import dev.tfjit.nn.optimizers.Adam;
import dev.tfjit.nn.optimizers.LearningRateSchedule;
import dev.tfjit.nn.optimizers.Nadam;
import dev.tfjit.nn.optimizers.Optimizer;
import dev.tfjit.nn.optimizers.RMSprop;
import dev.tfjit.nn.optimizers.SGD;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each optimizer's update checked against the formula worked out in double precision. */
class OptimizersTest {
    private static final float[] W0 = {1f, -2f, 0.5f};
    private static final float[] G = {0.1f, -0.4f, 2f};

    private static Variable w() { return Variable.of(W0.clone()); }

    private static void step(Optimizer o, Variable w) { o.applyGradients(List.of(Tf.constant(G.clone())), List.of(w)); }

    private static void assertClose(double[] expected, Variable w) {
        float[] actual = w.read().toFloatArray();
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 1e-5, "element " + i + " of " + Arrays.toString(actual));
    }

    @Test
    void sgdSubtractsLearningRateTimesGradient() {
        Variable w = w();
        step(new SGD(0.1), w);
        assertClose(new double[] {1 - 0.01, -2 + 0.04, 0.5 - 0.2}, w);
    }

    @Test
    void sgdMomentumAccumulatesVelocity() {
        Variable w = w();
        SGD sgd = new SGD(0.1, 0.9, false);
        step(sgd, w);
        step(sgd, w);
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            double m1 = -0.1 * G[i];            // step 1: m = -lr*g
            double m2 = 0.9 * m1 - 0.1 * G[i];   // step 2: m = momentum*m - lr*g
            expected[i] = W0[i] + m1 + m2;
        }
        assertClose(expected, w);
        assertEquals(1, sgd.slots(w).size());
    }

    @Test
    void nesterovLooksAheadAlongTheMomentum() {
        Variable w = w();
        SGD sgd = new SGD(0.1, 0.9, true);
        step(sgd, w);
        step(sgd, w);
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            double m1 = -0.1 * G[i], m2 = 0.9 * m1 - 0.1 * G[i];
            expected[i] = W0[i] + (0.9 * m1 - 0.1 * G[i]) + (0.9 * m2 - 0.1 * G[i]);
        }
        assertClose(expected, w);
    }

    @Test
    void adamTwoStepsMatchTheBiasCorrectedFormula() {
        Variable w = w();
        Adam adam = new Adam(0.01);
        step(adam, w);
        step(adam, w);
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            double x = W0[i], m = 0, v = 0;
            for (int t = 1; t <= 2; t++) {
                m += (G[i] - m) * 0.1;
                v += (G[i] * G[i] - v) * 0.001;
                double alpha = 0.01 * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
                x -= alpha * m / (Math.sqrt(v) + 1e-7);
            }
            expected[i] = x;
        }
        assertClose(expected, w);
        assertEquals(2, adam.iterations().read().longValue());
        assertEquals(2, adam.slots(w).size());
    }

    @Test
    void rmspropDividesByTheRootOfTheRunningSquare() {
        Variable w = w();
        step(new RMSprop(0.01), w);
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) expected[i] = W0[i] - 0.01 * G[i] / Math.sqrt(0.1 * G[i] * G[i] + 1e-7);
        assertClose(expected, w);
    }

    @Test
    void adagradStartsItsAccumulatorAtPointOne() {
        Variable w = w();
        step(new Adagrad(0.1), w);
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) expected[i] = W0[i] - 0.1 * G[i] / Math.sqrt(0.1 + G[i] * G[i] + 1e-7);
        assertClose(expected, w);
    }

    @Test
    void nadamFirstStepMovesAgainstTheGradientByAboutTheLearningRate() {
        Variable w = w();
        step(new Nadam(0.01), w);
        float[] after = w.read().toFloatArray();
        for (int i = 0; i < 3; i++) {
            double delta = after[i] - W0[i];
            assertTrue(Math.signum(delta) == -Math.signum(G[i]), "moves downhill");
            assertTrue(Math.abs(delta) > 0.005 && Math.abs(delta) < 0.05, "step size near lr, got " + delta);
        }
    }

    @Test
    void clipnormScalesEachGradientToTheNorm() {
        Variable w = Variable.of(new float[] {0f, 0f});
        new SGD(1.0).withClipnorm(1.0).applyGradients(List.of(Tf.constant(new float[] {3f, 4f})), List.of(w));
        assertArrayEquals(new float[] {-0.6f, -0.8f}, w.read().toFloatArray(), 1e-6f);
    }

    @Test
    void clipvalueClipsEachElement() {
        Variable w = Variable.of(new float[] {0f, 0f});
        new SGD(1.0).withClipvalue(0.5).applyGradients(List.of(Tf.constant(new float[] {3f, -0.25f})), List.of(w));
        assertArrayEquals(new float[] {-0.5f, 0.25f}, w.read().toFloatArray(), 1e-6f);
    }

    @Test
    void exponentialDecayScheduleLowersTheRateEachStep() {
        Variable w = Variable.of(new float[] {0f});
        SGD sgd = new SGD(LearningRateSchedule.exponentialDecay(1.0, 1, 0.5, false), 0, false);
        for (int i = 0; i < 3; i++) sgd.applyGradients(List.of(Tf.constant(new float[] {1f})), List.of(w));
        assertEquals(-(1 + 0.5 + 0.25), w.read().toFloatArray()[0], 1e-6); // lr = 0.5^step with step 0, 1, 2
    }

    @Test
    void nullGradientsLeaveTheirVariableAlone() {
        Variable a = Variable.of(new float[] {1f}), b = Variable.of(new float[] {1f});
        new SGD(1.0).applyGradients(Arrays.asList(null, Tf.constant(new float[] {1f})), List.of(a, b));
        assertEquals(1f, a.read().toFloatArray()[0]);
        assertEquals(0f, b.read().toFloatArray()[0]);
    }

    @Test
    void mismatchedGradientCountIsAClearError() {
        var e = assertThrows(InvalidArgumentError.class,
                () -> new SGD(1.0).applyGradients(List.of(), List.of(Variable.of(new float[] {1f}))));
        assertTrue(e.getMessage().contains("0 gradients for 1 variables"), e.getMessage());
    }

    @Test
    void slotsCreatedOnTheFirstTraceGiveTheEagerUpdates() {
        Variable eager = w(), traced = w();
        Adam a1 = new Adam(0.01), a2 = new Adam(0.01);
        Function f = Function.of((Tensor g) -> {
            a2.applyGradients(List.of(g), List.of(traced));
            return traced.read();
        });
        for (int i = 0; i < 3; i++) {
            step(a1, eager);
            f.call(Tf.constant(G.clone()));
        }
        assertArrayEquals(eager.read().toFloatArray(), traced.read().toFloatArray(), 1e-6f);
        assertEquals(1, f.traceCount());
        assertEquals(3, a2.iterations().read().longValue());
    }
}
