package dev.tfjit.tests.jit;

import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole path from {@code Function.call} to native code: a function compiled with
 * {@code withJitCompile(true)} runs on the LLVM backend and gives exactly what the same
 * function gives on the reference interpreter.
 */
class JitCompiledFunctionTest {

    static Tensor random(Random rnd, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) rnd.nextGaussian();
        return Tf.constant(v, shape);
    }

    static void assertSameOnBothBackends(Function f, Object... args) {
        Function jit = f.withJitCompile(true);
        List<Tensor> want = f.callAll(args), got = jit.callAll(args);
        assertEquals("llvm-cpu", jit.concreteFunctions().get(0).backendName());
        assertEquals("interpreter", f.concreteFunctions().get(0).backendName());
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i).type(), got.get(i).type());
            assertTrue(want.get(i).buffer().contentEquals(got.get(i).buffer()), "output " + i + ": " + want.get(i) + " vs " + got.get(i));
        }
    }

    @Test
    void fusedElementwiseAndReductions() {
        Random rnd = new Random(1);
        Tensor a = random(rnd, 64, 33), b = random(rnd, 64, 33), c = random(rnd, 33);
        assertSameOnBothBackends(Function.of((Tensor x, Tensor y, Tensor z) -> Tf.reduceSum(x.mul(y).add(z))), a, b, c);
        assertSameOnBothBackends(Function.of((Tensor x, Tensor y, Tensor z) ->
                Tf.tanh(x).mul(Tf.sigmoid(y)).add(Tf.relu(z).mul(0.5f))), a, b, c);
        assertSameOnBothBackends(Function.of((Tensor x) -> Tf.reduceMax(x, new int[] {0}, true)), a);
    }

    @Test
    void loopsBranchesAndVariables() {
        Variable total = Variable.of(0f);
        Function f = Function.of((Tensor n) -> {
            Tensor r = Tf.forRange(n, Tf.constant(0f), (i, s) -> s.add(Tf.cast(i, dev.tfjit.ir.DType.FLOAT32)));
            total.assignAdd(r);
            return Tf.cond(Tf.less(r, Tf.constant(10f)), () -> r.neg(), () -> r);
        });
        Function jit = f.withJitCompile(true);
        assertEquals(45f, jit.call(Tf.constant(10)).floatValue());
        assertEquals(-3f, jit.call(Tf.constant(3)).floatValue());
        assertEquals(48f, total.read().floatValue(), "the staged assignment ran on both calls");
        assertEquals("llvm-cpu", jit.concreteFunctions().get(0).backendName());
    }

    @Test
    void anOpTheBackendCannotLowerIsAnErrorNotAFallback() {
        // where(condition) has as many rows as true elements: a shape native code cannot be specialized to.
        Function f = Function.of((Tensor x) -> Tf.where(Tf.greater(x, Tf.constant(1f)))).withJitCompile(true);
        UnimplementedError e = assertThrows(UnimplementedError.class, () -> f.call(Tf.constant(new float[] {3, 1, 2})));
        assertTrue(e.getMessage().contains("llvm-cpu") && e.getMessage().contains("'where'") && e.getMessage().contains("run time"),
                e.getMessage());
        assertArrayEquals(new long[] {0, 2}, Function.of((Tensor x) -> Tf.where(Tf.greater(x, Tf.constant(1f))))
                .call(Tf.constant(new float[] {3, 1, 2})).toLongArray(), "the default backend runs it");
    }
}
