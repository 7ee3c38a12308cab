package dev.tfjit.autograph;

import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Traceable;
import org.junit.jupiter.api.Test;

import static dev.tfjit.autograph.Graphs.count;
import static dev.tfjit.autograph.Graphs.countAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * break, continue and return under tensor conditions, as AutoGraph converts them: each becomes an
 * exit flag of the staged loop or a cond over the rest of the code, and the converted function
 * gives what the plain Java gives on the same (eager) inputs, with one trace for all inputs.
 */
class BreakContinueReturnTest {

    /** Runs the plain Java on eager tensors and the traced function on the same inputs; they must agree. */
    private static void agrees(Traceable.F1<Tensor> code, Function f, int... inputs) {
        for (int x : inputs) {
            Tensor expected = (Tensor) code.apply(Tf.constant(x));
            Tensor actual = f.call(Tf.constant(x));
            assertEquals(expected.dtype(), actual.dtype(), "dtype for x = " + x);
            assertEquals(expected.item(), actual.item(), 1e-5, "x = " + x);
        }
        assertEquals(1, f.traceCount(), "one trace serves every input");
    }

    @Test
    void breakInTheMiddleOfAWhileBody() {
        Traceable.F1<Tensor> code = n -> {
            Tensor i = Tf.constant(0);
            Tensor s = Tf.constant(0);
            while (i.less(n).booleanValue()) {
                i = i.add(1);
                if (s.add(i).greater(20).booleanValue()) break;
                s = s.add(i);
            }
            return s.mul(100).add(i);
        };
        Function f = Autograph.function(code);
        agrees(code, f, 0, 3, 6, 7, 100);
        assertEquals(1, count(f, "while"));
    }

    @Test
    void continueUnderATensorConditionInAWhileLoop() {
        Traceable.F1<Tensor> code = n -> {
            Tensor i = Tf.constant(0);
            Tensor s = Tf.constant(0);
            while (i.less(n).booleanValue()) {
                i = i.add(1);
                if (Tf.equal(Tf.floormod(i, Tf.constant(3)), Tf.constant(0)).booleanValue()) continue;
                s = s.add(i);
            }
            return s;
        };
        Function f = Autograph.function(code);
        agrees(code, f, 0, 1, 5, 9, 10);
        assertEquals(1, count(f, "while"));
    }

    @Test
    void continueInAForLoopWithATensorCounter() {
        Traceable.F1<Tensor> code = n -> {
            Tensor s = Tf.constant(0);
            for (Tensor i = Tf.constant(0); i.less(n).booleanValue(); i = i.add(1)) {
                if (Tf.equal(Tf.floormod(i, Tf.constant(2)), Tf.constant(0)).booleanValue()) continue;
                s = s.add(i);
            }
            return s;
        };
        Function f = Autograph.function(code);
        agrees(code, f, 0, 1, 2, 10, 11);
    }

    @Test
    void breakAndContinueInOneLoop() {
        Traceable.F1<Tensor> code = n -> {
            Tensor s = Tf.constant(0);
            Tensor i = Tf.constant(0);
            while (i.less(100).booleanValue()) {
                i = i.add(1);
                if (Tf.equal(Tf.floormod(i, Tf.constant(2)), Tf.constant(1)).booleanValue()) continue;
                if (i.greater(n).booleanValue()) break;
                s = s.add(i);
            }
            return s.mul(1000).add(i);
        };
        agrees(code, Autograph.function(code), 0, 1, 4, 9, 200);
    }

    @Test
    void returnFromInsideAStagedLoop() {
        // The first i whose square exceeds n, or -1 if none below 50.
        Traceable.F1<Tensor> code = n -> {
            Tensor i = Tf.constant(0);
            while (i.less(50).booleanValue()) {
                if (i.mul(i).greater(n).booleanValue()) return i;
                i = i.add(1);
            }
            return Tf.constant(-1);
        };
        Function f = Autograph.function(code);
        agrees(code, f, 0, 1, 15, 16, 2400, 2500);
        assertEquals(1, count(f, "while"));
        assertEquals(1, count(f, "cond"), "after the loop, a cond picks the return inside or the one after");
    }

    @Test
    void whileTrueLeftByATensorBreak() {
        // Collatz steps written as "loop until converged".
        Traceable.F1<Tensor> code = n0 -> {
            Tensor n = n0;
            Tensor steps = Tf.constant(0);
            while (true) {
                if (n.lessEqual(1).booleanValue()) break;
                if (Tf.equal(Tf.floormod(n, Tf.constant(2)), Tf.constant(0)).booleanValue()) {
                    n = Tf.floordiv(n, Tf.constant(2));
                } else {
                    n = n.mul(3).add(1);
                }
                steps = steps.add(1);
            }
            return steps;
        };
        Function f = Autograph.function(code);
        agrees(code, f, 1, 2, 3, 6, 7, 27, 97);
        assertEquals(1, count(f, "while"));
    }

    @Test
    void whileTrueLeftByABreakAtTheEnd() {
        Traceable.F1<Tensor> code = x0 -> {
            Tensor x = x0;
            Tensor k = Tf.constant(0);
            while (true) {
                x = x.mul(2);
                k = k.add(1);
                if (x.greater(1000).booleanValue()) break;
            }
            return k;
        };
        agrees(code, Autograph.function(code), 1, 5, 999, 5000);
    }

    @Test
    void doWhileOnATensor() {
        Traceable.F1<Tensor> code = x0 -> {
            Tensor x = x0;
            Tensor k = Tf.constant(0);
            do {
                x = x.add(7);
                k = k.add(1);
            } while (x.less(50).booleanValue());
            return k.mul(1000).add(x);
        };
        Function f = Autograph.function(code);
        agrees(code, f, -20, 0, 49, 60);
        assertEquals(1, countAll(f, "while"));
    }

    @Test
    void nestedLoopsWithABreakOutOfTheInnerOne() {
        // For i < n: count the j < i with j * j < i, stopping each inner loop at the first j*j >= i.
        Traceable.F1<Tensor> code = n -> {
            Tensor total = Tf.constant(0);
            Tensor i = Tf.constant(0);
            while (i.less(n).booleanValue()) {
                Tensor j = Tf.constant(0);
                while (j.less(i).booleanValue()) {
                    if (j.mul(j).greaterEqual(i).booleanValue()) break;
                    total = total.add(1);
                    j = j.add(1);
                }
                i = i.add(1);
            }
            return total;
        };
        Function f = Autograph.function(code);
        agrees(code, f, 0, 1, 2, 5, 17, 40);
        assertEquals(1, count(f, "while"));
        assertEquals(2, countAll(f, "while"));
    }

    @Test
    void labeledBreakOutOfTwoLoops() {
        Traceable.F1<Tensor> code = n -> {
            Tensor found = Tf.constant(-1);
            Tensor i = Tf.constant(1);
            outer:
            while (i.less(20).booleanValue()) {
                Tensor j = Tf.constant(1);
                while (j.less(20).booleanValue()) {
                    if (Tf.equal(i.mul(j), n).booleanValue()) {
                        found = i.mul(100).add(j);
                        break outer;
                    }
                    j = j.add(1);
                }
                i = i.add(1);
            }
            return found;
        };
        agrees(code, Autograph.function(code), 1, 12, 17, 361, 400);
    }

    @Test
    void conditionalReturnsWithoutElse() {
        Traceable.F1<Tensor> code = x -> {
            if (x.less(0).booleanValue()) return Tf.constant(-1);
            if (Tf.equal(x, Tf.constant(0)).booleanValue()) return Tf.constant(0);
            Tensor y = x.mul(x);
            if (y.greater(100).booleanValue()) return Tf.constant(100);
            return y;
        };
        Function f = Autograph.function(code);
        agrees(code, f, -5, 0, 3, 10, 11);
        assertEquals(1, count(f, "cond"));
        assertEquals(3, countAll(f, "cond"), "each test nests in the else branch of the one before");
    }

    @Test
    void returningSeveralTensorsFromBranches() {
        Function f = Autograph.function((Tensor x) -> {
            if (x.less(0).booleanValue()) return java.util.List.of(x.neg(), Tf.constant(-1));
            Tensor y = x.mul(2);
            return java.util.List.of(y, Tf.constant(1));
        });
        assertEquals(java.util.List.of(3, -1), f.callAll(Tf.constant(-3)).stream().map(Tensor::intValue).toList());
        assertEquals(java.util.List.of(8, 1), f.callAll(Tf.constant(4)).stream().map(Tensor::intValue).toList());
        assertEquals(1, f.traceCount());
    }

    @Test
    void aConditionalReturnInAVoidMethodThatAssignsAVariable() {
        dev.tfjit.autograph.fixtures.Regressor model = new dev.tfjit.autograph.fixtures.Regressor(1f, 0f);
        Function setBias = TfFunctions.compile(model).function("setBias");
        setBias.callAll(Tf.constant(5f));
        assertEquals(5f, model.b.read().floatValue());
        setBias.callAll(Tf.constant(-2f));
        assertEquals(5f, model.b.read().floatValue(), "a negative x returns before the assignment");
        setBias.callAll(Tf.constant(7f));
        assertEquals(7f, model.b.read().floatValue());
        assertEquals(1, setBias.traceCount());
    }

    @Test
    void orOfTensorTests() {
        Traceable.F1<Tensor> code = x -> {
            Tensor y = x;
            if (x.less(0).booleanValue() || x.greater(10).booleanValue()) y = Tf.zerosLike(x);
            return y;
        };
        agrees(code, Autograph.function(code), -5, 0, 5, 10, 11);
    }

    @Test
    void whileConditionWithAnd() {
        Traceable.F1<Tensor> code = n -> {
            Tensor i = Tf.constant(0);
            Tensor s = Tf.constant(0);
            while (i.less(n).booleanValue() && s.less(30).booleanValue()) {
                s = s.add(i);
                i = i.add(1);
            }
            return s.mul(100).add(i);
        };
        agrees(code, Autograph.function(code), 0, 3, 8, 9, 50);
    }

    @Test
    void aJavaLoopWithATensorBreakUnrollsIntoNestedConds() {
        Traceable.F1<Tensor> code = x0 -> {
            Tensor x = x0;
            for (int i = 0; i < 4; i++) {
                if (x.greater(100).booleanValue()) break;
                x = x.mul(3);
            }
            return x;
        };
        Function f = Autograph.function(code);
        agrees(code, f, 1, 5, 20, 50, 200);
        assertEquals(0, countAll(f, "while"), "a loop over Java ints stays Java");
        assertEquals(4, countAll(f, "cond"), "one cond per unrolled iteration");
    }
}
