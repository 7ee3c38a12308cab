package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Node;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tf.function examples of the seed documents (chapter 12, "TensorFlow functions and graphs"). */
class SeedFunctionExamplesTest {

    /** {@code def cube(x): return x ** 3}, written once for Java numbers and tensors. */
    static Object cube(Object x) {
        if (x instanceof Integer i) return i * i * i;
        Tensor t = (Tensor) x;
        return Tf.pow(t, Tf.constant(3, t.dtype()));
    }

    @Test
    void cubeOfAPythonValueAndOfATensor() {
        Function tfCube = Function.of((Object x) -> cube(x));
        Tensor a = tfCube.call(2);
        assertEquals(DType.INT32, a.dtype());
        assertEquals(8, a.intValue());
        Tensor b = tfCube.call(Tf.constant(2.0f));
        assertEquals(DType.FLOAT32, b.dtype());
        assertEquals(8.0f, b.floatValue());
        assertEquals(8, cube(2), "the original function stays callable (python_function)");
        assertTrue(tfCube.source() instanceof Traceable.F1<?>);
    }

    @Test
    void oneGraphPerInputShapeAndDtypeButOnePerPythonValue() {
        Function tfCube = Function.of((Object x) -> cube(x));
        tfCube.call(Tf.constant(10));
        tfCube.call(Tf.constant(20));
        assertEquals(1, tfCube.traceCount(), "int32 [] reused");
        tfCube.call(Tf.constant(new int[] {10, 20}));
        assertEquals(2, tfCube.traceCount(), "int32 [2] is a new graph");
        tfCube.call(10);
        tfCube.call(20);
        assertEquals(4, tfCube.traceCount(), "each Java value gets its own graph");
    }

    @Test
    void javaRandomRunsAtTraceTimeButTfRandomOnEveryCall() {
        java.util.Random javaRandom = new java.util.Random(7);
        Function np = Function.of((Tensor x) -> Tf.constant((float) javaRandom.nextDouble()));
        float a = np.call(Tf.constant(2f)).floatValue();
        float b = np.call(Tf.constant(3f)).floatValue();
        float c = np.call(Tf.constant(new float[] {2, 3})).floatValue();
        assertEquals(a, b, "same signature: the Java random number was baked in");
        assertNotEquals(a, c, "a new signature traces again");

        Function tf = Function.of((Tensor x) -> Tf.random.uniform());
        float first = tf.call(Tf.constant(2f)).floatValue();
        float second = tf.call(Tf.constant(3f)).floatValue();
        assertNotEquals(first, second, "a staged random op draws on every call");
    }

    @Test
    void seededRandomOpsInAFunctionEachContinueTheirOwnStream() {
        // tf.random.set_seed's documented example: two ops with the same seed in one function
        // draw the same numbers, and each call continues both streams.
        Function f = Function.of(() -> List.of(Tf.random.uniform(new int[] {1}, 0, 1, DType.FLOAT32, 1),
                Tf.random.uniform(new int[] {1}, 0, 1, DType.FLOAT32, 1)));
        Tf.random.setSeed(1234);
        float a1 = Tf.random.uniform(new int[] {1}, 0, 1, DType.FLOAT32, 1).floatValue();
        float a2 = Tf.random.uniform(new int[] {1}, 0, 1, DType.FLOAT32, 1).floatValue();
        assertNotEquals(a1, a2, "eager calls continue one stream");
        Tf.random.setSeed(1234);
        List<Tensor> first = f.callAll();
        List<Tensor> second = f.callAll();
        assertEquals(a1, first.get(0).floatValue());
        assertEquals(a1, first.get(1).floatValue());
        assertEquals(a2, second.get(0).floatValue());
        assertEquals(a2, second.get(1).floatValue());
    }

    @Test
    void aJavaForOverARangeUnrollsButWhileLoopIsStaged() {
        Function add10 = Function.of((Tensor x) -> {
            for (int i = 0; i < 10; i++) x = x.add(1);
            return x;
        });
        assertEquals(15, add10.call(Tf.constant(5)).intValue());
        assertEquals(10, count(add10.concreteFunctions().get(0), "add"));

        Function add10Staged = Function.of((Tensor x) -> Tf.whileLoop(
                v -> Tf.less(v.get(0), Tf.constant(10)),
                v -> List.of(v.get(0).add(1), v.get(1).add(1)),
                List.of(Tf.constant(0), x)).get(1));
        assertEquals(15, add10Staged.call(Tf.constant(5)).intValue());
        ConcreteFunction cf = add10Staged.concreteFunctions().get(0);
        assertEquals(1, count(cf, "while"));
        assertEquals(0, count(cf, "add"), "the adds live in the loop body");
    }

    @Test
    void forOverTfRangeIsOneStagedLoop() {
        Function sumSquares = Function.of((Tensor n) -> Tf.forRange(n, Tf.constant(0), (i, s) -> s.add(i.mul(i))));
        assertEquals(285, sumSquares.call(Tf.constant(10)).intValue());
        assertEquals(0, sumSquares.call(Tf.constant(0)).intValue());
        assertEquals(1, sumSquares.traceCount());
        assertEquals(1, count(sumSquares.concreteFunctions().get(0), "while"));
        List<Tensor> down = Tf.forRange(Tf.constant(10), Tf.constant(0), Tf.constant(-3), List.of(Tf.constant(0)),
                (i, v) -> List.of(v.get(0).add(i)));
        assertEquals(10 + 7 + 4 + 1, down.get(0).intValue(), "eager, negative delta");
    }

    @Test
    void theOptimizerFoldsConstantExpressions() {
        Function f = Function.of((Tensor x) -> x.add(Tf.constant(1f).add(Tf.constant(2f))));
        assertEquals(4f, f.call(Tf.constant(1f)).floatValue());
        ConcreteFunction cf = f.concreteFunctions().get(0);
        assertEquals(1, count(cf, "add"), "1 + 2 was replaced by 3:\n" + cf.graph());
        assertTrue(cf.tracedGraph().body().nodes().size() > cf.graph().body().nodes().size());
    }

    @Test
    void concreteFunctionGraphAndDot() {
        Function f = Function.of((Tensor x, Tensor y) -> Tf.reduceSum(x.mul(y).add(1f)));
        ConcreteFunction c = f.concrete(TensorSpec.of(DType.FLOAT32, "?", 784), TensorSpec.of(DType.FLOAT32, "?", 784));
        String ir = c.graph().toString();
        assertTrue(ir.startsWith("func @f(%arg0: f32[?,784], %arg1: f32[?,784]) -> f32[]"), ir);
        assertTrue(c.toDot().startsWith("digraph"), c.toDot());
        Tensor ones = Tf.ones(2, 784);
        assertEquals(3f * 2 * 784, f.call(ones, ones.add(1f)).floatValue(), "sum of (1*2+1) over 2x784");
        assertSame(c, f.concreteFunctions().get(0));
    }

    static long count(ConcreteFunction cf, String op) {
        return cf.graph().body().nodes().stream().map(Node::op).filter(o -> o.name().equals(op)).count();
    }
}
