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
 * The README's main command runs examples/TensorBasics.java; this keeps it compiling and
 * running as the API evolves, and checks a few lines whose TensorFlow output is known.
 */
class TensorBasicsExampleTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "TensorBasics.java");

    @Test
    void compilesRunsAndPrintsLikeTensorFlow(@TempDir Path classes) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests need a JDK, not a JRE");
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, null, diagnostics, "-d", classes.toString(),
                "-cp", System.getProperty("java.class.path"), EXAMPLE.toString());
        assertEquals(0, rc, diagnostics.toString(StandardCharsets.UTF_8));

        String out = runMain(classes);
        // Seed 004: print('a+b=', a+b) # a+b= tf.Tensor(6.0, shape=(), dtype=float32)
        assertTrue(out.contains("tf.Tensor(6.0, shape=(), dtype=float32)"), out);
        // Seed 003: t @ tf.transpose(t)
        assertTrue(out.contains("array([[14., 32.],\n       [32., 77.]], dtype=float32)>"), out);
        assertTrue(out.contains("<tf.Tensor: shape=(), dtype=int32, numpy=42>"), out);
        // The no-implicit-cast error is caught and names both dtypes.
        assertTrue(out.contains("float32") && out.contains("float64") && out.contains("error: "), out);
    }

    private static String runMain(Path classes) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[]{classes.toUri().toURL()},
                TensorBasicsExampleTest.class.getClassLoader())) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Method main = loader.loadClass("TensorBasics").getMethod("main", String[].class);
            main.invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
