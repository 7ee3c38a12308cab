package dev.tfjit.tests.jit;

import dev.tfjit.ir.DType;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole training steps (forward pass, GradientTape gradients, SGD updates of variables) traced
 * once and compiled with {@code withJitCompile(true)}: every op of the step and of its
 * gradient lowers, and the compiled steps train the model as the interpreter's steps do.
 */
class JitTrainingStepTest {
    /** A model's variables, created the same way for each backend so both start equal. */
    private static List<Variable> variables(long seed, int[]... shapes) {
        Random rnd = new Random(seed);
        List<Variable> vars = new ArrayList<>();
        for (int[] shape : shapes) vars.add(new Variable(JitCompiledFunctionTest.random(rnd, shape).mul(0.5f)));
        return vars;
    }

    private static void sgd(GradientTape tape, Tensor loss, List<Variable> vars, float rate) {
        List<Tensor> grads = tape.gradient(loss, new ArrayList<Object>(vars));
        for (int i = 0; i < vars.size(); i++) vars.get(i).assignSub(grads.get(i).mul(rate));
    }

    /** The compiled graph has nodes of each op (so the test covers their lowering). */
    private static void assertUses(Function f, String... ops) {
        String ir = f.concreteFunctions().get(0).graph().toString();
        for (String op : ops) assertTrue(ir.contains(" = " + op + " "), op + " is not in\n" + ir);
    }

    /** A two-layer MLP with a softmax cross-entropy loss, over batches of any size (an unknown batch dim). */
    private static Function mlpStep(List<Variable> v) {
        return Function.of((Tensor x, Tensor y) -> {
            GradientTape tape = new GradientTape();
            Tensor h = Tf.relu(Tf.matmul(x, v.get(0).read()).add(v.get(1).read()));
            Tensor logits = Tf.matmul(h, v.get(2).read()).add(v.get(3).read());
            Tensor loss = Tf.reduceMean(Tf.sparseSoftmaxCrossEntropyWithLogits(y, logits));
            tape.close();
            sgd(tape, loss, v, 0.1f);
            return loss;
        }).withInputSignature(TensorSpec.of(DType.FLOAT32, "?", 6), TensorSpec.of(DType.INT32, "?"));
    }

    @Test
    void anMlpTrainsTheSameCompiled() {
        int[][] shapes = {{6, 16}, {16}, {16, 3}, {3}};
        List<Variable> interpreted = variables(11, shapes), compiled = variables(11, shapes);
        Function slow = mlpStep(interpreted), fast = mlpStep(compiled).withJitCompile(true);
        Random rnd = new Random(12);
        for (int step = 0; step < 6; step++) {
            int batch = step % 2 == 0 ? 8 : 5; // one trace and one kernel per batch size, no retrace
            Tensor x = JitCompiledFunctionTest.random(rnd, batch, 6);
            int[] labels = new int[batch];
            for (int i = 0; i < batch; i++) labels[i] = rnd.nextInt(3);
            Tensor y = Tf.constant(labels);
            float want = slow.call(x, y).floatValue(), got = fast.call(x, y).floatValue();
            // exp and log come from the C library in native code and from the JDK in the interpreter:
            // they may differ in the last bit of a double, so the trained values agree to rounding.
            assertEquals(want, got, 1e-5f * Math.max(1, Math.abs(want)), "loss of step " + step);
        }
        assertEquals("llvm-cpu", fast.concreteFunctions().get(0).backendName());
        assertEquals(1, fast.traceCount());
        // The unknown batch dim puts run-time shape arithmetic into the gradient.
        assertUses(fast, "shape", "sum_to_shape", "sparse_softmax_cross_entropy_with_logits", "matmul");
        for (int i = 0; i < shapes.length; i++) {
            assertArrayEquals(interpreted.get(i).read().toFloatArray(), compiled.get(i).read().toFloatArray(), 1e-5f, "variable " + i);
        }
    }

    /**
     * A bag-of-embeddings regressor: an embedding lookup (gather), the first two token vectors
     * sliced out and joined (slice, concat) with the mean of the rest (strided slice), a dense
     * layer and a squared error. Its gradient needs scatter_nd (gather's), pad (slice's),
     * split_v (concat's) and a strided-slice update; nothing calls exp or log, so the compiled
     * steps are bit for bit the interpreter's.
     */
    private static Function embeddingStep(List<Variable> v) {
        return Function.of((Tensor tokens, Tensor target) -> {
            GradientTape tape = new GradientTape();
            Tensor e = Tf.gather(v.get(0).read(), tokens);                                  // [8, 5, 4]
            Tensor head = Tf.reshape(Tf.slice(e, new int[] {0, 0, 0}, new int[] {-1, 2, -1}), 8, 8);
            Tensor rest = Tf.reduceMean(Tf.getItem(e, ":, 2:, :"), 1);                         // [8, 4]
            Tensor features = Tf.concat(List.of(head, rest), 1);                                // [8, 12]
            Tensor pred = Tf.matmul(features, v.get(1).read()).add(v.get(2).read());            // [8, 1]
            Tensor loss = Tf.reduceMean(Tf.square(pred.sub(target)));
            tape.close();
            sgd(tape, loss, v, 0.05f);
            return loss;
        });
    }

    @Test
    void anEmbeddingModelWithSlicesAndConcatTrainsBitForBitTheSameCompiled() {
        int[][] shapes = {{10, 4}, {12, 1}, {1}};
        List<Variable> interpreted = variables(21, shapes), compiled = variables(21, shapes);
        Function slow = embeddingStep(interpreted), fast = embeddingStep(compiled).withJitCompile(true);
        Random rnd = new Random(22);
        for (int step = 0; step < 4; step++) {
            int[] ids = new int[8 * 5];
            for (int i = 0; i < ids.length; i++) ids[i] = rnd.nextInt(10);
            ids[3] = ids[4]; // a repeated token: its gradients accumulate
            Tensor tokens = Tf.reshape(Tf.constant(ids), 8, 5), target = JitCompiledFunctionTest.random(rnd, 8, 1);
            Tensor want = slow.call(tokens, target), got = fast.call(tokens, target);
            assertTrue(want.buffer().contentEquals(got.buffer()), "loss of step " + step + ": " + want + " vs " + got);
        }
        assertEquals("llvm-cpu", fast.concreteFunctions().get(0).backendName());
        assertUses(fast, "gather", "scatter_nd", "slice", "pad", "concat", "split_v", "strided_slice", "tensor_strided_slice_update");
        for (int i = 0; i < shapes.length; i++) {
            assertTrue(interpreted.get(i).read().buffer().contentEquals(compiled.get(i).read().buffer()), "variable " + i);
        }
    }
}
