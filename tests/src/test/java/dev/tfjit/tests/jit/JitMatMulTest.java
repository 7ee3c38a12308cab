package dev.tfjit.tests.jit;

import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.tfjit.tests.jit.JitCompiledFunctionTest.assertSameOnBothBackends;
import static dev.tfjit.tests.jit.JitCompiledFunctionTest.random;

/**
 * Matrix products in jit-compiled functions give bit for bit what the interpreter gives: the
 * compiled float32 kernel is blocked and vectorized but keeps the interpreter's FMA chain per
 * element.
 */
class JitMatMulTest {
    @Test
    void aDenseLayerWithBiasAndRelu() {
        Random rnd = new Random(5);
        Tensor x = random(rnd, 37, 70), w = random(rnd, 70, 45), b = random(rnd, 45);
        assertSameOnBothBackends(Function.of((Tensor xs, Tensor ws, Tensor bs) -> Tf.relu(Tf.matmul(xs, ws).add(bs))), x, w, b);
    }

    @Test
    void batchedAndTransposedProductsFeedingAReduction() {
        Random rnd = new Random(6);
        Tensor q = random(rnd, 3, 40, 16), k = random(rnd, 3, 50, 16);
        assertSameOnBothBackends(Function.of((Tensor a, Tensor b) -> Tf.reduceSum(Tf.matmul(a, b, false, true))), q, k);
    }

    @Test
    void aProductLargeEnoughForTwoThreads() {
        Random rnd = new Random(7);
        Tensor a = random(rnd, 200, 190), b = random(rnd, 190, 180);
        assertSameOnBothBackends(Function.of((Tensor x, Tensor y) -> Tf.matmul(x, y)), a, b);
    }
}
