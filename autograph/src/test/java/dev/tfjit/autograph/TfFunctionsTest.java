package dev.tfjit.autograph;

import dev.tfjit.autograph.fixtures.Regressor;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tf;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code @TfFunction} methods compiled without the agent, with the annotation's attributes. */
class TfFunctionsTest {

    @Test
    void instanceMethodsBecomeFunctionsBoundToTheirObject() {
        Regressor model = new Regressor(2f, -1f);
        TfFunctions.Compiled compiled = TfFunctions.compile(model);
        Function predict = compiled.function("predict");
        // inputSignature f32[?]: one trace for every length.
        assertArrayEquals(new float[] {0, 1, 3}, predict.call(Tf.constant(new float[] {0, 1, 2}, 3)).toFloatArray());
        assertArrayEquals(new float[] {5}, predict.call(Tf.constant(new float[] {3}, 1)).toFloatArray());
        assertEquals(1, predict.traceCount());
        assertSame(predict, TfFunctions.compile(model).function("predict"), "one function per object and method");
        assertNotSame(predict, TfFunctions.compile(new Regressor(2f, -1f)).function("predict"), "each object has its own");
    }

    @Test
    void variablesOfTheObjectAreCapturedByReference() {
        Regressor model = new Regressor(2f, 0f);
        Function predict = TfFunctions.compile(model).function("predict");
        assertArrayEquals(new float[] {2, 4}, predict.call(Tf.constant(new float[] {1, 2}, 2)).toFloatArray());
        model.w.assign(Tf.constant(10f));
        assertArrayEquals(new float[] {10, 20}, predict.call(Tf.constant(new float[] {1, 2}, 2)).toFloatArray());
        assertEquals(1, predict.traceCount(), "the new value is read when the graph runs, without a retrace");
    }

    @Test
    void aTrainingLoopWithAnEarlyStoppingBreakUpdatesTheVariable() {
        Regressor model = new Regressor(0f, 0f);
        Function fit = TfFunctions.compile(model).function("fit");
        int steps = fit.call(Tf.constant(1f), Tf.constant(3f), Tf.constant(1e-4f)).intValue();
        // w <- w - 0.1 * (w - 3): the error shrinks by 0.9 per step; (3 * 0.9^k)^2 < 1e-4 first at k = 55.
        assertEquals(55, steps);
        Regressor eager = new Regressor(0f, 0f);
        assertEquals(55, eager.fit(Tf.constant(1f), Tf.constant(3f), Tf.constant(1e-4f)).intValue(), "the plain Java, eagerly");
        assertEquals(eager.w.read().floatValue(), model.w.read().floatValue(), 1e-6f);
        assertEquals(3f, model.w.read().floatValue(), 1e-2f);
        assertEquals(0, fit.call(Tf.constant(1f), Tf.constant(3f), Tf.constant(1e-4f)).intValue(), "already converged");
        assertEquals(1, fit.traceCount());
    }

    @Test
    void staticMethodsCompileFromTheClass() {
        Function collatz = TfFunctions.compile(Regressor.class).function("collatz");
        assertEquals(111, collatz.call(Tf.constant(27)).intValue());
        assertEquals(0, collatz.call(Tf.constant(1)).intValue());
        assertEquals(1, collatz.traceCount());
    }

    @Test
    void autographFalseTracesTheJavaAsItIs() {
        Function f = TfFunctions.compile(new Regressor(1f, 0f)).function("noAutograph");
        TfException e = assertThrows(TfException.class, () -> f.call(Tf.constant(1f)));
        assertTrue(e.getMessage().startsWith("this tensor is symbolic: it has no value while the function is being traced"), e.getMessage());
    }

    @Test
    void strictRefusesAHeapWriteAndNonStrictWarns() {
        Regressor model = new Regressor(1f, 0f);
        UnimplementedError refused = assertThrows(UnimplementedError.class,
                () -> TfFunctions.compile(model).function("strictByDefault").call(Tf.constant(3f)));
        assertTrue(refused.getMessage().contains("its body writes the field lastSeen (line "), refused.getMessage());
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertEquals(192f, TfFunctions.compile(model).function("lenient").call(Tf.constant(3f)).floatValue());
        } finally {
            System.setErr(err);
        }
        assertTrue(captured.toString(StandardCharsets.UTF_8).contains("(strict = false: it runs once, while tracing)"), captured.toString());
    }

    @Test
    void aCallToAnotherTfFunctionIsConvertedToo() {
        Regressor model = new Regressor(1f, -2f);
        Function twice = TfFunctions.compile(model).function("predictTwice");
        // x - 2 then relu (min < 0), twice: [1, 5] -> [0, 3] -> [0, 1].
        assertArrayEquals(new float[] {0, 1}, twice.call(Tf.constant(new float[] {1, 5}, 2)).toFloatArray());
    }

    @Test
    void explainListsEachMethod() {
        String text = TfFunctions.explain(Regressor.class);
        assertTrue(text.contains("autograph Regressor.fit (Regressor.java):"), text);
        assertTrue(text.matches("(?s).*line \\d+: loop on a tensor -> while loop, carrying step; leaves by break \\(line \\d+\\) \\(exit flag\\).*"), text);
        assertTrue(text.contains("autograph Regressor.collatz (Regressor.java):"), text);
    }

    @Test
    void reduceRetracingAndInputSignatureAttributes() {
        Regressor model = new Regressor(2f, 0f);
        Function scale = TfFunctions.compile(model).function("scale");
        for (int n = 1; n <= 5; n++) assertEquals(n, scale.call(Tf.ones(n)).shape().dim(0));
        assertEquals(2, scale.traceCount(), "the second trace generalizes the length to ?");
        Function predict = TfFunctions.compile(model).function("predict");
        TfException e = assertThrows(TfException.class, () -> predict.call(Tf.ones(2, 2)));
        assertTrue(e.getMessage().startsWith("Regressor.predict was called with"), e.getMessage());
        assertTrue(e.getMessage().contains("which does not match its input signature"), e.getMessage());
    }

    @Test
    void unknownNamesAndMissingAnnotationsAreClearErrors() {
        UnimplementedError e = assertThrows(UnimplementedError.class, () -> TfFunctions.compile(new Regressor(1f, 0f)).function("nope"));
        assertTrue(e.getMessage().startsWith("tfjit: no @TfFunction method named nope in the Regressor; there are ["), e.getMessage());
        assertEquals("tfjit: the String has no @TfFunction methods",
                assertThrows(UnimplementedError.class, () -> TfFunctions.compile("text")).getMessage());
    }
}
