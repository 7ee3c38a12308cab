package dev.tfjit.tests.jit;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.GradientTape;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorSpec;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Dropout in functions traced for an unknown batch ({@code f32[?,N]}) and compiled: the mask's
 * shape is {@code tf.shape(x)}, a compile-time value once the call's shapes are known, so every
 * batch size (a last partial batch too) gets native code that draws the interpreter's numbers.
 */
class JitDropoutTest {
    private static final int[] BATCHES = {8, 5, 8, 1};

    @Test
    void dropoutOfAnUnknownBatchEqualsTheInterpreterBitForBit() {
        Function slow = dropout(), fast = dropout().withJitCompile(true);
        Random rnd = new Random(3);
        for (int batch : BATCHES) {
            Tensor x = JitCompiledFunctionTest.random(rnd, batch, 33);
            Tensor want = slow.call(x), got = fast.call(x);
            assertEquals(Shape.of(batch, 33), got.shape());
            assertArrayEquals(want.toFloatArray(), got.toFloatArray(), 0f, "batch " + batch);
        }
        assertEquals("llvm-cpu", fast.concreteFunctions().get(0).backendName());
        assertEquals(1, fast.traceCount());
    }

    private static Function dropout() {
        return Function.of((Tensor x) -> Tf.dropout(x, 0.3, 17)).withInputSignature(TensorSpec.of(DType.FLOAT32, "?", 33));
    }

    @Test
    void aTrainStepWithDropoutTrainsTheSameCompiled() {
        int[][] shapes = {{6, 16}, {16}, {16, 3}, {3}};
        List<Variable> interpreted = variables(shapes), compiled = variables(shapes);
        Function slow = step(interpreted), fast = step(compiled).withJitCompile(true);
        Random rnd = new Random(12);
        for (int batch : BATCHES) {
            Tensor x = JitCompiledFunctionTest.random(rnd, batch, 6);
            int[] labels = new int[batch];
            for (int i = 0; i < batch; i++) labels[i] = rnd.nextInt(3);
            Tensor y = Tf.constant(labels);
            float want = slow.call(x, y).floatValue(), got = fast.call(x, y).floatValue();
            // Same masks; exp and log may differ in the last bit between the C library and the JDK.
            assertEquals(want, got, 1e-5f * Math.max(1, Math.abs(want)), "loss of batch " + batch);
        }
        assertEquals(1, fast.traceCount());
        for (int i = 0; i < shapes.length; i++) {
            assertArrayEquals(interpreted.get(i).read().toFloatArray(), compiled.get(i).read().toFloatArray(), 1e-5f, "variable " + i);
        }
    }

    private static List<Variable> variables(int[]... shapes) {
        Random rnd = new Random(11);
        List<Variable> vars = new ArrayList<>();
        for (int[] shape : shapes) vars.add(new Variable(JitCompiledFunctionTest.random(rnd, shape).mul(0.5f)));
        return vars;
    }

    private static Function step(List<Variable> v) {
        return Function.of((Tensor x, Tensor y) -> {
            GradientTape tape = new GradientTape();
            Tensor h = Tf.dropout(Tf.relu(Tf.matmul(x, v.get(0).read()).add(v.get(1).read())), 0.5, 9);
            Tensor logits = Tf.matmul(h, v.get(2).read()).add(v.get(3).read());
            Tensor loss = Tf.reduceMean(Tf.sparseSoftmaxCrossEntropyWithLogits(y, logits));
            tape.close();
            List<Tensor> grads = tape.gradient(loss, new ArrayList<Object>(v));
            for (int i = 0; i < v.size(); i++) v.get(i).assignSub(grads.get(i).mul(0.1f));
            return loss;
        }).withInputSignature(TensorSpec.of(DType.FLOAT32, "?", 6), TensorSpec.of(DType.INT32, "?"));
    }
}
