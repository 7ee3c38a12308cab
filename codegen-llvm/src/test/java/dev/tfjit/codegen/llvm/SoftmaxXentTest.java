package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The sparse softmax cross-entropy kernel (loss and backprop) against the interpreter and by hand. */
class SoftmaxXentTest {
    private static String sparse(DType t, DType labels) {
        return """
                func @xent(%x: T[?,?], %y: L[?]) -> (T[?], T[?,?]) {
                  %0, %1 = sparse_softmax_cross_entropy_with_logits %x, %y : T[?], T[?,?]
                  return %0, %1
                }
                """.replace("T[", t.shortName() + "[").replace("L[", labels.shortName() + "[");
    }

    @Test
    void uniformLogitsGiveLogClassesAndSoftmaxMinusOneHot() {
        List<Buffer> out = Oracle.compiled(sparse(DType.FLOAT64, DType.INT32),
                Buffer.ofDoubles(Shape.of(2, 4), 0, 0, 0, 0, 5, 5, 5, 5), Buffer.ofInts(Shape.of(2), 1, 3));
        assertEquals(Math.log(4), out.get(0).getDouble(0), 1e-15);
        assertEquals(Math.log(4), out.get(0).getDouble(1), 1e-15);
        assertArrayEquals(new double[]{0.25, -0.75, 0.25, 0.25, 0.25, 0.25, 0.25, -0.75}, out.get(1).toDoubleArray(), 1e-15);
    }

    @Test
    void everyFloatDTypeAndLabelDTypeMatchesTheInterpreter() {
        for (DType t : new DType[]{DType.FLOAT32, DType.FLOAT16, DType.BFLOAT16}) {
            for (DType l : new DType[]{DType.INT32, DType.INT64}) {
                long[] ids = new long[9];
                for (int i = 0; i < 9; i++) ids[i] = Math.floorMod(i * 7 + 3, 10);
                Buffer y = l == DType.INT32 ? Buffer.ofInts(Shape.of(9), java.util.Arrays.stream(ids).mapToInt(v -> (int) v).toArray())
                        : Buffer.ofLongs(Shape.of(9), ids);
                // exp and log come from the C library here and from the JDK there: they may differ in
                // the last bit of a double, which the rounding to float almost always hides.
                Oracle.assertWithinUlps(sparse(t, l), 1, TestData.uniform(t, Shape.of(9, 10), 4, 8, false), y);
            }
        }
        Buffer y = Buffer.ofInts(Shape.of(5), 0, 1, 2, 3, 4);
        Oracle.assertWithinUlps(sparse(DType.FLOAT64, DType.INT32), 8, TestData.uniform(DType.FLOAT64, Shape.of(5, 5), 4, 30, false), y);
    }

    @Test
    void nanAndInfinityRowsFollowTheInterpreter() {
        float nan = Float.NaN, inf = Float.POSITIVE_INFINITY;
        Buffer x = Buffer.ofFloats(Shape.of(3, 3), 1, nan, 2, inf, 0, 1, -inf, 0, 0);
        Oracle.assertSame(sparse(DType.FLOAT32, DType.INT64), x, Buffer.ofLongs(Shape.of(3), 0, 1, 0));
    }

    @Test
    void anEmptyBatchHasEmptyOutputs() {
        List<Buffer> out = Oracle.compiled(sparse(DType.FLOAT32, DType.INT32), Buffer.allocate(DType.FLOAT32, Shape.of(0, 3)),
                Buffer.allocate(DType.INT32, Shape.of(0)));
        assertEquals(Shape.of(0), out.get(0).shape());
        assertEquals(Shape.of(0, 3), out.get(1).shape());
    }

    @Test
    void labelsOutOfRangeAreTheInterpretersError() {
        for (int bad : new int[]{-1, 3}) {
            InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> Oracle.compiled(sparse(DType.FLOAT32, DType.INT32),
                    Buffer.ofFloats(Shape.of(2, 3), 1, 2, 3, 4, 5, 6), Buffer.ofInts(Shape.of(2), 0, bad)));
            assertTrue(e.getMessage().contains("outside the valid range of [0, 3)"), e.getMessage());
            assertTrue(e.getMessage().contains("sparse_softmax_cross_entropy_with_logits"), e.getMessage());
        }
    }
}
