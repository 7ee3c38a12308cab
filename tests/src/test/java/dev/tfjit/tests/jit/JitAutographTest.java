package dev.tfjit.tests.jit;

import dev.tfjit.autograph.Autograph;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.ops.JavaCallOps;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Traceable;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Java control flow converted by AutoGraph compiles, whole, to one native function on llvm-cpu:
 * the staged while and cond nodes run as native loops and branches, with the same results as the
 * interpreter (the oracle) and no call back into Java.
 */
class JitAutographTest {

    private static Function converted(Traceable.F1<Tensor> code) { return Autograph.function(code); }

    private static void sameOnBothBackends(Traceable.F1<Tensor> code, int... inputs) {
        for (int x : inputs) JitCompiledFunctionTest.assertSameOnBothBackends(converted(code), Tf.constant(x));
    }

    @Test
    void breakContinueAndReturnRunNatively() {
        sameOnBothBackends(n -> {
            Tensor i = Tf.constant(0);
            Tensor s = Tf.constant(0);
            while (i.less(n).booleanValue()) {
                i = i.add(1);
                if (Tf.equal(Tf.floormod(i, Tf.constant(3)), Tf.constant(0)).booleanValue()) continue;
                if (s.greater(500).booleanValue()) break;
                s = s.add(i);
            }
            return s;
        }, 0, 7, 100);
        sameOnBothBackends(n -> {
            Tensor i = Tf.constant(0);
            while (i.less(50).booleanValue()) {
                if (i.mul(i).greater(n).booleanValue()) return i;
                i = i.add(1);
            }
            return Tf.constant(-1);
        }, 0, 99, 3000);
    }

    @Test
    void nestedLoopsAndAForOverTfRangeRunNatively() {
        sameOnBothBackends(n -> {
            Tensor total = Tf.constant(0);
            for (Tensor i : Tf.range(n)) {
                Tensor j = Tf.constant(0);
                while (j.less(i).booleanValue()) {
                    if (j.mul(j).greaterEqual(i).booleanValue()) break;
                    total = total.add(j);
                    j = j.add(1);
                }
            }
            return total;
        }, 0, 1, 30);
    }

    @Test
    void aMillionIterationsRunTheJavaBodyOnceAndCallNoJava() {
        AtomicInteger javaRuns = new AtomicInteger();
        Function f = Autograph.function((Tensor n) -> {
            Tensor i = Tf.constant(0);
            Tensor x = Tf.constant(0.5f);
            while (i.less(n).booleanValue()) {
                javaRuns.incrementAndGet();
                x = x.mul(3.9f).mul(Tf.constant(1f).sub(x));
                i = i.add(1);
            }
            return x;
        }).withJitCompile(true);
        float logistic = f.call(Tf.constant(1_000_000)).floatValue();
        assertEquals("llvm-cpu", f.concreteFunctions().get(0).backendName());
        assertEquals(1, javaRuns.get(), "the Java body ran once, to stage it; the million iterations ran in native code");
        JavaCallOps.requireNoJavaCallbacks(f.concreteFunctions().get(0).graph(), "this test");
        float x = 0.5f;
        for (int k = 0; k < 1_000_000; k++) x = x * 3.9f * (1f - x);
        assertEquals(x, logistic, 0f, "the same float32 arithmetic as Java's, step by step");
        assertEquals(DType.FLOAT32, f.call(Tf.constant(3)).dtype());
    }

    @Test
    void functionOfConvertsItsLambdaAndTheStagedLoopRunsNatively() {
        // Function.of applies AutoGraph as Autograph.function does, since the autograph module is on the class path.
        Traceable.F2<Tensor, Tensor> walk = (x, target) -> {
            Tensor y = x;
            Tensor steps = Tf.constant(0f);
            while (Tf.abs(y.sub(target)).greater(0.5f).booleanValue()) {
                if (y.less(target).booleanValue()) y = y.add(Tf.abs(target.sub(y)).mul(0.25f).add(0.5f));
                else y = y.sub(1f);
                steps = steps.add(1f);
            }
            return steps.mul(100f).add(y);
        };
        Function f = Function.of(walk);
        Function jit = f.withJitCompile(true);
        java.util.Random rnd = new java.util.Random(5);
        for (int trial = 0; trial < 20; trial++) {
            Tensor x = Tf.constant((float) Math.floor(rnd.nextFloat() * 80 - 40));
            Tensor target = Tf.constant((float) Math.floor(rnd.nextFloat() * 80 - 40));
            JitCompiledFunctionTest.assertSameOnBothBackends(f, x, target);
            assertEquals(((Tensor) walk.apply(x, target)).floatValue(), jit.call(x, target).floatValue(), 0f,
                    "the Java run on eager tensors is the oracle");
        }
        assertEquals(1, jit.traceCount());
        assertEquals("llvm-cpu", jit.concreteFunctions().get(0).backendName());
        JavaCallOps.requireNoJavaCallbacks(jit.concreteFunctions().get(0).graph(), "this test");
        assertEquals(1, jit.concreteFunctions().get(0).tracedGraph().body().nodes().stream().filter(n -> n.op().name().equals("while")).count());
    }
}
