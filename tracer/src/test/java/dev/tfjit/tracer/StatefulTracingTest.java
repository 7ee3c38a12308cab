package dev.tfjit.tracer;

import dev.tfjit.ir.Node;
import dev.tfjit.ir.TfException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Variables, staged printing and functional control flow inside traced functions. */
class StatefulTracingTest {

    static Tensor scalar(float v) { return Tf.constant(v); }

    static long count(ConcreteFunction cf, String op) {
        return cf.graph().body().nodes().stream().map(Node::op).filter(o -> o.name().equals(op)).count();
    }

    @Test
    void variablesAreCapturedByReference() {
        Variable v = Variable.of(1f);
        Function f = Function.of((Tensor x) -> x.add(v.read()));
        assertEquals(3f, f.call(scalar(2)).floatValue());
        v.assign(scalar(10));
        assertEquals(12f, f.call(scalar(2)).floatValue(), "reads see the value at call time");
        assertEquals(1, f.traceCount());
        assertEquals(List.of(v), f.concreteFunctions().get(0).capturedVariables());
    }

    @Test
    void assignmentsAreStagedAndRunOnEveryCall() {
        Variable counter = Variable.of(0f);
        Function step = Function.of(() -> {
            counter.assignAdd(scalar(1));
            return counter.read().mul(10f);
        });
        assertEquals(10f, step.call().floatValue(), "a read after an assign sees the new value");
        assertEquals(20f, step.call().floatValue());
        assertEquals(30f, step.call().floatValue());
        assertEquals(3f, counter.read().floatValue());
    }

    @Test
    void variablesMayBeCreatedOnlyOnTheFirstTrace() {
        Variable[] holder = new Variable[1];
        Function once = Function.of((Tensor x) -> {
            if (holder[0] == null) holder[0] = new Variable(Tf.constant(new float[] {5, 5}));
            return x.add(holder[0].read());
        });
        assertArrayEquals(new float[] {6, 7}, once.call(Tf.constant(new float[] {1, 2})).toFloatArray());
        assertArrayEquals(new float[] {6}, new float[] {once.call(Tf.constant(new float[] {1, 2})).toFloatArray()[0]});

        Function every = Function.of((Tensor x) -> x.add(new Variable(Tf.constant(1f)).read()));
        assertEquals(2f, every.call(scalar(1)).floatValue());
        TfException e = assertThrows(TfException.class, () -> every.call(Tf.constant(new float[] {1, 2})));
        assertTrue(e.getMessage().contains("only on its first trace"), e.getMessage());
    }

    @Test
    void aVariablesInitialValueMustNotDependOnArguments() {
        Function f = Function.of((Tensor x) -> new Variable(x.add(1f)).read());
        TfException e = assertThrows(TfException.class, () -> f.call(scalar(1)));
        assertTrue(e.getMessage().contains("depends on the function's arguments"), e.getMessage());
    }

    @Test
    void aVariableInitializedFromTracedConstantsIsComputedAtTraceTime() {
        Variable[] holder = new Variable[1];
        Function f = Function.of((Tensor x) -> {
            if (holder[0] == null) holder[0] = new Variable(Tf.constant(2f).mul(3f));
            return x.mul(holder[0].read());
        });
        assertEquals(12f, f.call(scalar(2)).floatValue());
        assertEquals(6f, holder[0].read().floatValue());
    }

    @Test
    void printIsStagedButJavaPrintRunsOnlyWhileTracing() {
        AtomicInteger javaPrints = new AtomicInteger();
        Function f = Function.of((Tensor x) -> {
            javaPrints.incrementAndGet();
            Tf.print("x =", x);
            return x;
        });
        String err = captureStderr(() -> {
            f.call(scalar(1));
            f.call(scalar(2));
            f.call(scalar(3));
        });
        assertEquals(1, javaPrints.get());
        assertEquals(3, err.lines().filter(l -> l.startsWith("x =")).count(), err);
        assertEquals(1, count(f.concreteFunctions().get(0), "print"));
    }

    @Test
    void whileLoopStagesOneNodeForAnyTripCount() {
        Function sumTo = Function.of((Tensor n) -> Tf.whileLoop(
                vars -> Tf.less(vars.get(0), n),
                vars -> List.of(vars.get(0).add(1f), vars.get(1).add(vars.get(0))),
                List.of(scalar(0), scalar(0))).get(1));
        assertEquals(10f, sumTo.call(scalar(5)).floatValue());
        assertEquals(45f, sumTo.call(scalar(10)).floatValue());
        assertEquals(0f, sumTo.call(scalar(0)).floatValue(), "zero trips");
        assertEquals(1, sumTo.traceCount());
        assertEquals(1, count(sumTo.concreteFunctions().get(0), "while"));
    }

    @Test
    void whileLoopRunsEagerlyOutsideFunctions() {
        Tensor r = Tf.whileLoop(x -> Tf.less(x, scalar(100)), x -> x.mul(2f), scalar(1));
        assertEquals(128f, r.floatValue());
    }

    @Test
    void whileLoopBodyMustKeepLoopVarShapes() {
        Function f = Function.of((Tensor x) -> Tf.whileLoop(v -> Tf.constant(false), v -> Tf.constant(new float[] {1, 2}), x));
        TfException e = assertThrows(TfException.class, () -> f.call(scalar(1)));
        assertTrue(e.getMessage().contains("while"), e.getMessage());
    }

    @Test
    void condTracesBothBranches() {
        AtomicInteger traced = new AtomicInteger();
        Function f = Function.of((Tensor x) -> Tf.cond(Tf.less(x, scalar(0)),
                () -> { traced.incrementAndGet(); return x.neg(); },
                () -> { traced.incrementAndGet(); return x; }));
        assertEquals(3f, f.call(scalar(-3)).floatValue());
        assertEquals(4f, f.call(scalar(4)).floatValue());
        assertEquals(2, traced.get());
        assertEquals(1, count(f.concreteFunctions().get(0), "cond"));
        assertEquals(7f, Tf.cond(Tf.constant(true), () -> scalar(7), () -> scalar(8)).floatValue(), "eager cond");
    }

    @Test
    void variablesAssignedInsideLoopsAndBranchesAreThreadedThrough() {
        Variable total = Variable.of(0f);
        Variable flips = Variable.of(0f);
        Function f = Function.of((Tensor n) -> {
            Tf.whileLoop(i -> Tf.less(i, n), i -> {
                total.assignAdd(i);
                Tf.cond(Tf.less(i, scalar(2)), () -> { flips.assignAdd(scalar(1)); return scalar(0); }, () -> scalar(0));
                return i.add(1f);
            }, scalar(0));
            return total.read();
        });
        assertEquals(10f, f.call(scalar(5)).floatValue(), "0+1+2+3+4");
        assertEquals(2f, flips.read().floatValue());
        assertEquals(20f, f.call(scalar(5)).floatValue());
        assertEquals(4f, flips.read().floatValue());
    }

    @Test
    void condBranchesMustAgree() {
        Function f = Function.of((Tensor x) -> Tf.cond(Tf.less(x, scalar(0)), () -> x, () -> Tf.constant(1.0)));
        TfException e = assertThrows(TfException.class, () -> f.call(scalar(1)));
        assertTrue(e.getMessage().contains("float32") && e.getMessage().contains("float64"), e.getMessage());
    }

    @Test
    void concurrentCallsWithMixedSignaturesTraceEachOnce() throws Exception {
        AtomicInteger traces = new AtomicInteger();
        Function f = Function.of((Tensor x) -> {
            traces.incrementAndGet();
            return x.mul(x);
        });
        int threads = 8;
        Thread[] ts = new Thread[threads];
        Throwable[] failure = new Throwable[1];
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                try {
                    for (int i = 0; i < 200; i++) {
                        int n = 1 + (id + i) % 4;
                        float[] v = new float[n];
                        java.util.Arrays.fill(v, id);
                        float[] r = f.call(Tf.constant(v, n)).toFloatArray();
                        for (float x : r) if (x != id * id) throw new AssertionError("thread " + id + " got " + x);
                    }
                } catch (Throwable e) {
                    synchronized (failure) { failure[0] = e; }
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) t.join();
        if (failure[0] != null) throw new AssertionError(failure[0]);
        assertEquals(4, traces.get());
        assertEquals(4, f.traceCount());
    }

    static String captureStderr(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
