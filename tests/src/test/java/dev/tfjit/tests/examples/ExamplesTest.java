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

    /** Compiles examples/NAME.java against the test class path and runs its main, returning stdout. */
    private static String compileAndRun(String name, Path classes) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests need a JDK, not a JRE");
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, null, diagnostics, "-d", classes.toString(),
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
