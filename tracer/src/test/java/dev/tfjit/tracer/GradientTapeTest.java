package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.UnimplementedError;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tf.GradientTape as seed 003 uses it, plus nesting, jacobians, control flow and Functions. */
class GradientTapeTest {

    /** The seed's toy function {@code 3 * w1 ** 2 + 2 * w1 * w2}. */
    static Tensor f(Tensor w1, Tensor w2) {
        return w1.pow(2f).mul(3f).add(w1.mul(2f).mul(w2));
    }

    static double[] values(List<Tensor> ts) {
        double[] r = new double[ts.size()];
        for (int i = 0; i < r.length; i++) r[i] = ts.get(i).item();
        return r;
    }

    @Test
    void gradientOfTheSeedsToyFunctionWithRespectToVariables() {
        Variable w1 = Variable.of(5f), w2 = Variable.of(3f);
        GradientTape tape = new GradientTape();
        Tensor z = f(w1.read(), w2.read());
        tape.close();
        List<Tensor> grads = tape.gradient(z, List.of(w1, w2));
        assertArrayEquals(new double[] {36, 10}, values(grads));
        assertEquals(DType.FLOAT32, grads.get(0).dtype());
        assertEquals(105, z.item());
    }

    @Test
    void aTapeThatIsNotPersistentGivesOneSetOfGradients() {
        Variable w1 = Variable.of(5f), w2 = Variable.of(3f);
        GradientTape tape = new GradientTape();
        Tensor z = f(w1.read(), w2.read());
        tape.close();
        assertEquals(36, tape.gradient(z, w1).item());
        TfException e = assertThrows(TfException.class, () -> tape.gradient(z, w2));
        assertTrue(e.getMessage().contains("non-persistent GradientTape can only be used to compute one set of gradients"), e.getMessage());
    }

    @Test
    void aPersistentTapeGivesGradientsAgain() {
        Variable w1 = Variable.of(5f), w2 = Variable.of(3f);
        GradientTape tape = GradientTape.persistent();
        Tensor z = f(w1.read(), w2.read());
        tape.close();
        assertEquals(36, tape.gradient(z, w1).item());
        assertEquals(10, tape.gradient(z, w2).item());
    }

    @Test
    void constantsAreNotWatchedUnlessAsked() {
        Tensor c1 = Tf.constant(5f), c2 = Tf.constant(3f);
        GradientTape tape = new GradientTape();
        Tensor z = f(c1, c2);
        tape.close();
        List<Tensor> grads = tape.gradient(z, List.of(c1, c2));
        assertNull(grads.get(0));
        assertNull(grads.get(1));

        GradientTape watching = new GradientTape();
        watching.watch(c1);
        watching.watch(c2);
        Tensor z2 = f(c1, c2);
        watching.close();
        assertArrayEquals(new double[] {36, 10}, values(watching.gradient(z2, List.of(c1, c2))));
    }

    @Test
    void unconnectedSourcesGiveNullOrZeros() {
        Tensor x = Tf.constant(new float[] {1, 2}), y = Tf.constant(new float[] {3, 4});
        GradientTape tape = GradientTape.persistent();
        tape.watch(x, y);
        Tensor z = x.mul(x).sum();
        tape.close();
        assertNull(tape.gradient(z, y));
        Tensor zeros = tape.gradient(z, List.of(y), UnconnectedGradients.ZERO).get(0);
        assertArrayEquals(new float[] {0, 0}, zeros.toFloatArray());
        assertArrayEquals(new float[] {2, 4}, tape.gradient(z, x).toFloatArray());
    }

    @Test
    void stopGradientBlocksTheSecondTerm() {
        Variable w1 = Variable.of(5f), w2 = Variable.of(3f);
        GradientTape tape = new GradientTape();
        Tensor a = w1.read(), b = w2.read();
        Tensor z = a.pow(2f).mul(3f).add(Tf.stopGradient(a.mul(2f).mul(b)));
        tape.close();
        assertEquals(105, z.item(), "the forward pass is not affected");
        List<Tensor> grads = tape.gradient(z, List.of(w1, w2));
        assertEquals(30, grads.get(0).item());
        assertNull(grads.get(1));
    }

    @Test
    void sqrtOfATinyValueHasAnInfiniteGradientInFloat32() {
        Variable x = new Variable(Tf.constant(1e-50, DType.FLOAT32)); // rounds to 0 in float32
        GradientTape tape = new GradientTape();
        Tensor z = Tf.sqrt(x.read());
        tape.close();
        assertEquals(Double.POSITIVE_INFINITY, tape.gradient(z, x).item());
    }

    @Test
    void customGradientKeepsSoftplusGradientFiniteForLargeInputs() {
        UnaryOperator<Tensor> mySoftplus = Tf.customGradient(z -> CustomGradient.result(
                Tf.log(Tf.exp(Tf.abs(z).neg()).add(1f)).add(Tf.maximum(Tf.constant(0f), z)),
                grads -> grads.mul(Tf.constant(1f).sub(Tf.constant(1f).div(Tf.exp(z).add(1f))))));
        Variable x = Variable.of(new float[] {-100f, 0f, 100f, 1000f});
        GradientTape tape = new GradientTape();
        Tensor y = mySoftplus.apply(x.read());
        tape.close();
        assertArrayEquals(new float[] {0f, 0.6931472f, 100f, 1000f}, y.toFloatArray(), 1e-5f);
        float[] g = tape.gradient(y, x).toFloatArray();
        assertArrayEquals(new float[] {0f, 0.5f, 1f, 1f}, g, 1e-6f);

        // Without the custom gradient, autodiff of log(exp(z) + 1) is inf / inf = NaN at 1000.
        GradientTape plain = new GradientTape();
        Tensor naive = Tf.log(Tf.exp(x.read()).add(1f));
        plain.close();
        assertTrue(Float.isNaN(plain.gradient(naive, x).toFloatArray()[3]));
    }

    @Test
    void watchAccessedVariablesFalseWatchesOnlyWhatIsAsked() {
        Variable a = Variable.of(2f), b = Variable.of(3f);
        GradientTape tape = new GradientTape(false, false);
        tape.watch(b);
        Tensor z = a.read().mul(b.read());
        tape.close();
        List<Tensor> g = tape.gradient(z, List.of(a, b));
        assertNull(g.get(0));
        assertEquals(2, g.get(1).item());
        assertEquals(List.of(b), tape.watchedVariables());
    }

    @Test
    void nonTrainableVariablesAreNotWatchedAutomatically() {
        Variable frozen = new Variable(Tf.constant(4f), "frozen", false);
        GradientTape tape = new GradientTape();
        Tensor z = frozen.read().square();
        tape.close();
        assertNull(tape.gradient(z, frozen));
    }

    @Test
    void stopRecordingLeavesOpsOffTheTape() {
        Tensor x = Tf.constant(3f);
        GradientTape tape = GradientTape.persistent();
        tape.watch(x);
        Tensor y = x.mul(x);
        Tensor z;
        try (GradientTape.Pause p = tape.stopRecording()) {
            z = y.mul(x); // not recorded: no gradient flows through it
        }
        Tensor w = y.mul(2f);
        tape.close();
        assertEquals(27, z.item());
        assertNull(tape.gradient(z, x));
        assertEquals(12, tape.gradient(w, x).item());
    }

    @Test
    void nestedTapesGiveSecondDerivatives() {
        Tensor x = Tf.constant(2.0);
        GradientTape outer = new GradientTape();
        outer.watch(x);
        GradientTape inner = new GradientTape();
        inner.watch(x);
        Tensor y = x.mul(x).mul(x); // x^3
        inner.close();
        Tensor dy = inner.gradient(y, x); // 3x^2, recorded by the outer tape
        outer.close();
        assertEquals(12.0, dy.item());
        assertEquals(12.0, outer.gradient(dy, x).item()); // 6x
    }

    @Test
    void secondDerivativeOfTanhThroughTwoTapes() {
        Tensor x = Tf.constant(new double[] {-1, 0.5});
        GradientTape outer = new GradientTape();
        outer.watch(x);
        GradientTape inner = new GradientTape();
        inner.watch(x);
        Tensor y = Tf.tanh(x);
        inner.close();
        Tensor dy = inner.gradient(y, x);
        outer.close();
        double[] d2 = outer.gradient(dy, x).toDoubleArray();
        for (int i = 0; i < 2; i++) {
            double v = new double[] {-1, 0.5}[i], t = Math.tanh(v);
            assertEquals(-2 * t * (1 - t * t), d2[i], 1e-12);
        }
    }

    @Test
    void jacobianHasOneRowPerTargetElement() {
        Tensor x = Tf.constant(new double[] {1, 2, 3});
        GradientTape tape = new GradientTape();
        tape.watch(x);
        Tensor y = Tf.stack(List.of(x.get(0).mul(x.get(1)), x.get(2).square()));
        tape.close();
        Tensor j = tape.jacobian(y, x);
        assertEquals(dev.tfjit.ir.Shape.of(2, 3), j.shape());
        assertArrayEquals(new double[] {2, 1, 0, 0, 0, 6}, j.toDoubleArray());
    }

    @Test
    void batchJacobianKeepsRowsApart() {
        Tensor x = Tf.constant(new double[][] {{1, 2}, {3, 4}});
        GradientTape tape = new GradientTape();
        tape.watch(x);
        Tensor y = x.mul(x); // per row: diag(2x)
        tape.close();
        Tensor j = tape.batchJacobian(y, x);
        assertEquals(dev.tfjit.ir.Shape.of(2, 2, 2), j.shape());
        assertArrayEquals(new double[] {2, 0, 0, 4, 6, 0, 0, 8}, j.toDoubleArray());
    }

    @Test
    void broadcastingSumsTheGradientBackToEachInputsShape() {
        Tensor a = Tf.constant(new float[][] {{1, 2, 3}, {4, 5, 6}}), b = Tf.constant(new float[] {10, 20, 30});
        GradientTape tape = GradientTape.persistent();
        tape.watch(a, b);
        Tensor z = a.mul(b).sum();
        tape.close();
        assertArrayEquals(new float[] {5, 7, 9}, tape.gradient(z, b).toFloatArray());
        assertArrayEquals(new float[] {10, 20, 30, 10, 20, 30}, tape.gradient(z, a).toFloatArray());
    }

    @Test
    void eagerWhileLoopsAreDifferentiatedThroughTheirIterations() {
        Tensor x = Tf.constant(1.5);
        GradientTape tape = new GradientTape();
        tape.watch(x);
        List<Tensor> out = Tf.whileLoop(v -> v.get(0).less(3), v -> List.of(v.get(0).add(1), v.get(1).mul(x)),
                List.of(Tf.constant(0), Tf.constant(1.0)));
        tape.close();
        assertEquals(3 * 1.5 * 1.5, tape.gradient(out.get(1), x).item(), 1e-12); // d x^3 = 3x^2
    }

    @Test
    void tapeInsideAFunctionGivesTheEagerNumbers() {
        Variable w1 = Variable.of(5f), w2 = Variable.of(3f);
        Function step = Function.of((Tensor scale) -> {
            GradientTape tape = new GradientTape();
            Tensor z = f(w1.read(), w2.read()).mul(scale);
            tape.close();
            List<Tensor> g = tape.gradient(z, List.of(w1, w2));
            return Tf.stack(g);
        });
        assertArrayEquals(new float[] {36, 10}, step.call(Tf.constant(1f)).toFloatArray());
        assertArrayEquals(new float[] {72, 20}, step.call(Tf.constant(2f)).toFloatArray());
        assertEquals(1, step.traceCount());
    }

    @Test
    void trainStepInsideAFunctionUpdatesVariablesLikeEagerly() {
        Variable wEager = Variable.of(new float[] {1, -2}), wTraced = Variable.of(new float[] {1, -2});
        Tensor x = Tf.constant(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        Tensor y = Tf.constant(new float[] {1, 0, -1});
        java.util.function.Function<Variable, Tensor> step = w -> {
            GradientTape tape = new GradientTape();
            Tensor pred = Tf.reduceSum(x.mul(w.read()), 1);
            Tensor loss = Tf.reduceMean(Tf.square(pred.sub(y)));
            tape.close();
            w.assignSub(tape.gradient(loss, w).mul(0.01f));
            return loss;
        };
        Function compiled = Function.of(() -> step.apply(wTraced));
        for (int i = 0; i < 3; i++) {
            float eagerLoss = step.apply(wEager).floatValue();
            assertEquals(eagerLoss, compiled.call().floatValue(), 1e-5f);
        }
        assertArrayEquals(wEager.read().toFloatArray(), wTraced.read().toFloatArray(), 1e-6f);
    }

    @Test
    void stagedWhileLoopsAreDifferentiatedWithADataDependentTripCount() {
        Function f = Function.of((Tensor x) -> {
            GradientTape tape = new GradientTape();
            tape.watch(x);
            Tensor r = Tf.whileLoop(v -> v.less(10f), v -> v.mul(x), Tf.constant(1f));
            tape.close();
            return tape.gradient(r, x);
        });
        assertEquals(4 * 8, f.call(Tf.constant(2f)).item(), 1e-5); // 1 -> 2 -> 4 -> 8 -> 16: x^4, so 4x^3
        assertEquals(27, f.call(Tf.constant(3f)).item(), 1e-5); // 1 -> 3 -> 9 -> 27: x^3, so 3x^2; the same trace, another trip count
        assertEquals(1, f.traceCount());
    }

    @Test
    void opsWithoutAGradientAreNamedInTheError() {
        Tensor x = Tf.constant(new float[] {1, 2, 3});
        GradientTape tape = new GradientTape();
        tape.watch(x);
        Tensor s = Tf.random.shuffle(x).sum();
        tape.close();
        TfException e = assertThrows(TfException.class, () -> tape.gradient(s, x));
        assertTrue(e.getMessage().contains("No gradient defined for operation 'random_shuffle'"), e.getMessage());
    }

    @Test
    void integerSourcesGetNoGradient() {
        Tensor i = Tf.constant(new int[] {1, 2});
        GradientTape tape = new GradientTape();
        tape.watch(i);
        Tensor z = Tf.cast(i, DType.FLOAT32).sum();
        tape.close();
        assertNull(tape.gradient(z, i));
    }

    @Test
    void aTrainStepTracedWithAnUnknownBatchDimMatchesEagerForEveryBatchSize() {
        // Dense layer + Huber-free MSE: the bias and the [?,1] targets broadcast against unknown dims.
        Variable w = Variable.of(new float[][] {{0.5f}, {-1f}}), b = Variable.of(new float[] {0.25f});
        java.util.function.BiFunction<Tensor, Tensor, List<Tensor>> grads = (x, y) -> {
            GradientTape tape = new GradientTape();
            Tensor pred = Tf.matmul(x, w.read()).add(b.read());
            Tensor loss = Tf.reduceMean(Tf.square(y.sub(pred)));
            tape.close();
            return tape.gradient(loss, List.of(w, b));
        };
        Function f = Function.of((Tensor x, Tensor y) -> grads.apply(x, y))
                .withInputSignature(TensorSpec.of(DType.FLOAT32, "?", 2), TensorSpec.of(DType.FLOAT32, "?", 1));
        for (int n : new int[] {1, 3}) {
            Tensor x = Tf.reshape(Tf.range(0, 2 * n, 1, DType.FLOAT32), n, 2), y = Tf.ones(new int[] {n, 1});
            List<Tensor> eager = grads.apply(x, y), traced = f.callAll(x, y);
            for (int i = 0; i < 2; i++) {
                assertEquals(eager.get(i).shape(), traced.get(i).shape());
                assertArrayEquals(eager.get(i).toFloatArray(), traced.get(i).toFloatArray(), 1e-6f);
            }
        }
        assertEquals(1, f.traceCount());
    }
}
