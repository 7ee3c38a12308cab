package dev.tfjit.tests.jit;

import dev.tfjit.ir.DType;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.GradientTape;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorSpec;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.UnconnectedGradients;
import dev.tfjit.tracer.Variable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gradients of staged while loops with a trip count known only at run time, compiled by the
 * llvm-cpu backend: the gradient's forward loop pushes each iteration's values onto dynamically
 * sized TensorArrays and its backward loop pops them, all in native code. Checked against the
 * interpreter, against the derivative worked out by hand, and against central finite
 * differences in float64; and a whole training step of a small recurrent network trains as it
 * does on the interpreter.
 */
class JitWhileGradientTest {
    /** (x^n, d x^n / dx) by a loop that multiplies n times, n a tensor. */
    private static Function power() {
        return Function.of((Tensor x, Tensor n) -> {
            GradientTape tape = new GradientTape();
            tape.watch(x);
            List<Tensor> out = Tf.whileLoop(v -> Tf.less(v.get(0), n), v -> List.of(v.get(0).add(Tf.constant(1)), v.get(1).mul(x)),
                    List.of(Tf.constant(0), Tf.onesLike(x)));
            tape.close();
            return List.of(out.get(1), tape.gradient(out.get(1), x));
        });
    }

    @Test
    void theGradientOfALoopComputingXToTheNRunsNativelyAndIsExact() {
        Function jit = power().withJitCompile(true);
        Tensor x = Tf.constant(new double[] {1.5, -0.75, 2});
        for (int n : new int[] {0, 1, 2, 7, 30}) {
            List<Tensor> out = jit.callAll(x, Tf.constant(n));
            double[] xs = x.toDoubleArray(), dx = out.get(1).toDoubleArray();
            for (int i = 0; i < xs.length; i++) assertEquals(n * Math.pow(xs[i], n - 1), dx[i], 1e-12 * Math.abs(dx[i]) + 1e-300, "n=" + n);
            // Products and sums in the same order on both backends: the same bits.
            JitCompiledFunctionTest.assertSameOnBothBackends(power(), x, Tf.constant(n));
        }
        assertEquals("llvm-cpu", jit.concreteFunctions().get(0).backendName());
        assertEquals(1, jit.traceCount());
        String ir = jit.concreteFunctions().get(0).graph().toString();
        assertTrue(ir.contains("tensor_array_write") && ir.contains("dynamic_size=true") && ir.contains("tensor_array_read"), ir);
    }

    /**
     * A recurrent cell run over a sequence of run-time length: h = tanh(h W + x_t U + b), loss =
     * mean(h^2) at the end. Returns the loss and its gradients for W, U and b.
     */
    private static Function rnnGradients(List<Variable> v) {
        return Function.of((Tensor xs) -> {
            GradientTape tape = new GradientTape();
            Tensor loss = rnnLoss(xs, v);
            tape.close();
            List<Tensor> out = new ArrayList<>();
            out.add(loss);
            out.addAll(tape.gradient(loss, new ArrayList<Object>(v), UnconnectedGradients.ZERO));
            return out;
        }).withInputSignature(TensorSpec.of(DType.FLOAT64, "?", 3));
    }

    private static Tensor rnnLoss(Tensor xs, List<Variable> v) {
        Tensor steps = Tf.getItem(Tf.shape(xs), "0");
        List<Tensor> out = Tf.whileLoop(s -> Tf.less(s.get(0), steps), s -> {
            Tensor x = Tf.gather(xs, s.get(0)); // row t of the sequence, [3]
            Tensor pre = Tf.matmul(Tf.expandDims(s.get(1), 0), v.get(0).read()).add(Tf.matmul(Tf.expandDims(x, 0), v.get(1).read()));
            Tensor h = Tf.tanh(Tf.reshape(pre, new int[] {4}).add(v.get(2).read()));
            return List.of(s.get(0).add(Tf.constant(1)), h);
        }, List.of(Tf.constant(0), Tf.zeros(new int[] {4}, DType.FLOAT64)));
        return Tf.reduceMean(Tf.square(out.get(1)));
    }

    private static List<Variable> rnnVariables(long seed) {
        Random rnd = new Random(seed);
        List<Variable> v = new ArrayList<>();
        for (int[] shape : new int[][] {{4, 4}, {3, 4}, {4}}) v.add(new Variable(gaussian(rnd, 0.6, shape)));
        return v;
    }

    private static Tensor gaussian(Random rnd, double scale, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = scale * rnd.nextGaussian();
        return Tf.reshape(Tf.constant(v), shape);
    }

    @Test
    void aRecurrentCellsGradientsMatchTheInterpreterAndFiniteDifferences() {
        List<Variable> v = rnnVariables(3);
        Function interpreted = rnnGradients(v), jit = rnnGradients(v).withJitCompile(true);
        Random rnd = new Random(4);
        for (int steps : new int[] {1, 5, 23}) {
            Tensor xs = gaussian(rnd, 1, steps, 3);
            List<Tensor> want = interpreted.callAll(xs), got = jit.callAll(xs);
            // tanh comes from the C library natively and from the JDK in the interpreter: they may differ in the last bit.
            for (int i = 0; i < want.size(); i++) {
                assertArrayEquals(want.get(i).toDoubleArray(), got.get(i).toDoubleArray(), 1e-13, "output " + i + " for " + steps + " steps");
            }
            // Central differences of the compiled loss, for every weight of W (d loss / d W[i]).
            Function loss = Function.of((Tensor in) -> rnnLoss(in, v)).withJitCompile(true);
            double[] w0 = v.get(0).read().toDoubleArray(), dw = got.get(1).toDoubleArray();
            double eps = 1e-6;
            for (int i = 0; i < w0.length; i++) {
                double[] up = w0.clone(), down = w0.clone();
                up[i] += eps;
                down[i] -= eps;
                v.get(0).assign(Tf.reshape(Tf.constant(up), new int[] {4, 4}));
                double lu = loss.call(xs).item();
                v.get(0).assign(Tf.reshape(Tf.constant(down), new int[] {4, 4}));
                double ld = loss.call(xs).item();
                double fd = (lu - ld) / (2 * eps);
                assertEquals(fd, dw[i], 1e-7 * Math.max(1, Math.abs(fd)), "d loss / d W[" + i + "] for " + steps + " steps");
            }
            v.get(0).assign(Tf.reshape(Tf.constant(w0), new int[] {4, 4}));
        }
        assertEquals("llvm-cpu", jit.concreteFunctions().get(0).backendName());
        assertEquals(1, jit.traceCount(), "the sequence length is a run-time dim");
    }

    /** One SGD step of the recurrent cell: the forward loop, its gradient (two more loops) and the updates, one Function. */
    private static Function rnnTrainStep(List<Variable> v) {
        return Function.of((Tensor xs) -> {
            GradientTape tape = new GradientTape();
            Tensor loss = rnnLoss(xs, v);
            tape.close();
            List<Tensor> grads = tape.gradient(loss, new ArrayList<Object>(v));
            for (int i = 0; i < v.size(); i++) v.get(i).assignSub(grads.get(i).mul(0.1));
            return loss;
        }).withInputSignature(TensorSpec.of(DType.FLOAT64, "?", 3));
    }

    @Test
    void aCompiledTrainStepWithAWhileLoopTrainsAsTheInterpretersDoes() {
        List<Variable> interpreted = rnnVariables(7), compiled = rnnVariables(7);
        Function slow = rnnTrainStep(interpreted), fast = rnnTrainStep(compiled).withJitCompile(true);
        Random rnd = new Random(8);
        Tensor xs = gaussian(rnd, 1, 12, 3);
        double first = 0, last = 0;
        for (int step = 0; step < 18; step++) {
            boolean other = step >= 15; // then sequences of other lengths: the same kernel
            Tensor batch = other ? gaussian(rnd, 1, 2 + 7 * (step - 15), 3) : xs;
            double want = slow.call(batch).item(), got = fast.call(batch).item();
            assertEquals(want, got, 1e-12 * Math.max(1, Math.abs(want)), "loss of step " + step);
            if (step == 0) first = got;
            if (!other) last = got;
        }
        assertTrue(last < first / 2, "training lowers the loss on the repeated sequence: " + first + " -> " + last);
        for (int i = 0; i < interpreted.size(); i++) {
            assertArrayEquals(interpreted.get(i).read().toDoubleArray(), compiled.get(i).read().toDoubleArray(), 1e-11, "variable " + i);
        }
        assertEquals("llvm-cpu", fast.concreteFunctions().get(0).backendName());
        assertEquals(1, fast.traceCount());
    }
}
