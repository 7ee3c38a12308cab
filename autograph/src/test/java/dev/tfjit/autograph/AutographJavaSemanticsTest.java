package dev.tfjit.autograph;

import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Traceable;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rewritten code behaves as the original Java: on eager tensors it is the original code,
 * traced it gives the same results, and it still reaches the lambda's instance state and private
 * helpers (the hidden class is a nestmate of the lambda's class).
 */
class AutographJavaSemanticsTest {
    private final float offset = 1.5f;

    private static Tensor halve(Tensor t) { return t.mul(0.5f); }

    /** Newton steps towards sqrt(a) until converged; an instance lambda using a field and a private method. */
    private Traceable.F1<Tensor> newtonSqrt() {
        return a -> {
            Tensor x = a.add(offset);
            Tensor next = halve(x.add(a.div(x)));
            while (Tf.abs(next.sub(x)).greater(1e-5f).booleanValue()) {
                x = next;
                next = halve(x.add(a.div(x)));
            }
            return next;
        };
    }

    @Test
    void instanceLambdasReachFieldsAndPrivateMethods() {
        Function f = Autograph.function(newtonSqrt());
        assertEquals(3f, f.call(Tf.constant(9f)).floatValue(), 1e-4f);
        assertEquals(12f, f.call(Tf.constant(144f)).floatValue(), 1e-4f);
        assertEquals(1, f.traceCount());
    }

    @Test
    void tracedAndEagerRunsAgreeOnRandomInputs() {
        Traceable.F2<Tensor, Tensor> code = (x, y) -> {
            Tensor acc = Tf.constant(0f);
            Tensor i = Tf.constant(0);
            while (i.less(5).booleanValue()) {
                if (x.greater(y).booleanValue()) {
                    acc = acc.add(x.sub(y));
                } else {
                    acc = acc.sub(Tf.cast(i, x.dtype()));
                }
                x = x.mul(0.9f);
                i = i.add(1);
            }
            return acc;
        };
        Function traced = Autograph.function(code);
        Converted eager = Converted.of(code);
        Random rnd = new Random(42);
        for (int k = 0; k < 20; k++) {
            Tensor x = Tf.constant(rnd.nextFloat() * 10 - 5), y = Tf.constant(rnd.nextFloat() * 10 - 5);
            float expected = code.apply(x, y) instanceof Tensor t ? t.floatValue() : Float.NaN;
            assertEquals(expected, ((Tensor) eager.invoke(x, y)).floatValue(), 0f, "eager rewritten == original");
            assertEquals(expected, traced.call(x, y).floatValue(), 1e-5f, "traced == original");
        }
        assertEquals(1, traced.traceCount());
    }

    @Test
    void eagerRewrittenCodeKeepsBreakAndReturn() {
        // Constructs that cannot be staged yet still run as Java on eager tensors.
        Traceable.F1<Tensor> code = x -> {
            Tensor y = x;
            while (y.less(100f).booleanValue()) {
                y = y.mul(2f);
                if (y.equal(Tf.constant(16f)).booleanValue()) break;
            }
            if (y.equal(Tf.constant(16f)).booleanValue()) return y.neg();
            return y;
        };
        Converted c = Converted.of(code);
        assertEquals(-16f, ((Tensor) c.invoke(Tf.constant(1f))).floatValue());
        assertEquals(192f, ((Tensor) c.invoke(Tf.constant(3f))).floatValue());
    }

    @Test
    void andOfTwoTensorTestsStagesAsNestedConds() {
        // javac compiles a && b as two tests jumping to the same end: an if inside an if.
        Function f = Autograph.function((Tensor x) -> {
            Tensor y = x;
            if (x.greater(0f).booleanValue() && x.less(10f).booleanValue()) y = x.neg();
            return y;
        });
        assertEquals(-5f, f.call(Tf.constant(5f)).floatValue());
        assertEquals(20f, f.call(Tf.constant(20f)).floatValue());
        assertEquals(-1f, f.call(Tf.constant(-1f)).floatValue());
        assertEquals(1, f.traceCount());
    }

    @Test
    void orOfTwoTensorTestsStagesLikeJava() {
        Traceable.F1<Tensor> code = x -> {
            Tensor y = x;
            if (x.less(0f).booleanValue() || x.greater(10f).booleanValue()) y = Tf.zerosLike(x);
            return y;
        };
        Function f = Autograph.function(code);
        for (float v : new float[] {-5, 5, 10, 11}) {
            assertEquals(((Tensor) code.apply(Tf.constant(v))).floatValue(), f.call(Tf.constant(v)).floatValue());
        }
        assertEquals(1, f.traceCount());
    }

    @Test
    void aLoopVariableThatChangesShapeIsAnErrorNamingIt() {
        Function f = Autograph.function((Tensor x) -> {
            Tensor v = x;
            while (Tf.reduceSum(v).less(100f).booleanValue()) v = Tf.concat(java.util.List.of(v, v), 0);
            return v;
        });
        RuntimeException e = assertThrows(RuntimeException.class, () -> f.call(Tf.constant(new float[] {1, 2}, 2)));
        assertTrue(e.getMessage().contains("v is") && e.getMessage().contains("keep its dtype and shape"), e.getMessage());
    }
}
