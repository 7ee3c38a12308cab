package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.TfException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tf.function semantics: tracing once per signature, Java values in the key, staged effects. */
class FunctionTest {

    static Tensor vec(float... v) { return Tf.constant(v, v.length); }

    static long count(ConcreteFunction cf, String op) {
        return cf.graph().body().nodes().stream().map(Node::op).filter(o -> o.name().equals(op)).count();
    }

    @Test
    void tracesOncePerSignatureAndRunsTheGraphAfterwards() {
        AtomicInteger javaRuns = new AtomicInteger();
        Function f = Function.of((Tensor x, Tensor y) -> {
            javaRuns.incrementAndGet();
            return x.mul(y).add(1f);
        });
        assertArrayEquals(new float[] {4, 7}, f.call(vec(1, 2), vec(3, 3)).toFloatArray());
        assertArrayEquals(new float[] {1, 1}, f.call(vec(0, 5), vec(9, 0)).toFloatArray());
        assertEquals(1, javaRuns.get(), "the Java body runs only while tracing");
        assertEquals(1, f.traceCount());

        f.call(vec(1, 2, 3), vec(1, 2, 3));
        assertEquals(2, f.traceCount(), "a new shape is a new signature");
        f.call(Tf.constant(new double[] {1, 2}), Tf.constant(new double[] {1, 2}));
        assertEquals(3, f.traceCount(), "a new dtype is a new signature");
    }

    @Test
    void javaValuesArePartOfTheKeyAndBakedInAsConstants() {
        Function f = Function.of((Tensor x, Integer n) -> x.mul((float) (int) n));
        assertArrayEquals(new float[] {2, 4}, f.call(vec(1, 2), 2).toFloatArray());
        assertArrayEquals(new float[] {3, 6}, f.call(vec(1, 2), 3).toFloatArray());
        assertArrayEquals(new float[] {4, 8}, f.call(vec(2, 4), 2).toFloatArray());
        assertEquals(2, f.traceCount());
        ConcreteFunction three = f.concreteFunctions().get(1);
        assertEquals(1, three.inputSpecs().size(), "the Java value is not a parameter");
        assertTrue(three.graph().toString().contains("constant"), three.graph().toString());
    }

    @Test
    void javaArraysArePassedAsTensors() {
        Function f = Function.of((Tensor x) -> x.add(1f));
        assertArrayEquals(new float[] {2, 3}, f.call((Object) new float[] {1, 2}).toFloatArray());
        assertArrayEquals(new float[] {4, 5}, f.call((Object) new float[] {3, 4}).toFloatArray());
        assertEquals(1, f.traceCount());
    }

    @Test
    void readingAValueWhileTracingExplainsWhyAndWhere() {
        Function f = Function.of((Tensor x) -> {
            x.item();
            return x;
        });
        TfException e = assertThrows(TfException.class, () -> f.call(Tf.constant(1f)));
        assertTrue(e.getMessage().contains("symbolic"), e.getMessage());
        assertTrue(e.getMessage().contains("FunctionTest.java:"), e.getMessage());
    }

    @Test
    void aJavaLoopOverAJavaRangeUnrolls() {
        Function f = Function.of((Tensor x) -> {
            Tensor y = x;
            for (int i = 0; i < 3; i++) y = y.add(1f);
            return y;
        });
        assertArrayEquals(new float[] {3}, f.call(vec(0)).toFloatArray());
        ConcreteFunction cf = f.concreteFunctions().get(0);
        assertEquals(3, count(cf, "add"));
        assertEquals(0, count(cf, "while"));
    }

    @Test
    void symbolicTensorsCannotEscapeTheirTrace() {
        List<Tensor> leaked = new ArrayList<>();
        Function f = Function.of((Tensor x) -> {
            Tensor y = x.add(1f);
            leaked.add(y);
            return y;
        });
        f.call(vec(1));
        TfException e = assertThrows(TfException.class, () -> leaked.get(0).add(1f));
        assertTrue(e.getMessage().contains("symbolic"), e.getMessage());
        Function g = Function.of((Tensor x) -> x.add(leaked.get(0)));
        TfException e2 = assertThrows(TfException.class, () -> g.call(vec(1)));
        assertTrue(e2.getMessage().contains("another trace"), e2.getMessage());
    }

    @Test
    void inputSignatureWithUnknownDimsTracesOnce() {
        Function f = Function.of((Tensor x) -> x.mul(2f)).withInputSignature(TensorSpec.of(DType.FLOAT32, "?", 2));
        assertArrayEquals(new float[] {2, 4}, f.call(Tf.constant(new float[][] {{1, 2}})).toFloatArray());
        assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, f.call(Tf.constant(new float[][] {{1, 2}, {3, 4}, {5, 6}})).toFloatArray());
        assertEquals(1, f.traceCount());
        assertTrue(f.concreteFunctions().get(0).graph().toString().contains("f32[?,2]"));
        TfException e = assertThrows(TfException.class, () -> f.call(vec(1, 2)));
        assertTrue(e.getMessage().contains("input signature"), e.getMessage());
    }

    @Test
    void concreteFunctionFromASpec() {
        Function f = Function.of((Tensor x, Tensor y) -> x.mul(y).add(1f));
        ConcreteFunction c = f.concrete(TensorSpec.of(DType.FLOAT32, "?", 784), TensorSpec.of(DType.FLOAT32, "?", 784));
        String ir = c.graph().toString();
        assertTrue(ir.contains("f32[?,784]"), ir);
        Tensor a = Tf.constant(new float[784 * 2], 2, 784);
        f.call(a, a);
        assertEquals(1, f.traceCount(), "a call that fits the spec reuses the concrete function");
        float[] ones = new float[784];
        java.util.Arrays.fill(ones, 1f);
        assertArrayEquals(ones, c.callFlat(List.of(Tf.constant(new float[784], 1, 784), Tf.constant(new float[784], 1, 784)))
                .get(0).toFloatArray());
    }

    @Test
    void reduceRetracingGeneralizesChangedDims() {
        Function f = Function.of((Tensor x) -> x.add(1f)).withReduceRetracing(true);
        f.call(vec(1, 2));
        f.call(vec(1, 2, 3));
        f.call(vec(1, 2, 3, 4, 5));
        f.call(vec(1));
        assertEquals(2, f.traceCount());
        assertTrue(f.concreteFunctions().get(1).graph().toString().contains("f32[?]"));
    }

    @Test
    void retracingTooOftenWarnsOnceNamingTheArgument() {
        Function f = Function.of((Tensor x) -> x.add(1f)).named("grow");
        for (int n = 1; n <= 8; n++) f.call(Tf.constant(new float[n], n));
        assertEquals(8, f.traceCount());
        assertEquals(1, f.warnings().size());
        String w = f.warnings().get(0);
        assertTrue(w.contains("arg 0 shape (5,) -> (6,)"), w);
        assertTrue(w.contains("withInputSignature"), w);
        String explained = f.explain();
        assertTrue(explained.contains("first call"), explained);
        assertTrue(explained.contains("retraced: arg 0 shape (7,) -> (8,)"), explained);
    }

    @Test
    void aFunctionCalledInsideAnotherIsTracedInline() {
        Function inner = Function.of((Tensor x) -> x.mul(x));
        Function outer = Function.of((Tensor x) -> inner.call(x).add(1f));
        assertArrayEquals(new float[] {10}, outer.call(vec(3)).toFloatArray());
        assertEquals(0, inner.traceCount());
        assertEquals(1, count(outer.concreteFunctions().get(0), "mul"));
    }

    @Test
    void multipleOutputsAndNoOutput() {
        Function two = Function.of((Tensor x) -> List.of(x.add(1f), x.mul(2f)));
        List<Tensor> out = two.callAll(vec(3));
        assertArrayEquals(new float[] {4}, out.get(0).toFloatArray());
        assertArrayEquals(new float[] {6}, out.get(1).toFloatArray());
        assertThrows(TfException.class, () -> two.call(vec(3)));
        Function none = Function.of((Tensor x) -> null);
        assertTrue(none.callAll(vec(1)).isEmpty());
    }

    @Test
    void aTypeErrorWhileTracingNamesTheOpAndTheUserLine() {
        Function f = Function.of((Tensor x) -> x.add(Tf.constant(1.0)));
        TfException e = assertThrows(TfException.class, () -> f.call(vec(1)));
        assertTrue(e.getMessage().startsWith("add: "), e.getMessage());
        assertTrue(e.getMessage().contains("float32") && e.getMessage().contains("float64"), e.getMessage());
        assertTrue(e.getMessage().contains("FunctionTest.java:"), e.getMessage());
        assertFalse(f.traceCount() > 0, "a failed trace is not cached");
    }
}
