package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.UnimplementedError;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gradients through staged {@code while} and {@code cond} inside traced Functions, each checked
 * three ways: against the same code run eagerly (where the loop unrolls and the tape records
 * every iteration), and against central finite differences of the traced loss in float64.
 */
class StagedControlFlowGradientTest {
    private static final double EPS = 1e-6;

    /** A loss of (x, w) with x a tensor argument and w a variable, and its gradients both ways. */
    private record Model(String name, BiFunction<Tensor, Variable, Tensor> loss) {}

    private static Tensor vec(double... v) { return Tf.constant(v); }

    /**
     * Checks d loss / d x and d loss / d w: traced (one Function, staged control flow) equals
     * eager (unrolled), and both equal finite differences.
     */
    private static void check(Model m, Tensor x, double[] w0) {
        Variable w = new Variable(vec(w0));
        BiFunction<Tensor, Boolean, List<Tensor>> grads = (in, unused) -> {
            GradientTape tape = new GradientTape();
            tape.watch(in);
            Tensor l = m.loss().apply(in, w);
            tape.close();
            // Eagerly a loop that never runs never reads w; staged, w's gradient is zeros (as TF's while_v2).
            List<Tensor> g = tape.gradient(l, List.of(in, w), UnconnectedGradients.ZERO);
            return List.of(l, g.get(0), g.get(1));
        };
        List<Tensor> eager = grads.apply(x, true);
        Function traced = Function.of((Tensor in) -> grads.apply(in, false));
        List<Tensor> staged = traced.callAll(x);
        String what = m.name();
        assertEquals(eager.get(0).item(), staged.get(0).item(), 1e-12, what + ": loss");
        assertArrayEquals(eager.get(1).toDoubleArray(), staged.get(1).toDoubleArray(), 1e-10, what + ": d x, eager vs traced");
        assertArrayEquals(eager.get(2).toDoubleArray(), staged.get(2).toDoubleArray(), 1e-10, what + ": d w, eager vs traced");

        Function lossOnly = Function.of((Tensor in) -> m.loss().apply(in, w));
        double[] xs = x.toDoubleArray(), dx = staged.get(1).toDoubleArray();
        for (int i = 0; i < xs.length; i++) {
            double[] up = xs.clone(), down = xs.clone();
            up[i] += EPS;
            down[i] -= EPS;
            double fd = (lossOnly.call(reshaped(up, x)).item() - lossOnly.call(reshaped(down, x)).item()) / (2 * EPS);
            assertEquals(fd, dx[i], 1e-6 * Math.max(1, Math.abs(fd)), what + ": d x[" + i + "] vs finite differences");
        }
        double[] dw = staged.get(2).toDoubleArray();
        for (int i = 0; i < w0.length; i++) {
            double[] up = w0.clone(), down = w0.clone();
            up[i] += EPS;
            down[i] -= EPS;
            w.assign(vec(up));
            double lu = lossOnly.call(x).item();
            w.assign(vec(down));
            double ld = lossOnly.call(x).item();
            w.assign(vec(w0));
            double fd = (lu - ld) / (2 * EPS);
            assertEquals(fd, dw[i], 1e-6 * Math.max(1, Math.abs(fd)), what + ": d w[" + i + "] vs finite differences");
        }
        assertEquals(1, traced.traceCount(), what);
    }

    private static Tensor reshaped(double[] v, Tensor like) { return Tf.reshape(vec(v), like.shape().dims()); }

    @Test
    void whileWithAFixedTripCount() {
        // h <- tanh(w * h + x[i]) for i in range(3): an RNN-like loop reading a variable and a captured tensor.
        check(new Model("rnn", (x, w) -> {
            List<Tensor> out = Tf.forRange(Tf.constant(0), Tf.constant(3), Tf.constant(1), List.of(Tf.zeros(new int[] {2}, DType.FLOAT64)),
                    (i, v) -> List.of(Tf.tanh(w.read().mul(v.get(0)).add(Tf.gather(x, i)))));
            return Tf.reduceSum(Tf.square(out.get(0)));
        }), Tf.reshape(vec(0.3, -0.2, 0.5, 0.1, -0.4, 0.7), 3, 2), new double[] {0.8, -1.1});
    }

    @Test
    void whileWithADataDependentTripCount() {
        // Double until the norm passes 5: how many times depends on x; the gradient treats that count as fixed, as TF does.
        check(new Model("doubling", (x, w) -> {
            Tensor v = Tf.whileLoop(t -> Tf.less(Tf.reduceSum(Tf.square(t)), Tf.constant(25.0)), t -> t.mul(2.0).add(w.read()), x);
            return Tf.reduceSum(v.mul(v).mul(w.read()));
        }), vec(0.3, 0.4), new double[] {0.1, 0.05});
    }

    @Test
    void whileThatRunsZeroTimes() {
        check(new Model("no iterations", (x, w) -> {
            Tensor v = Tf.whileLoop(t -> Tf.less(Tf.reduceSum(t), Tf.constant(-100.0)), t -> t.mul(w.read()), x);
            return Tf.reduceSum(v.mul(3.0));
        }), vec(0.3, 0.4), new double[] {0.5, 2});
    }

    @Test
    void condTakesTheGradientOfTheBranchThatRan() {
        Model m = new Model("cond", (x, w) -> {
            Tensor y = Tf.cond(Tf.greater(Tf.reduceSum(x), Tf.constant(0.0)), () -> Tf.sin(x).mul(w.read()), () -> Tf.square(x.sub(w.read())));
            return Tf.reduceSum(y);
        });
        check(m, vec(0.3, 0.4), new double[] {1.5, -0.5});
        check(m, vec(-0.3, 0.1), new double[] {1.5, -0.5});
    }

    @Test
    void condInsideWhileAndWhileInsideCond() {
        check(new Model("cond in while", (x, w) -> {
            List<Tensor> out = Tf.forRange(Tf.constant(0), Tf.constant(4), Tf.constant(1), List.of(x),
                    (i, v) -> List.of(Tf.cond(Tf.equal(Tf.floormod(i, Tf.constant(2)), Tf.constant(0)),
                            () -> v.get(0).mul(w.read()), () -> Tf.sin(v.get(0)).add(w.read()))));
            return Tf.reduceSum(out.get(0));
        }), vec(0.3, -0.4), new double[] {0.9, 1.2});
        check(new Model("while in cond", (x, w) -> {
            Tensor y = Tf.cond(Tf.greater(Tf.reduceSum(w.read()), Tf.constant(0.0)),
                    () -> Tf.whileLoop(t -> Tf.less(Tf.reduceMax(Tf.abs(t)), Tf.constant(3.0)), t -> t.mul(w.read()).add(0.5), x),
                    () -> x);
            return Tf.reduceSum(Tf.square(y));
        }), vec(0.3, -0.4), new double[] {1.3, 1.4});
    }

    @Test
    void loopVarsWithoutGradientAndIntegerCountersAreCarriedAlong() {
        // An int counter, a float var the loss does not depend on, and one it does.
        check(new Model("mixed vars", (x, w) -> {
            List<Tensor> out = Tf.whileLoop(v -> Tf.less(v.get(0), Tf.constant(3)),
                    v -> List.of(v.get(0).add(1), v.get(1).add(1.0), v.get(2).mul(x).add(w.read())),
                    List.of(Tf.constant(0), Tf.constant(0.0), Tf.ones(new int[] {2}, DType.FLOAT64)));
            return Tf.reduceSum(out.get(2)).add(out.get(1).mul(0.0));
        }), vec(0.7, -0.6), new double[] {0.2, 0.3});
    }

    @Test
    void secondDerivativesThroughAStagedCond() {
        // y = x^3 on the taken branch; d2y/dx2 = 6x.
        Function f = Function.of((Tensor x) -> {
            GradientTape outer = new GradientTape();
            outer.watch(x);
            GradientTape inner = new GradientTape();
            inner.watch(x);
            Tensor y = Tf.cond(Tf.greater(x, Tf.constant(0.0)), () -> x.mul(x).mul(x), () -> x);
            inner.close();
            Tensor dy = inner.gradient(y, x);
            outer.close();
            return List.of(dy, outer.gradient(dy, x));
        });
        List<Tensor> out = f.callAll(Tf.constant(1.5));
        assertEquals(3 * 1.5 * 1.5, out.get(0).item(), 1e-12);
        assertEquals(6 * 1.5, out.get(1).item(), 1e-12);
        List<Tensor> other = f.callAll(Tf.constant(-1.5));
        assertEquals(1, other.get(0).item(), 1e-12);
        assertEquals(0, other.get(1).item(), 1e-12);
    }

    @Test
    void secondDerivativesThroughAStagedWhileAreRefusedClearly() {
        // The first gradient's forward loop grows its stacks each iteration; stacking those again is not supported.
        Function f = Function.of((Tensor x) -> {
            GradientTape outer = new GradientTape();
            outer.watch(x);
            GradientTape inner = new GradientTape();
            inner.watch(x);
            Tensor y = Tf.forRange(Tf.constant(0), Tf.constant(3), Tf.constant(1), List.of(Tf.constant(1.0)),
                    (i, v) -> List.of(v.get(0).mul(x))).get(0);
            inner.close();
            Tensor dy = inner.gradient(y, x);
            outer.close();
            return outer.gradient(dy, x);
        });
        UnimplementedError e = assertThrows(UnimplementedError.class, () -> f.call(Tf.constant(1.5)));
        assertTrue(e.getMessage().contains("second derivative") && e.getMessage().contains("TensorArray"), e.getMessage());
    }

    @Test
    void aRandomOpInTheBodyIsRefusedByName() {
        Function f = Function.of((Tensor x) -> {
            GradientTape tape = new GradientTape();
            tape.watch(x);
            Tensor y = Tf.whileLoop(t -> Tf.less(Tf.reduceSum(t), Tf.constant(10f)), t -> t.add(Tf.random.uniform(new int[] {2})).mul(x), Tf.ones(2));
            tape.close();
            return tape.gradient(y, x);
        });
        UnimplementedError e = assertThrows(UnimplementedError.class, () -> f.call(Tf.constant(2f)));
        assertTrue(e.getMessage().contains("random_uniform") && e.getMessage().contains("recomputes"), e.getMessage());
    }

    @Test
    void unconnectedCapturesGetNoGradient() {
        Function f = Function.of((Tensor x, Tensor y) -> {
            GradientTape tape = new GradientTape();
            tape.watch(x);
            Tensor z = Tf.whileLoop(t -> Tf.less(Tf.reduceSum(t), Tf.constant(10f)), t -> t.mul(x).add(y), Tf.ones(2));
            tape.close();
            List<Tensor> g = tape.gradient(z, List.of(x, y));
            List<Tensor> out = new ArrayList<>();
            out.add(g.get(0));
            out.add(Tf.constant(g.get(1) == null));
            return out;
        });
        List<Tensor> out = f.callAll(Tf.constant(2f), Tf.constant(1f));
        assertTrue(out.get(1).toBooleanArray()[0], "y is not watched");
        assertTrue(out.get(0).toFloatArray()[0] > 0);
    }
}
