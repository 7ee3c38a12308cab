package dev.tfjit.tracer;

import dev.tfjit.ir.Buffer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BinaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A traced function computes exactly what the same Java code computes eagerly: the graph passes
 * (folding, CSE, simplification) must not change a single bit.
 */
class TracedEagerEquivalenceTest {

    static Map<String, BinaryOperator<Tensor>> programs() {
        Map<String, BinaryOperator<Tensor>> m = new LinkedHashMap<>();
        m.put("x*y+1", (x, y) -> x.mul(y).add(1f));
        m.put("x*1 + 0*y", (x, y) -> x.mul(1f).add(y.mul(0f)));
        m.put("reduce_sum(x*y)", (x, y) -> Tf.reduceSum(x.mul(y)));
        m.put("mean over axis 0", (x, y) -> Tf.reduceMean(x.sub(y), new int[] {0}, true));
        m.put("matmul(x, y^T)", (x, y) -> Tf.matmul(x, y, false, true));
        m.put("softmax", (x, y) -> Tf.softmax(x.add(y)));
        m.put("relu/sigmoid/tanh", (x, y) -> Tf.tanh(Tf.sigmoid(Tf.relu(x))).mul(y));
        m.put("floordiv/floormod", (x, y) -> Tf.floordiv(x, y.add(3f)).add(Tf.floormod(x, y.add(3f))));
        m.put("double transpose", (x, y) -> Tf.transpose(Tf.transpose(x)).add(y));
        m.put("reshape chain", (x, y) -> Tf.reshape(Tf.reshape(x, 12), 4, 3).add(Tf.reshape(y, 4, 3)));
        m.put("where/maximum", (x, y) -> Tf.where(Tf.less(x, y), Tf.maximum(x, y), Tf.minimum(x, y)));
        m.put("constant subexpression", (x, y) -> x.add(Tf.constant(2f).mul(Tf.constant(3f))).add(Tf.constant(2f).mul(Tf.constant(3f))));
        m.put("cumsum and argmax", (x, y) -> Tf.cast(Tf.argmax(Tf.cumsum(x, 1), 1), dev.tfjit.ir.DType.FLOAT32));
        m.put("cast round trip", (x, y) -> Tf.cast(Tf.cast(x.mul(10f), dev.tfjit.ir.DType.INT32), dev.tfjit.ir.DType.FLOAT32).add(y));
        m.put("exp/log1p", (x, y) -> Tf.log1p(Tf.exp(x)).sub(y));
        m.put("square/sqrt/abs", (x, y) -> Tf.sqrt(Tf.abs(x)).add(Tf.square(y)));
        m.put("concat and split back", (x, y) -> Tf.concat(List.of(x, y), 0).mul(2f));
        return m;
    }

    @TestFactory
    Stream<DynamicTest> tracedMatchesEager() {
        Random rnd = new Random(42);
        return programs().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            for (int trial = 0; trial < 3; trial++) {
                Tensor x = random(rnd, 3, 4), y = random(rnd, 3, 4);
                Buffer eager = e.getValue().apply(x, y).buffer();
                Function f = Function.of((Tensor a, Tensor b) -> e.getValue().apply(a, b));
                Buffer traced = f.call(x, y).buffer();
                assertEquals(eager.type(), traced.type());
                assertTrue(eager.contentEquals(traced), e.getKey() + ": traced " + Tf.constant(0f) + " differs from eager");
            }
        }));
    }

    static Tensor random(Random rnd, int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextGaussian() * 2);
        return Tf.constant(v, rows, cols);
    }
}
