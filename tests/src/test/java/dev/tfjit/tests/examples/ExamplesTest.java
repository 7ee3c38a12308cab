package dev.tfjit.tests.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's main command runs examples/TensorBasics.java, and examples/Functions.java shows
 * tracing; this keeps both compiling and running as the API evolves, and checks lines whose
 * TensorFlow output is known.
 */
class ExamplesTest {
    @Test
    void compilesRunsAndPrintsLikeTensorFlow(@TempDir Path classes) throws Exception {
        String out = compileAndRun("TensorBasics", classes);
        // Seed 004: print('a+b=', a+b) # a+b= tf.Tensor(6.0, shape=(), dtype=float32)
        assertTrue(out.contains("tf.Tensor(6.0, shape=(), dtype=float32)"), out);
        // Seed 003: t @ tf.transpose(t)
        assertTrue(out.contains("array([[14., 32.],\n       [32., 77.]], dtype=float32)>"), out);
        assertTrue(out.contains("<tf.Tensor: shape=(), dtype=int32, numpy=42>"), out);
        // The no-implicit-cast error is caught and names both dtypes.
        assertTrue(out.contains("float32") && out.contains("float64") && out.contains("error: "), out);
    }

    @Test
    void functionsExampleTracesOnceAndStagesPrint(@TempDir Path classes) throws Exception {
        String out = compileAndRun("Functions", classes);
        assertTrue(out.contains("tf_cube(2)                 -> tf.Tensor(8, shape=(), dtype=int32)"), out);
        assertTrue(out.contains("%1 = constant {value=dense<f32[]: 3.0>}"), out);
        assertEquals(1, out.lines().filter(l -> l.contains("Java println: tracing")).count(), out);
        assertTrue(out.contains("after 3 calls: <tf.Variable 'Variable:0' shape=() dtype=int32, numpy=3>"), out);
        assertTrue(out.contains("sum of squares below 100: tf.Tensor(328350, shape=(), dtype=int32)"), out);
        assertTrue(out.contains("with reduceRetracing: 2 traces"), out);
        assertTrue(out.contains("Collatz steps for 27: tf.Tensor(111, shape=(), dtype=int32)"), out);
        assertTrue(out.contains("; traces: 1"), out);
    }

    @Test
    void autoGraphExampleStagesLoopsAndCompilesTfFunctions(@TempDir Path classes) throws Exception {
        String out = compileAndRun("AutoGraph", classes);
        assertTrue(out.contains("sum_squares(10)  = tf.Tensor(285, shape=(), dtype=int32)"), out);
        assertTrue(out.contains("sum_squares(100) = tf.Tensor(328350, shape=(), dtype=int32)"), out);
        assertTrue(out.contains("traces: 1, while nodes: 1"), out);
        assertTrue(out.contains("tf.range: 15 with 1 while node and 0 add nodes outside it"), out);
        assertTrue(out.contains("range:    15 with 0 while nodes and 10 add nodes"), out);
        // 1 + 3 + ... + 13 = 49 <= 50; 1 + ... + 61 = 961 <= 1000.
        assertTrue(out.contains("odd numbers summed while the sum stays <= 50: 49, <= 1000: 961; traces: 1"), out);
        assertTrue(out.contains("clip(-2) = 0.0, clip(0.25) = 0.25, clip(7) = 1.0"), out);
        assertTrue(out.matches("(?s).*line \\d+: loop on a tensor -> while loop, carrying s, the position of the for loop at line \\d+; leaves by break \\(line \\d+\\) \\(exit flag\\).*"), out);
        assertTrue(out.matches("(?s).*left as Java:\n    line \\d+: loop on Java values -> stays Java; it unrolls while tracing.*"), out);
        assertTrue(out.contains("loc(AutoGraph.java:"), out);
        assertTrue(out.contains("agent: off, so the functions come from TfFunctions.compile"), out);
        // Each step moves w 37.5% of the way to 3 (rate 0.05 * mean x^2 7.5); the loss 7.5 (w - 3)^2 is below 1e-3 after 12.
        assertTrue(out.contains("fit stopped early after 12 steps; w = 2.989"), out);
        assertTrue(out.contains("predict([10, 20]) = [29.89, 59.79]"), out);
        assertTrue(out.contains("collatz(27) = 111 steps, on llvm-cpu"), out);
        assertTrue(out.contains("fit traces: 1, predict traces: 1"), out);
        assertTrue(out.contains("its body writes the field lastLoss (line "), out);
        assertTrue(out.contains("a value carried by a staged loop must keep its dtype and shape"), out);
    }

    /** Compiles examples/NAME.java against the test class path and runs its main, returning stdout. */
    private static String compileAndRun(String name, Path classes) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests need a JDK, not a JRE");
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        // -g: local variable names, as the JDK's source launcher (./tfjit run) keeps them.
        int rc = javac.run(null, null, diagnostics, "-g", "-d", classes.toString(),
                "-cp", System.getProperty("java.class.path"), Path.of("..", "examples", name + ".java").toString());
        assertEquals(0, rc, diagnostics.toString(StandardCharsets.UTF_8));
        return runMain(name, classes);
    }

    private static String runMain(String name, Path classes) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[]{classes.toUri().toURL()},
                ExamplesTest.class.getClassLoader())) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Method main = loader.loadClass(name).getMethod("main", String[].class);
            main.invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
