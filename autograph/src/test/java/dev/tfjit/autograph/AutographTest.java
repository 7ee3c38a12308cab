package dev.tfjit.autograph;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.tracer.ConcreteFunction;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorSpec;
import dev.tfjit.tracer.Tf;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tensor-dependent if and while in a lambda become cond and while nodes when traced, plain Java when eager. */
class AutographTest {

    static long count(Function f, String op) {
        ConcreteFunction cf = f.concreteFunctions().get(f.concreteFunctions().size() - 1);
        return cf.tracedGraph().body().nodes().stream().map(Node::op).filter(o -> o.name().equals(op)).count();
    }

    @Test
    void sumSquaresFromTheSeedIsOneWhileLoopForAnyN() {
        // for i in tf.range(n): s = s + i ** 2, written as a while on a tensor condition.
        Function sumSquares = Autograph.function((Tensor n) -> {
            Tensor s = Tf.constant(0);
            Tensor i = Tf.constant(0);
            while (i.less(n).booleanValue()) {
                s = s.add(i.mul(i));
                i = i.add(1);
            }
            return s;
        });
        assertEquals(285, sumSquares.call(Tf.constant(10)).intValue());
        assertEquals(0, sumSquares.call(Tf.constant(0)).intValue());
        assertEquals(1, sumSquares.call(Tf.constant(2)).intValue());
        assertEquals(1, sumSquares.traceCount(), "one trace serves every trip count");
        assertEquals(1, count(sumSquares, "while"));
    }

    @Test
    void ifElseOnASymbolicPredicateIsOneCondNode() {
        Function absDiff = Autograph.function((Tensor x, Tensor y) -> {
            Tensor d;
            if (x.greater(y).booleanValue()) {
                d = x.sub(y);
            } else {
                d = y.sub(x);
            }
            return d.mul(10f);
        });
        assertEquals(20f, absDiff.call(Tf.constant(5f), Tf.constant(3f)).floatValue());
        assertEquals(40f, absDiff.call(Tf.constant(1f), Tf.constant(5f)).floatValue());
        assertEquals(1, absDiff.traceCount());
        assertEquals(1, count(absDiff, "cond"));
    }

    @Test
    void ifWithoutElseKeepsTheLocalWhenThePredicateIsFalse() {
        Function relu = Autograph.function((Tensor x) -> {
            Tensor y = x;
            if (x.less(0f).booleanValue()) y = Tf.zerosLike(x);
            return y;
        });
        assertEquals(0f, relu.call(Tf.constant(-2f)).floatValue());
        assertEquals(3f, relu.call(Tf.constant(3f)).floatValue());
        assertEquals(1, count(relu, "cond"));
    }

    @Test
    void negatedConditionsSwapTheBranches() {
        Function f = Autograph.function((Tensor x) -> {
            Tensor y = x;
            if (!x.less(0f).booleanValue()) y = x.mul(2f);
            Tensor k = Tf.abs(x).add(1f);
            while (!k.greater(100f).booleanValue()) k = k.mul(3f);
            return y.add(k);
        });
        // x = 2: y = 4; k: 3, 9, 27, 81, 243 -> 247.
        assertEquals(247f, f.call(Tf.constant(2f)).floatValue());
        // x = -1: y = -1; k: 2, 6, 18, 54, 162 -> 161.
        assertEquals(161f, f.call(Tf.constant(-1f)).floatValue());
        assertEquals(1, f.traceCount());
        assertEquals(1, count(f, "cond"));
        assertEquals(1, count(f, "while"));
    }

    @Test
    void aTracedLoopRunsItsJavaBodyOnceWhateverTheTripCount() {
        AtomicInteger javaRuns = new AtomicInteger();
        Function f = Autograph.function((Tensor x) -> {
            Tensor y = x;
            while (y.less(100f).booleanValue()) {
                javaRuns.incrementAndGet();
                y = y.mul(2f);
            }
            return y;
        });
        assertEquals(192f, f.call(Tf.constant(3f)).floatValue());
        assertEquals(100f, f.call(Tf.constant(100f)).floatValue());
        assertEquals(1, javaRuns.get(), "the body ran once, to stage it; the graph runs the iterations");
    }

    @Test
    void convertedCodeOnEagerTensorsHasJavaSemantics() {
        AtomicInteger iterations = new AtomicInteger();
        Converted c = Converted.of((dev.tfjit.tracer.Traceable.F1<Tensor>) x -> {
            Tensor y = x;
            while (y.less(100f).booleanValue()) {
                iterations.incrementAndGet();
                y = y.mul(2f);
            }
            if (y.greater(150f).booleanValue()) {
                y = y.neg();
            }
            return y;
        });
        assertEquals(-192f, ((Tensor) c.invoke(Tf.constant(3f))).floatValue());
        assertEquals(6, iterations.get(), "eager: a Java loop, one run per iteration");
        assertEquals(128f, ((Tensor) c.invoke(Tf.constant(1f))).floatValue());
    }

    @Test
    void javaLoopsOnJavaValuesStillUnroll() {
        Function f = Autograph.function((Tensor x) -> {
            Tensor y = x;
            for (int i = 0; i < 4; i++) y = y.add(1f);
            return y;
        });
        assertEquals(5f, f.call(Tf.constant(1f)).floatValue());
        assertEquals(0, count(f, "while"));
        assertEquals(4, count(f, "add"));
    }

    @Test
    void nestedIfInsideAWhileLoop() {
        // Collatz steps: while n != 1: n = n / 2 if even else 3n + 1.
        Function collatz = Autograph.function((Tensor n0) -> {
            Tensor n = n0;
            Tensor steps = Tf.constant(0);
            while (Tf.greater(n, Tf.constant(1)).booleanValue()) {
                if (Tf.equal(Tf.floormod(n, Tf.constant(2)), Tf.constant(0)).booleanValue()) {
                    n = Tf.floordiv(n, Tf.constant(2));
                } else {
                    n = n.mul(3).add(1);
                }
                steps = steps.add(1);
            }
            return steps;
        });
        assertEquals(111, collatz.call(Tf.constant(27)).intValue());
        assertEquals(0, collatz.call(Tf.constant(1)).intValue());
        assertEquals(7, collatz.call(Tf.constant(3)).intValue());
        assertEquals(1, collatz.traceCount());
    }

    @Test
    void capturedValuesAndUnknownShapes() {
        float scale = 0.5f;
        Tensor limit = Tf.constant(10f);
        Function f = Autograph.function((Tensor x) -> {
            Tensor y = x;
            while (Tf.reduceSum(y).less(limit).booleanValue()) y = y.add(scale);
            return y;
        }).withInputSignature(TensorSpec.of(DType.FLOAT32, "?"));
        // [1, 2] sums to 3; each step adds 1 in total: 7 steps -> [4.5, 5.5].
        assertEquals(10f, Tf.reduceSum(f.call(Tf.constant(new float[] {1, 2}, 2))).floatValue());
        assertEquals(1, f.traceCount());
    }

    @Test
    void aPrimitiveChangedInAStagedLoopIsAnErrorNamingIt() {
        Function f = Autograph.function((Tensor x) -> {
            Tensor y = x;
            int count = 0;
            while (y.less(10f).booleanValue()) {
                y = y.add(1f);
                count++;
            }
            return y.add((float) count);
        });
        RuntimeException e = assertThrows(RuntimeException.class, () -> f.call(Tf.constant(1f)));
        assertTrue(e.getMessage().startsWith("autograph: count is a Java int that changes inside the while loop at AutographTest.java:"),
                e.getMessage());
    }

    @Test
    void aBreakBeforeTheEndOfAStagedLoopSkipsTheRestOfTheBody() {
        Function f = Autograph.function((Tensor x) -> {
            Tensor y = x;
            while (y.less(10f).booleanValue()) {
                if (y.equal(Tf.constant(5f)).booleanValue()) break;
                y = y.add(1f);
            }
            return y;
        });
        assertEquals(5f, f.call(Tf.constant(1f)).floatValue());
        assertEquals(10f, f.call(Tf.constant(6f)).floatValue());
        assertEquals(1, f.traceCount());
    }

    @Test
    void aReturnInsideAStagedLoopLeavesTheMethod() {
        Function f = Autograph.function((Tensor x) -> {
            Tensor y = x;
            while (y.less(10f).booleanValue()) {
                if (y.equal(Tf.constant(5f)).booleanValue()) return y;
                y = y.add(1f);
            }
            return y.neg();
        });
        assertEquals(5f, f.call(Tf.constant(1f)).floatValue(), "returned from inside the loop");
        assertEquals(-10f, f.call(Tf.constant(6f)).floatValue(), "returned after the loop");
        assertEquals(1, f.traceCount());
    }

    @Test
    void aTestInsideAnExpressionIsAnErrorWhenSymbolic() {
        Function f = Autograph.function((Tensor x) -> x.less(0f).booleanValue() ? x.neg() : x);
        UnimplementedError e = assertThrows(UnimplementedError.class, () -> f.call(Tf.constant(1f)));
        assertTrue(e.getMessage().contains("ternary"), e.getMessage());
    }

    @Test
    void branchesThatDisagreeOnADtypeAreAnErrorNamingTheLocal() {
        Function f = Autograph.function((Tensor x) -> {
            Tensor y = x;
            if (x.less(0f).booleanValue()) y = Tf.cast(x, DType.INT32);
            return y;
        });
        Exception e = assertThrows(RuntimeException.class, () -> f.call(Tf.constant(1f)));
        assertTrue(e.getMessage().contains("y"), e.getMessage());
    }

    @Test
    void explainListsWhatWasConvertedWithLines() {
        String text = Autograph.explain((dev.tfjit.tracer.Traceable.F1<Tensor>) x -> {
            Tensor y = x;
            while (y.less(10f).booleanValue()) y = y.add(1f);
            return y;
        });
        assertTrue(text.contains("loop on a tensor -> while loop, carrying y"), text);
        assertTrue(text.matches("(?s).*line \\d+: loop on a tensor.*"), text);
    }

    @Test
    void aLambdaThatIsNotSerializableIsRejected() {
        java.util.function.Supplier<Tensor> plain = () -> Tf.constant(1f);
        assertThrows(UnimplementedError.class, () -> Autograph.explain(plain));
    }

    private static float lastSeen;

    @Test
    void aHeapWriteInsideAStagedLoopIsAnErrorWithItsLine() {
        Function f = Autograph.function((Tensor x) -> {
            Tensor y = x;
            while (y.less(10f).booleanValue()) {
                y = y.add(1f);
                lastSeen = 1f;
            }
            return y;
        });
        UnimplementedError e = assertThrows(UnimplementedError.class, () -> f.call(Tf.constant(1f)));
        assertTrue(e.getMessage().contains("its body writes the field lastSeen (line "), e.getMessage());
    }

    @Test
    void aForLoopWithATensorCounterAndContinueIsOneWhileLoop() {
        // Sum of the odd numbers below n: for (i = 0; i < n; i++) { if (i % 2 == 0) continue; s += i; }
        // written with the continue folded into an if, since an if containing continue is not staged yet.
        Function f = Autograph.function((Tensor n) -> {
            Tensor s = Tf.constant(0);
            for (Tensor i = Tf.constant(0); i.less(n).booleanValue(); i = i.add(1)) {
                if (Tf.equal(Tf.floormod(i, Tf.constant(2)), Tf.constant(1)).booleanValue()) s = s.add(i);
            }
            return s;
        });
        assertEquals(1 + 3 + 5 + 7 + 9, f.call(Tf.constant(10)).intValue());
        assertEquals(0, f.call(Tf.constant(0)).intValue());
        assertEquals(1, count(f, "while"));
        assertEquals(1, f.traceCount());
    }

    @Test
    void continueInAStagedLoopBodyEndsTheIteration() {
        // A continue directly in the loop body (not under a tensor if) jumps to the loop's next test.
        Function f = Autograph.function((Tensor n, Boolean skipRest) -> {
            Tensor s = Tf.constant(0);
            Tensor i = Tf.constant(0);
            while (i.less(n).booleanValue()) {
                i = i.add(1);
                if (skipRest) continue;
                s = s.add(i);
            }
            return s;
        });
        assertEquals(0, f.call(Tf.constant(4), true).intValue());
        assertEquals(10, f.call(Tf.constant(4), false).intValue());
    }

    @Test
    void variablesAssignedInAStagedLoopAreThreadedThroughIt() {
        dev.tfjit.tracer.Variable total = new dev.tfjit.tracer.Variable(Tf.constant(0f));
        Function f = Autograph.function((Tensor x) -> {
            Tensor i = Tf.constant(0f);
            while (i.less(x).booleanValue()) {
                total.assignAdd(i);
                i = i.add(1f);
            }
            return i;
        });
        assertEquals(4f, f.call(Tf.constant(4f)).floatValue());
        assertEquals(6f, total.read().floatValue(), "0 + 1 + 2 + 3, applied when the graph runs");
        f.call(Tf.constant(3f));
        assertEquals(9f, total.read().floatValue());
        assertEquals(1, f.traceCount());
    }

    @Test
    void aFinalBreakOnATensorConditionStopsTheStagedLoop() {
        // Early stopping: halve the loss each step, stop once it is below the threshold or after 100 steps.
        Function train = Autograph.function((Tensor loss0, Tensor threshold) -> {
            Tensor loss = loss0;
            Tensor step = Tf.constant(0);
            while (step.less(100).booleanValue()) {
                loss = loss.mul(0.5f);
                step = step.add(1);
                if (loss.less(threshold).booleanValue()) break;
            }
            return Tf.cast(step, DType.FLOAT32).mul(1000f).add(loss);
        });
        // 8 -> 4 -> 2 -> 1 -> 0.5 < 0.6 after 4 steps.
        assertEquals(4000.5f, train.call(Tf.constant(8f), Tf.constant(0.6f)).floatValue());
        // Never below 0: all 100 steps run.
        assertEquals(100000f, train.call(Tf.constant(8f), Tf.constant(0f)).floatValue(), 1e-3f);
        assertEquals(1, train.traceCount());
        assertEquals(1, count(train, "while"));
    }

    @Test
    void aFinalBreakWhenATensorIsFalseAndAContinueBeforeIt() {
        Function f = Autograph.function((Tensor n, Boolean skipOdd) -> {
            Tensor i = Tf.constant(0);
            Tensor s = Tf.constant(0);
            while (i.less(n).booleanValue()) {
                i = i.add(1);
                if (skipOdd && Tf.equal(Tf.floormod(i, Tf.constant(2)), Tf.constant(1)).booleanValue()) continue;
                s = s.add(i);
                if (!s.less(10).booleanValue()) break;
            }
            return s;
        });
        // 1 + 2 + 3 + 4 = 10 stops the loop.
        assertEquals(10, f.call(Tf.constant(100), false).intValue());
        // With skipOdd the continue sits under a tensor test: 2 + 4 + 6 = 12 stops the loop.
        assertEquals(12, f.call(Tf.constant(100), true).intValue());
        assertEquals(6, f.call(Tf.constant(3), false).intValue());
    }
}
