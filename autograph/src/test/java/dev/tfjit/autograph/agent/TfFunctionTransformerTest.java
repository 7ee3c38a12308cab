package dev.tfjit.autograph.agent;

import dev.tfjit.autograph.TfFunctions;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * What the agent does to a class, checked in this JVM: the fixture class is loaded through a class
 * loader that applies the agent's transformer, as {@code -javaagent} would (tests/AgentIT runs a
 * real agent in a child JVM).
 */
class TfFunctionTransformerTest {
    private static final String MODEL = "dev.tfjit.autograph.fixtures.Regressor";

    /** Loads the fixture's classes itself, rewritten; everything else from the parent. */
    private static final class AgentLoader extends ClassLoader {
        AgentLoader() { super(TfFunctionTransformerTest.class.getClassLoader()); }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(MODEL)) return super.loadClass(name, resolve);
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try (InputStream in = getResourceAsStream(name.replace('.', '/') + ".class")) {
                        byte[] original = in.readAllBytes();
                        byte[] bytes = new TfFunctionTransformer().transform(this, name.replace('.', '/'), null, null, original);
                        if (bytes == null) bytes = original;
                        c = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                return c;
            }
        }
    }

    @Test
    void callsOfAnnotatedMethodsGoThroughTheirFunctions() throws Exception {
        Class<?> cls = new AgentLoader().loadClass(MODEL);
        Object model = cls.getConstructor(float.class, float.class).newInstance(2f, -1f);
        Method predict = cls.getMethod("predict", Tensor.class);
        for (int n = 1; n <= 3; n++) {
            float[] x = new float[n];
            Tensor y = (Tensor) predict.invoke(model, Tf.constant(x, n));
            assertArrayEquals(new float[n], y.toFloatArray(), "relu(2 * 0 - 1) = 0");
        }
        Function f = TfFunctions.compile(model).function("predict");
        assertEquals(1, f.traceCount(), "three calls of the rewritten method ran one trace (inputSignature f32[?])");

        Method collatz = cls.getMethod("collatz", Tensor.class);
        assertEquals(111, ((Tensor) collatz.invoke(null, Tf.constant(27))).intValue());
        assertEquals(7, ((Tensor) collatz.invoke(null, Tf.constant(3))).intValue());
        assertEquals(1, TfFunctions.compile(cls).function("collatz").traceCount(), "static methods too");
    }

    @Test
    void classesWithoutTheAnnotationAreLeftAlone() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("TfFunctionTransformerTest.class")) {
            assertNull(new TfFunctionTransformer().transform(getClass().getClassLoader(), "dev/tfjit/autograph/agent/X", null, null,
                    in.readAllBytes()));
        }
    }
}
