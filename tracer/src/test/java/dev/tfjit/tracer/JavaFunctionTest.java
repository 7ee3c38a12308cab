package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.ir.ops.JavaCallOps;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tf.javaFunction, like tf.py_function: arbitrary Java on eager tensors, staged as a side effect when traced. */
class JavaFunctionTest {

    /** Java code that reads values (impossible in a graph): the sum of squares as a Java loop. */
    private static List<Tensor> javaSumOfSquares(List<Tensor> args, AtomicInteger runs) {
        runs.incrementAndGet();
        float s = 0;
        for (float v : args.get(0).toFloatArray()) s += v * v;
        return List.of(Tf.constant(s));
    }

    @Test
    void eagerCallRunsTheJavaCodeAtOnceOnValues() {
        AtomicInteger runs = new AtomicInteger();
        List<Tensor> out = Tf.javaFunction(a -> javaSumOfSquares(a, runs), List.of(Tf.constant(new float[] {1, 2, 3})), List.of(DType.FLOAT32));
        assertEquals(14f, out.get(0).floatValue());
        assertEquals(1, runs.get());
    }

    @Test
    void insideAFunctionItRunsOnEveryCallNotOnlyWhileTracing() {
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger traces = new AtomicInteger();
        Function f = Function.of((Tensor x) -> {
            traces.incrementAndGet();
            Tensor s = Tf.javaFunction(a -> javaSumOfSquares(a, runs), List.of(x.mul(2f)), List.of(DType.FLOAT32)).get(0);
            return s.add(1f);
        });
        assertEquals(4 * 14f + 1, f.call(Tf.constant(new float[] {1, 2, 3})).floatValue());
        assertEquals(4 * 2f + 1, f.call(Tf.constant(new float[] {1, 1, 0})).floatValue());
        assertEquals(4 * 0f + 1, f.call(Tf.constant(new float[] {0, 0, 0})).floatValue());
        assertEquals(1, traces.get(), "one trace for one signature");
        assertEquals(3, runs.get(), "the Java code runs once per call");
        long nodes = f.concreteFunctions().get(0).graph().body().nodes().stream().filter(n -> n.op() == JavaCallOps.JAVA_FUNCTION).count();
        assertEquals(1, nodes);
    }

    @Test
    void itIsNeverRemovedEvenWhenItsResultIsUnused() {
        AtomicInteger runs = new AtomicInteger();
        Function f = Function.of((Tensor x) -> {
            Tf.javaFunction(a -> javaSumOfSquares(a, runs), List.of(x), List.of(DType.FLOAT32));
            return x.add(1f);
        });
        f.call(Tf.constant(new float[] {1}));
        f.call(Tf.constant(new float[] {2}));
        assertEquals(2, runs.get(), "a side effect survives dead code elimination");
    }

    @Test
    void declaredShapesTypeTheGraphAndAreCheckedOnEveryCall() {
        Function f = Function.of((Tensor x) -> {
            Tensor y = Tf.javaFunction(a -> List.of(Tf.constant(new int[a.get(0).toFloatArray().length])), List.of(x),
                    List.of(DType.INT32), List.of(Shape.of(Shape.UNKNOWN))).get(0);
            assertEquals(Shape.of(Shape.UNKNOWN), y.shape(), "the symbolic result has the declared shape");
            return y;
        });
        assertArrayEquals(new int[] {0, 0}, f.call(Tf.constant(new float[] {5, 6})).toIntArray());

        List<Tensor> args = List.of(Tf.constant(1f));
        ShapeError e = assertThrows(ShapeError.class, () -> Tf.javaFunction(a -> List.of(Tf.constant(new float[] {1, 2})), args,
                List.of(DType.FLOAT32), List.of(Shape.SCALAR)));
        assertTrue(e.getMessage().contains("java_function") && e.getMessage().contains("declared as ()"), e.getMessage());
    }

    @Test
    void aResultOfTheWrongDtypeIsAnErrorNamingBoth() {
        DTypeError e = assertThrows(DTypeError.class,
                () -> Tf.javaFunction(a -> List.of(Tf.constant(1)), List.of(), List.of(DType.FLOAT32)));
        assertTrue(e.getMessage().contains("int32") && e.getMessage().contains("declared as float32"), e.getMessage());

        TfException count = assertThrows(TfException.class,
                () -> Tf.javaFunction(a -> List.of(), List.of(), List.of(DType.FLOAT32)));
        assertTrue(count.getMessage().contains("returned 0 tensors but was declared to return 1"), count.getMessage());
    }

    @Test
    void anExceptionInTheJavaCodeReachesTheCaller() {
        Function f = Function.of((Tensor x) -> Tf.javaFunction(a -> { throw new IllegalStateException("boom"); }, List.of(x),
                List.of(DType.FLOAT32)).get(0));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.call(Tf.constant(1f)));
        assertEquals("boom", e.getMessage());
    }

    @Test
    void anAheadOfTimeCompilerRefusesAGraphThatCallsBackIntoJava() {
        Function f = Function.of((Tensor x) -> Tf.javaFunction1(a -> a.get(0), List.of(x), DType.FLOAT32));
        var graph = f.concrete(TensorSpec.of(DType.FLOAT32)).graph();
        UnimplementedError e = assertThrows(UnimplementedError.class, () -> JavaCallOps.requireNoJavaCallbacks(graph, "an AOT artifact"));
        assertTrue(e.getMessage().contains("an artifact cannot call back into a JVM"), e.getMessage());

        var pure = Function.of((Tensor x) -> x.add(1f)).concrete(TensorSpec.of(DType.FLOAT32)).graph();
        JavaCallOps.requireNoJavaCallbacks(pure, "an AOT artifact");
    }

    @Test
    void executingEagerlyIsFalseOnlyWhileTracing() {
        assertTrue(Tf.executingEagerly());
        boolean[] seen = new boolean[1];
        Function.of((Tensor x) -> {
            seen[0] = Tf.executingEagerly();
            return x;
        }).call(Tf.constant(1f));
        assertFalse(seen[0]);
    }

    @Test
    void theJavaCodeSeesEagerTensorsEvenWhenCalledDuringATrace() {
        // A compiled function called while another is traced runs its graph eagerly; its callback must see values.
        boolean[] eager = new boolean[1];
        Function.of((Tensor x) -> Tf.javaFunction1(a -> {
            eager[0] = !a.get(0).isSymbolic() && Tf.executingEagerly();
            return a.get(0);
        }, List.of(x), DType.FLOAT32)).call(Tf.constant(2f));
        assertTrue(eager[0]);
    }

    @Test
    void theOpIsInTheCatalogAsASideEffect() {
        assertEquals(JavaCallOps.JAVA_FUNCTION, dev.tfjit.ir.OpCatalog.get("java_function"));
        assertEquals(dev.tfjit.ir.OpDef.Effect.SIDE_EFFECT, JavaCallOps.JAVA_FUNCTION.effect());
    }

    @Test
    void theStagedNodePrintsAndParsesBack() {
        Function f = Function.of((Tensor x) -> Tf.javaFunction(a -> List.of(a.get(0), Tf.constant(1L)), List.of(x),
                List.of(DType.FLOAT32, DType.INT64), List.of(Shape.of(Shape.UNKNOWN), Shape.SCALAR)));
        var graph = f.concrete(TensorSpec.of(DType.FLOAT32, "?")).graph();
        String text = graph.toString();
        assertTrue(text.contains("java_function") && text.contains("Tout=\"f32,i64\""), text);
        assertEquals(text, dev.tfjit.ir.IrParser.parse(text).toString());
    }
}
