package dev.tfjit.tests.jit;

import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.GradientTape;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.tfjit.tests.jit.JitCompiledFunctionTest.assertSameOnBothBackends;
import static dev.tfjit.tests.jit.JitCompiledFunctionTest.random;

/**
 * A conv net's forward and backward pass, and gradients through a staged cond, compiled by
 * llvm-cpu equal the interpreter bit for bit: the whole graph (conv2d, its input and filter
 * gradients, pooling and their gradients, the cond of branch gradients) is one native function.
 */
class JitConvTest {
    @Test
    void aConvNetLossAndItsGradientsMatchTheInterpreter() {
        Random rnd = new Random(3);
        Variable k1 = new Variable(random(rnd, 3, 3, 2, 4).mul(0.5f)), k2 = new Variable(random(rnd, 3, 3, 4, 6).mul(0.3f));
        Function step = Function.of((Tensor x) -> {
            GradientTape tape = new GradientTape();
            Tensor h = Tf.relu(Tf.conv2d(x, k1.read(), new int[] {1}, "VALID"));
            h = Tf.maxPool2d(h, new int[] {2}, new int[] {2}, "VALID");
            h = Tf.conv2d(h, k2.read(), new int[] {2}, "SAME", new int[] {1});
            h = Tf.avgPool2d(h, new int[] {2}, new int[] {1}, "SAME");
            Tensor loss = Tf.reduceMean(Tf.square(h));
            tape.close();
            List<Tensor> out = new ArrayList<>(List.of(loss));
            out.addAll(tape.gradient(loss, List.of(k1, k2, x)));
            return out;
        });
        assertSameOnBothBackends(step, random(rnd, 4, 13, 12, 2));
    }

    @Test
    void gradientsThroughAStagedCondCompile() {
        Function f = Function.of((Tensor x) -> {
            GradientTape tape = new GradientTape();
            tape.watch(x);
            Tensor y = Tf.cond(Tf.greater(Tf.reduceSum(x), Tf.constant(0f)), () -> Tf.sin(x).mul(x), () -> Tf.square(x));
            tape.close();
            return List.of(y, tape.gradient(y, x));
        });
        Random rnd = new Random(4);
        Tensor x = random(rnd, 5, 3);
        assertSameOnBothBackends(f, x);
        assertSameOnBothBackends(f, x.neg());
    }
}
