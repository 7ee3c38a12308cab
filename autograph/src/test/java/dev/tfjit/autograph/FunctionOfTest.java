package dev.tfjit.autograph;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorSpec;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Traceable;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With the autograph module on the class path, {@code Function.of} converts its lambda as
 * {@code Autograph.function} does (tf.function's autograph=True default), through the tracer's
 * {@code FunctionConverter} service; {@code withAutograph(false)} traces the Java as it is.
 */
class FunctionOfTest {

    /** Steps of a damped walk towards n, with a branch per step: a tensor while with a tensor if inside. */
    private static final Traceable.F2<Tensor, Tensor> WALK = (x, n) -> {
        Tensor y = x;
        Tensor steps = Tf.constant(0f);
        while (Tf.abs(y.sub(n)).greater(0.5f).booleanValue()) {
            if (y.less(n).booleanValue()) {
                y = y.add(Tf.abs(n.sub(y)).mul(0.25f).add(0.5f));
            } else {
                y = y.sub(1f);
            }
            steps = steps.add(1f);
        }
        return steps.mul(100f).add(y);
    };

    @Test
    void aLambdaWithATensorWhileAndIfStagesWhileAndCondAndAgreesWithItsJavaRun() {
        Function f = Function.of(WALK).withInputSignature(TensorSpec.of(DType.FLOAT32), TensorSpec.of(DType.FLOAT32));
        Random rnd = new Random(7);
        for (int trial = 0; trial < 30; trial++) {
            Tensor x = Tf.constant((float) Math.floor(rnd.nextFloat() * 60 - 30));
            Tensor n = Tf.constant((float) Math.floor(rnd.nextFloat() * 60 - 30));
            float eager = ((Tensor) WALK.apply(x, n)).floatValue();
            assertEquals(eager, f.call(x, n).floatValue(), 0f, "x = " + x.floatValue() + ", n = " + n.floatValue());
        }
        assertEquals(1, f.traceCount(), "one trace for every trip count and branch");
        assertEquals(1, Graphs.count(f, "while"));
        assertEquals(1, Graphs.countAll(f, "cond"), "the if inside the loop is a cond in the while's body");
        assertTrue(f.autograph());
    }

    @Test
    void autographOffTracesTheJavaAsItIs() {
        Function off = Function.of(WALK).withAutograph(false);
        assertTrue(!off.autograph());
        Exception e = assertThrows(RuntimeException.class, () -> off.call(Tf.constant(1f), Tf.constant(3f)));
        assertTrue(e.getMessage().startsWith("this tensor is symbolic: it has no value while the function is being traced"), e.getMessage());
        Tensor x = Tf.constant(1f), n = Tf.constant(3f);
        assertEquals(((Tensor) WALK.apply(x, n)).floatValue(), off.withAutograph(true).call(x, n).floatValue(), 0f);
    }

    @Test
    void anObjectOfAClassImplementingTraceableIsConvertedToo() {
        Traceable.F1<Tensor> countdown = new Traceable.F1<>() {
            private final float step = 2f;

            @Override
            public Object apply(Tensor x) {
                Tensor n = Tf.constant(0f);
                while (x.greater(0f).booleanValue()) {
                    x = x.sub(step);
                    n = n.add(1f);
                }
                return n;
            }
        };
        Function f = Function.of(countdown);
        assertEquals(4f, f.call(Tf.constant(7f)).floatValue());
        assertEquals(0f, f.call(Tf.constant(-1f)).floatValue());
        assertEquals(1, f.traceCount());
        assertEquals(1, Graphs.count(f, "while"));
    }

    @Test
    void whatCannotBeStagedIsAnErrorNamingTheLineNotASilentJavaRun() {
        float[] last = new float[1];
        Function f = Function.of((Tensor x) -> {
            Tensor y = x;
            while (y.greater(1f).booleanValue()) {
                y = y.mul(0.5f);
                last[0] = 1f;
            }
            return y;
        });
        UnimplementedError e = assertThrows(UnimplementedError.class, () -> f.call(Tf.constant(10f)));
        assertTrue(e.getMessage().startsWith("autograph: cannot stage the while loop at FunctionOfTest.java:"), e.getMessage());
        assertTrue(e.getMessage().contains("writes an array element"), e.getMessage());
    }

    static class Base {
        Tensor twice(Tensor x) { return x.mul(2f); }
    }

    static final class Derived extends Base {
        @Override Tensor twice(Tensor x) { return x.mul(3f); }

        Tensor baseTwiceTwice(Tensor x) {
            for (int i = 0; i < 2; i++) x = super.twice(x);
            return x;
        }
    }

    @Test
    void codeWithoutTensorTestsThatCannotBeConvertedRunsAsItIs() {
        Derived d = new Derived();
        assertThrows(UnimplementedError.class, () -> Autograph.function((Traceable.F1<Tensor>) d::baseTwiceTwice),
                "a super call cannot move into converted code");
        Function f = Function.of((Traceable.F1<Tensor>) d::baseTwiceTwice);
        assertEquals(d.baseTwiceTwice(Tf.constant(1.5f)).floatValue(), f.call(Tf.constant(1.5f)).floatValue(), 0f,
                "its only conversion would watch the Java loop unroll: it runs unconverted, with the same graph");
    }

    @Test
    void lambdasOfTheSameCodeShareOneConversionButKeepTheirCapturedValues() {
        Function twice = scaled(2f), thrice = scaled(3f);
        assertEquals(8f, twice.call(Tf.constant(4f)).floatValue());
        assertEquals(12f, thrice.call(Tf.constant(4f)).floatValue());
        assertNotSame(twice, thrice);
    }

    private static Function scaled(float k) {
        return Function.of((Tensor x) -> {
            Tensor y = x;
            if (y.greater(0f).booleanValue()) y = y.mul(k);
            return y;
        });
    }

    @Test
    void aLambdaOfAClassInAnotherClassLoaderIsConverted() throws Exception {
        ClassLoader own = new OwnLoader("dev.tfjit.autograph.fixtures.Isolated", getClass().getClassLoader());
        Class<?> isolated = Class.forName("dev.tfjit.autograph.fixtures.Isolated", true, own);
        assertNotSame(dev.tfjit.autograph.fixtures.Isolated.class, isolated);
        Function f = (Function) isolated.getMethod("halvings").invoke(null);
        for (float x : new float[] {0f, 6.5f, -40f}) {
            int halvings = 0;
            for (float y = Math.abs(x) + 1f; y >= 1f; y *= 0.5f) halvings++;
            assertEquals(halvings, f.call(Tf.constant(x)).intValue(), "x = " + x);
        }
        assertEquals(1, Graphs.count(f, "while"));
    }

    @Test
    void explainReportsWhatWasConvertedInTheLambda() {
        assertEquals("autograph lambda in FunctionOfTest.static (FunctionOfTest.java):\n"
                + "  converted:\n"
                + "    line " + lineOf("while (Tf.abs(y.sub(n))") + ": loop on a tensor -> while loop, carrying y, steps\n"
                + "      line " + lineOf("if (y.less(n).booleanValue())") + ": if on a tensor -> cond, carrying y",
                Autograph.explain(Function.of(WALK)));
        assertEquals("autograph f: off (withAutograph(false)): the Java is traced as it is",
                Autograph.explain(Function.of(WALK).withAutograph(false)));
    }

    private static int lineOf(String text) {
        try {
            java.util.List<String> lines = java.nio.file.Files.readAllLines(
                    java.nio.file.Path.of("src/test/java/dev/tfjit/autograph/FunctionOfTest.java"));
            for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains(text)) return i + 1;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError(text + " not found");
    }

    @Test
    void toCodePrintsTheStagedGraphWithTheLambdasSourceLines() {
        Function f = Function.of(WALK);
        f.call(Tf.constant(0f), Tf.constant(4f));
        String code = Autograph.toCode(f);
        assertTrue(code.contains(" = while "), code);
        for (String line : new String[] {"y = y.sub(1f);", "steps = steps.add(1f);", "return steps.mul(100f).add(y);"}) {
            assertTrue(code.contains("loc(FunctionOfTest.java:" + lineOf(line) + ")"), line + " in\n" + code);
        }
    }

    /** Defines one class itself (from the parent's bytes), so that it lives in this loader's unnamed module. */
    private static final class OwnLoader extends ClassLoader {
        private final String name;

        OwnLoader(String name, ClassLoader parent) {
            super(parent);
            this.name = name;
        }

        @Override
        protected synchronized Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
            if (!n.equals(name)) return super.loadClass(n, resolve);
            Class<?> c = findLoadedClass(n);
            if (c != null) return c;
            try (InputStream in = getParent().getResourceAsStream(n.replace('.', '/') + ".class")) {
                byte[] bytes = in.readAllBytes();
                return defineClass(n, bytes, 0, bytes.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(n, e);
            }
        }
    }
}
