package dev.tfjit.autograph;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Node;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorSpec;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Traceable;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.tfjit.autograph.Graphs.count;
import static dev.tfjit.autograph.Graphs.countAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The AutoGraph examples of seed 003 (chapter 12, "AutoGraph and tracing"), in Java: a for loop
 * over {@code tf.range} becomes one while node, the same loop over a Java range runs while
 * tracing and unrolls; loops with break and continue; conditional returns.
 */
class SeedAutographTest {

    /** Figure 12-4: {@code for i in tf.range(n): s = s + i ** 2}. */
    @Test
    void sumSquaresOverTfRangeIsOneWhileNodeForEveryN() {
        Function sumSquares = Autograph.function((Tensor n) -> {
            Tensor s = Tf.constant(0);
            for (Tensor i : Tf.range(n)) s = s.add(i.mul(i));
            return s;
        });
        assertEquals(285, sumSquares.call(Tf.constant(10)).intValue());
        assertEquals(0, sumSquares.call(Tf.constant(0)).intValue());
        assertEquals(328350, sumSquares.call(Tf.constant(100)).intValue());
        assertEquals(1, sumSquares.traceCount());
        assertEquals(1, count(sumSquares, "while"));
        // The loop counts; it never materializes the range or gathers from it.
        for (Node node : Graphs.last(sumSquares).graph().body().nodes()) {
            assertFalse(node.op().name().equals("range") || node.op().name().equals("gather"), node.toString());
        }
    }

    /** {@code add_10}: {@code for i in tf.range(10): x += 1} stages a loop, {@code for i in range(10)} ten adds. */
    @Test
    void add10WithTfRangeIsAWhileAndWithAJavaRangeTenAdds() {
        Function staged = Autograph.function((Tensor x) -> {
            for (Tensor i : Tf.range(10)) x = x.add(1);
            return x;
        });
        Function unrolled = Autograph.function((Tensor x) -> {
            for (int i = 0; i < 10; i++) x = x.add(1);
            return x;
        });
        assertEquals(15, staged.call(Tf.constant(5)).intValue());
        assertEquals(15, unrolled.call(Tf.constant(5)).intValue());
        assertEquals(1, count(staged, "while"));
        assertEquals(0, count(staged, "add"), "the add is traced once, inside the loop body");
        assertEquals(0, countAll(unrolled, "while"));
        assertEquals(10, count(unrolled, "add"));
    }

    @Test
    void forOverTheRowsOfATensorWithUnknownLength() {
        Traceable.F1<Tensor> code = x -> {
            Tensor total = Tf.zeros(3);
            Tensor best = Tf.constant(Float.NEGATIVE_INFINITY);
            for (Tensor row : x) {
                total = total.add(row);
                best = Tf.maximum(best, Tf.reduceMax(row));
            }
            return Tf.concat(java.util.List.of(total, Tf.reshape(best, 1)), 0);
        };
        Function f = Autograph.function(code).withInputSignature(TensorSpec.of(DType.FLOAT32, "?", 3));
        Random rnd = new Random(3);
        for (int rows : new int[] {1, 2, 5, 9}) {
            float[] data = new float[rows * 3];
            for (int i = 0; i < data.length; i++) data[i] = rnd.nextFloat() * 10 - 5;
            Tensor x = Tf.constant(data, rows, 3);
            assertArrayEquals(((Tensor) code.apply(x)).toFloatArray(), f.call(x).toFloatArray(), 1e-5f, rows + " rows");
        }
        assertEquals(1, f.traceCount());
        assertEquals(1, count(f, "while"));
    }

    @Test
    void forOverAnEagerTensorRunsAsJavaAndUnrolls() {
        Tensor weights = Tf.constant(new float[] {1, 2, 3}, 3);
        Function f = Autograph.function((Tensor x) -> {
            Tensor y = x;
            for (Tensor w : weights) y = y.mul(w);
            return y;
        });
        assertEquals(12f, f.call(Tf.constant(2f)).floatValue());
        assertEquals(0, countAll(f, "while"), "a loop over a concrete tensor is a Java loop while tracing");
        assertEquals(3, count(f, "mul"));
    }

    @Test
    void forOverATensorWithBreakAndContinue() {
        // Sum the positive entries until the first one above 8.
        Traceable.F1<Tensor> code = x -> {
            Tensor s = Tf.constant(0f);
            for (Tensor v : x) {
                if (v.lessEqual(0f).booleanValue()) continue;
                if (v.greater(8f).booleanValue()) break;
                s = s.add(v);
            }
            return s;
        };
        Function f = Autograph.function(code).withInputSignature(TensorSpec.of(DType.FLOAT32, "?"));
        float[][] cases = {{1, -2, 3, 9, 4}, {-1, -1}, {5, 5, 5}, {9, 1}, {2}};
        for (float[] c : cases) {
            Tensor x = Tf.constant(c, c.length);
            assertEquals(((Tensor) code.apply(x)).floatValue(), f.call(x).floatValue(), 0f);
        }
        assertEquals(1, f.traceCount());
    }

    @Test
    void conditionalReturnsStageAsConds() {
        // sign(x) * 10 with early returns.
        Function f = Autograph.function((Tensor x) -> {
            if (x.less(0f).booleanValue()) return Tf.constant(-10f);
            Tensor y = x.mul(0f);
            if (!x.greater(0f).booleanValue()) return y;
            return y.add(10f);
        });
        assertEquals(-10f, f.call(Tf.constant(-3f)).floatValue());
        assertEquals(0f, f.call(Tf.constant(0f)).floatValue());
        assertEquals(10f, f.call(Tf.constant(7f)).floatValue());
        assertEquals(1, f.traceCount());
        assertEquals(1, count(f, "cond"), "the second test is a cond nested in the else branch of the first");
    }

    @Test
    void iteratingASymbolicTensorWithoutAutographIsAClearError() {
        Function plain = Function.of((Tensor x) -> {
            Tensor s = Tf.constant(0f);
            for (Tensor v : x) s = s.add(v);
            return s;
        }).withAutograph(false);
        Exception e = assertThrows(RuntimeException.class, () -> plain.call(Tf.constant(new float[] {1, 2}, 2)));
        assertEquals("iterating over a symbolic tensor is only possible in code converted by AutoGraph (Function.of with the"
                + " autograph module on the class path, Autograph.function or @TfFunction), where the loop becomes a staged while loop; here use Tf.whileLoop or Tf.forRange (at"
                + " SeedAutographTest.java:" + (lineOf("for (Tensor v : x) s = s.add(v);")) + ")", e.getMessage());
        assertEquals("Cannot iterate over a scalar tensor.",
                assertThrows(RuntimeException.class, () -> Tf.constant(1f).iterator()).getMessage());
    }

    /** The line of this file holding {@code text}, so messages can be checked exactly. */
    static int lineOf(String text) {
        try {
            java.util.List<String> lines = java.nio.file.Files.readAllLines(
                    java.nio.file.Path.of("src/test/java/dev/tfjit/autograph/SeedAutographTest.java"));
            for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains(text)) return i + 1;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError(text + " not found");
    }
}
