package dev.tfjit.autograph;

import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Traceable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Java that converted code must keep working: lambdas and method references inside it (also
 * inside staged regions), two-slot locals (long, double), switch, try/catch outside staged code,
 * and Java collections read (not written) by a staged loop.
 */
class JavaConstructsTest {

    private static Tensor twice(Tensor t) { return t.mul(2f); }

    private static void agrees(Traceable.F1<Tensor> code, float... inputs) {
        Function f = Autograph.function(code);
        for (float x : inputs) {
            assertEquals(((Tensor) code.apply(Tf.constant(x))).floatValue(), f.call(Tf.constant(x)).floatValue(), 1e-5f, "x = " + x);
        }
        assertEquals(1, f.traceCount());
    }

    @Test
    void lambdasAndMethodReferencesInsideStagedCode() {
        agrees(x -> {
            Tensor y = x;
            while (y.less(100f).booleanValue()) {
                Tensor z = y;
                y = Tf.cond(z.less(10f), () -> twice(z).add(1f), () -> JavaConstructsTest.twice(z));
                y = y.add(Tf.constant(50f));
                java.util.function.UnaryOperator<Tensor> neg = Tensor::neg;
                if (neg.apply(y).greater(-60f).booleanValue()) y = y.add(1f);
            }
            return y;
        }, -5f, 3f, 20f, 200f);
    }

    @Test
    void longAndDoubleLocalsCrossStagedStatements() {
        agrees(x -> {
            long big = 1L << 40;
            double scale = 0.5;
            Tensor y = x;
            while (y.less(10f).booleanValue()) {
                y = y.add((float) scale);
                if (big > 0 && y.greater(5f).booleanValue()) y = y.add((float) (scale * 2));
            }
            return y.add((float) (big >> 40));
        }, 0f, 4.6f, 12f);
    }

    @Test
    void switchOnJavaValuesInsideAStagedLoop() {
        agrees(x -> {
            Tensor y = x;
            int mode = 2;
            while (y.less(50f).booleanValue()) {
                switch (mode) {
                    case 1 -> y = y.add(1f);
                    case 2 -> y = y.add(7f);
                    default -> y = y.mul(2f);
                }
            }
            return y;
        }, 0f, 49f, 60f);
    }

    @Test
    void tryCatchOutsideTheStagedStatements() {
        agrees(x -> {
            Tensor y = x;
            try {
                y = y.add(Float.parseFloat("1.5"));
            } catch (NumberFormatException e) {
                y = y.neg();
            }
            while (y.less(10f).booleanValue()) y = y.mul(2f).add(1f);
            return y;
        }, -1f, 0.2f, 30f);
    }

    @Test
    void aJavaListReadByAStagedLoop() {
        List<Float> weights = new ArrayList<>(List.of(0.5f, 2f, 3f));
        agrees(x -> {
            Tensor y = x;
            while (y.less(100f).booleanValue()) {
                for (float w : weights) y = y.add(w);
            }
            return y;
        }, 0f, 99f, 150f);
    }

    @Test
    void manyLocalsAndArguments() {
        Function f = Autograph.function((Tensor a, Tensor b, Tensor c, Tensor d) -> {
            Tensor s = a;
            Tensor t = b;
            int k = 3;
            while (s.less(d).booleanValue()) {
                s = s.add(c);
                if (t.greater(s).booleanValue()) t = t.sub(c);
                else t = t.add(Tf.constant((float) k));
            }
            return s.add(t);
        });
        // s: 0 -> 2 -> 4 -> 6 (>= 5); t: 5 -> 3 -> 6 -> 9.
        assertEquals(15f, f.call(Tf.constant(0f), Tf.constant(5f), Tf.constant(2f), Tf.constant(5f)).floatValue());
    }
}
