package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * matmul on the llvm-cpu backend against the reference interpreter. The float32 kernel is packed
 * and blocked, but it keeps the interpreter's accumulation order (every element is one FMA chain
 * over k in increasing order, started at +0), so results are compared bit for bit rather than with
 * the goldens' 2e-6 relative tolerance; the other dtypes run the interpreter's i-k-j loop.
 */
class MatMulTest {
    private static String ir(String a, String b, String out, boolean ta, boolean tb) {
        String attrs = ta || tb ? " {transpose_a=" + ta + ", transpose_b=" + tb + "}" : "";
        return "func @mm(%a: " + a + ", %b: " + b + ") -> " + out + " {\n  %0 = matmul %a, %b" + attrs + " : " + out
                + "\n  return %0\n}\n";
    }

    @Test
    void aTwoByThreeTimesThreeByTwoIsWorkedOutByHand() {
        List<Buffer> out = Oracle.compiled(ir("f32[2,3]", "f32[3,2]", "f32[2,2]", false, false),
                Buffer.ofFloats(Shape.of(2, 3), 1, 2, 3, 4, 5, 6), Buffer.ofFloats(Shape.of(3, 2), 7, 8, 9, 10, 11, 12));
        assertArrayEquals(new float[]{58, 64, 139, 154}, out.get(0).toFloatArray());
    }

    @Test
    void transposesReadTheOperandsSwapped() {
        // A^T with A = [[1,4],[2,5],[3,6]] is [[1,2,3],[4,5,6]]; B^T with B = [[7,9,11],[8,10,12]] is [[7,8],[9,10],[11,12]].
        List<Buffer> out = Oracle.compiled(ir("f32[3,2]", "f32[2,3]", "f32[2,2]", true, true),
                Buffer.ofFloats(Shape.of(3, 2), 1, 4, 2, 5, 3, 6), Buffer.ofFloats(Shape.of(2, 3), 7, 9, 11, 8, 10, 12));
        assertArrayEquals(new float[]{58, 64, 139, 154}, out.get(0).toFloatArray());
    }

    @TestFactory
    List<DynamicTest> float32MatchesTheInterpreterBitForBitAcrossBlockEdges() {
        // Sizes straddle the micro-tile (6x16) and the cache blocks (k 256, m 144), include 0 and 1;
        // the last two are large enough to be split across two threads (SgemmThreads.splits).
        int[][] mkn = {{1, 1, 1}, {6, 7, 16}, {7, 300, 17}, {145, 257, 33}, {5, 0, 4}, {0, 3, 5}, {64, 64, 64}, {13, 520, 40},
                {150, 300, 100}, {301, 129, 130}};
        List<DynamicTest> tests = new ArrayList<>();
        for (int[] s : mkn) {
            for (boolean ta : new boolean[]{false, true}) {
                for (boolean tb : new boolean[]{false, true}) {
                    int m = s[0], k = s[1], n = s[2];
                    tests.add(DynamicTest.dynamicTest("f32 " + m + "x" + k + "x" + n + " ta=" + ta + " tb=" + tb, () -> {
                        Shape sa = ta ? Shape.of(k, m) : Shape.of(m, k), sb = tb ? Shape.of(n, k) : Shape.of(k, n);
                        Oracle.assertSame(ir("f32[?,?]", "f32[?,?]", "f32[?,?]", ta, tb),
                                TestData.uniform(DType.FLOAT32, sa, m + 31L * k, 2, false), TestData.uniform(DType.FLOAT32, sb, n + 7L * k, 2, false));
                    }));
                }
            }
        }
        return tests;
    }

    @Test
    void specialValuesFlushAndPropagateLikeTheInterpreter() {
        // Subnormal inputs are flushed, infinities and NaN propagate, a -0 product added to +0 gives +0.
        Shape s = Shape.of(7, 9);
        Oracle.assertSame(ir("f32[7,9]", "f32[9,7]", "f32[7,7]", false, false), TestData.mixed(DType.FLOAT32, s, 2),
                TestData.mixed(DType.FLOAT32, Shape.of(9, 7), 4));
    }

    @Test
    void batchDimsBroadcast() {
        Oracle.assertSame(ir("f32[2,1,5,3]", "f32[4,3,6]", "f32[2,4,5,6]", false, false),
                TestData.uniform(DType.FLOAT32, Shape.of(2, 1, 5, 3), 1, 3, false), TestData.uniform(DType.FLOAT32, Shape.of(4, 3, 6), 2, 3, false));
        Oracle.assertSame(ir("f32[3,20,18]", "f32[18,20]", "f32[3,20,20]", false, false),
                TestData.uniform(DType.FLOAT32, Shape.of(3, 20, 18), 3, 3, false), TestData.uniform(DType.FLOAT32, Shape.of(18, 20), 4, 3, false));
    }

    @Test
    void largeBatchedProductsSplitAcrossThreadsStillMatch() {
        assertTrue(SgemmThreads.splits(160, 170, 180));
        Oracle.assertSame(ir("f32[2,160,180]", "f32[170,180]", "f32[2,160,170]", false, true),
                TestData.uniform(DType.FLOAT32, Shape.of(2, 160, 180), 5, 3, false), TestData.uniform(DType.FLOAT32, Shape.of(170, 180), 6, 3, false));
    }

    @Test
    void manySmallProductsSplitTheirBatchesAcrossThreads() {
        assertFalse(SgemmThreads.splits(40, 40, 40));
        assertTrue(SgemmThreads.splitsBatches(101, 101.0 * 40 * 40 * 40));
        // An odd batch count, B broadcast over it, and a transposed A.
        Oracle.assertSame(ir("f32[101,40,40]", "f32[40,40]", "f32[101,40,40]", true, false),
                TestData.uniform(DType.FLOAT32, Shape.of(101, 40, 40), 8, 3, false), TestData.uniform(DType.FLOAT32, Shape.of(40, 40), 9, 3, false));
        assertTrue(SgemmThreads.splitsBatches(120, 120.0 * 40 * 29 * 41));
        Oracle.assertSame(ir("f32[2,60,40,29]", "f32[60,29,41]", "f32[2,60,40,41]", false, false),
                TestData.uniform(DType.FLOAT32, Shape.of(2, 60, 40, 29), 10, 3, false), TestData.uniform(DType.FLOAT32, Shape.of(60, 29, 41), 11, 3, false));
    }

    @TestFactory
    List<DynamicTest> otherDtypesMatchTheInterpreter() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String t : new String[]{"f64", "f16", "bf16", "i32", "i64", "i8", "u8", "i16"}) {
            tests.add(DynamicTest.dynamicTest(t, () -> {
                var g = Oracle.parse(ir(t + "[2,?,?]", t + "[?,?]", t + "[2,?,?]", false, true));
                DType d = g.params().get(0).dtype();
                ElementwiseOpsTest.assertSameOrSameError(g, List.of(TestData.mixed(d, Shape.of(2, 5, 4), 6), TestData.mixed(d, Shape.of(3, 4), 8)), 0);
            }));
        }
        return tests;
    }

    @Test
    void emptyContractionIsZeros() {
        Buffer out = Oracle.compiled(ir("f32[?,?]", "f32[?,?]", "f32[?,?]", false, false),
                Buffer.allocate(DType.FLOAT32, Shape.of(2, 0)), Buffer.allocate(DType.FLOAT32, Shape.of(0, 3))).get(0);
        assertArrayEquals(new float[6], out.toFloatArray());
    }
}
