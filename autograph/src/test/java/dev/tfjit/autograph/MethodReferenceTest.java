package dev.tfjit.autograph;

import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Traceable;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A method reference is converted like a lambda: its target method's bytecode is rewritten. */
class MethodReferenceTest {

    static Tensor countdown(Tensor n) {
        Tensor steps = Tf.constant(0);
        while (n.greater(0).booleanValue()) {
            n = n.sub(1);
            steps = steps.add(2);
        }
        return steps;
    }

    @Test
    void aStaticMethodReferenceStagesItsLoop() {
        Function f = Autograph.function((Traceable.F1<Tensor>) MethodReferenceTest::countdown);
        assertEquals(10, f.call(Tf.constant(5)).intValue());
        assertEquals(0, f.call(Tf.constant(-3)).intValue());
        assertEquals(1, f.traceCount());
    }
}
