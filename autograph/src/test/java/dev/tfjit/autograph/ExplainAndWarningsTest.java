package dev.tfjit.autograph;

import dev.tfjit.autograph.fixtures.Explained;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Traceable;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** explain() reports per statement what AutoGraph does; a Java loop that unrolls into many ops warns with its line. */
class ExplainAndWarningsTest {

    @Test
    void explainNamesEachStatementWithItsLine() {
        assertEquals("""
                autograph Explained.train (Explained.java):
                  converted:
                    line 13: loop on a tensor -> while loop, carrying loss, step; leaves by break (line 14) (exit flag)
                      line 14: if on a tensor -> cond whose branches run to the end of the loop body (a break, continue or return in a branch), carrying loss, step
                        line 15: if on a tensor -> cond, carrying loss
                    line 23: if on a tensor -> cond whose branches run to the end of the method (a return in a branch)
                  left as Java:
                    line 22: loop on Java values -> stays Java; it unrolls while tracing
                  not convertible (an error when the tensor is symbolic):
                    line 24: the test chooses a value (a ternary ? :) instead of a statement; write it as an if statement that assigns a local, or use Tf.where or Tf.cond""",
                Autograph.explain((Traceable.F2<Tensor, Tensor>) Explained::train));
    }

    @Test
    void aJavaLoopThatUnrollsIntoThousandsOfOpsWarnsOnce() {
        Function f = Autograph.function((Tensor x) -> {
            Tensor y = x;
            for (int i = 0; i < 3000; i++) y = y.mul(1.0001f).add(1f);
            return y;
        });
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            f.call(Tf.constant(1f));
        } finally {
            System.setErr(err);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        // Each iteration adds 4 ops (two constants, mul, add): the 1251st takes the loop past 5000.
        assertEquals(1, text.lines().filter(l -> l.contains("WARNING")).count(), text);
        assertTrue(text.matches("(?s)tfjit: WARNING: the Java loop at ExplainAndWarningsTest\\.java:\\d+ \\(lambda in"
                + " ExplainAndWarningsTest\\.aJavaLoopThatUnrollsIntoThousandsOfOpsWarnsOnce\\) has run 1251 times while tracing and"
                + " added 5004 ops to the graph: a loop over Java values unrolls when traced\\. Loop over a tensor .*"), text);
    }

    @Test
    void aShortJavaLoopDoesNotWarn() {
        Function f = Autograph.function((Tensor x) -> {
            Tensor y = x;
            for (int i = 0; i < 100; i++) y = y.add(1f);
            return y;
        });
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertEquals(101f, f.call(Tf.constant(1f)).floatValue());
        } finally {
            System.setErr(err);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8));
    }
}
