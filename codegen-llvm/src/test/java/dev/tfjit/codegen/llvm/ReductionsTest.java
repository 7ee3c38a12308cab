package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.GraphBuilder;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.SourceLocation;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.ElementwiseOps;
import dev.tfjit.ir.ops.ReductionOps;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every reduction over every dtype, axis set and keepdims agrees with the interpreter bit for
 * bit: the compiled code accumulates floats in the interpreter's order (pairwise rows, Eigen's
 * column order for leading axes).
 */
class ReductionsTest {
    private static final List<OpDef> REDUCTIONS = List.of(ReductionOps.REDUCE_SUM, ReductionOps.REDUCE_MEAN,
            ReductionOps.REDUCE_PROD, ReductionOps.REDUCE_MAX, ReductionOps.REDUCE_MIN, ReductionOps.REDUCE_ANY, ReductionOps.REDUCE_ALL);

    /** All, none, leading (column order), middle, trailing (pairwise), and a non-contiguous pair. */
    private static final long[][] AXES = {null, {}, {0}, {1}, {-1}, {0, 2}};

    private static Graph reduce(OpDef op, DType t, long[] axes, boolean keepdims, boolean fusedInput) {
        GraphBuilder b = new GraphBuilder("r_" + op.name());
        Value x = b.param(new TensorType(t, Shape.unknownDims(3)), "x");
        Value in = x;
        if (fusedInput) {
            Value y = b.param(new TensorType(t, Shape.unknownDims(1)), "y");
            in = b.add1(t == DType.BOOL ? ElementwiseOps.LOGICAL_AND : ElementwiseOps.MUL, List.of(x, y), Attrs.EMPTY, SourceLocation.UNKNOWN);
        }
        Attrs a = axes == null ? Attrs.of("keepdims", keepdims) : Attrs.of("axis", axes, "keepdims", keepdims);
        try {
            return b.build(List.of(b.add1(op, List.of(in), a, new SourceLocation("ReductionsTest.java", 1))));
        } catch (TfException e) {
            return null; // the op does not take this dtype
        }
    }

    @TestFactory
    List<DynamicTest> everyReductionOverEveryDtypeAndAxisSetMatchesTheInterpreter() {
        List<DynamicTest> tests = new ArrayList<>();
        DType[] dtypes = {DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16, DType.INT32, DType.INT64, DType.INT8,
                DType.UINT8, DType.INT16, DType.BOOL};
        for (OpDef op : REDUCTIONS) {
            for (DType t : dtypes) {
                for (long[] axes : AXES) {
                    for (boolean keep : new boolean[]{false, true}) {
                        boolean fused = keep; // keepdims and fusion are independent: pairing them halves the sweep
                        Graph g = reduce(op, t, axes, keep, fused);
                        if (g == null) continue;
                        String name = op.name() + "(" + t + ", axis=" + (axes == null ? "all" : java.util.Arrays.toString(axes))
                                + ", keepdims=" + keep + (fused ? ", fused" : "") + ")";
                        tests.add(DynamicTest.dynamicTest(name, () -> {
                            for (Shape s : new Shape[]{Shape.of(3, 40, 9), Shape.of(2, 17, 1), Shape.of(5, 0, 4), Shape.of(1, 1, 1)}) {
                                List<Buffer> args = new ArrayList<>();
                                args.add(TestData.mixed(t, s, s.dim(1)));
                                if (fused) args.add(TestData.uniform(t, Shape.of(s.dim(2)), 5, 3, false));
                                ElementwiseOpsTest.assertSameOrSameError(g, args, 0);
                            }
                        }));
                    }
                }
            }
        }
        return tests;
    }

    @Test
    void sumsAreWorkedOutByHand() {
        String ir = """
                func @s(%x: f32[2,3]) -> (f32[3], f32[2,1], f32[]) {
                  %0 = reduce_sum %x {axis=[0]} : f32[3]
                  %1 = reduce_mean %x {axis=[1], keepdims=true} : f32[2,1]
                  %2 = reduce_max %x : f32[]
                  return %0, %1, %2
                }
                """;
        List<Buffer> out = Oracle.compiled(ir, Buffer.ofFloats(Shape.of(2, 3), 1, 2, 3, 4, 5, 6));
        assertArrayEquals(new float[]{5, 7, 9}, out.get(0).toFloatArray());
        assertArrayEquals(new float[]{2, 5}, out.get(1).toFloatArray());
        assertArrayEquals(new float[]{6}, out.get(2).toFloatArray());
    }

    @Test
    void largeFloatSumsArePairwiseLikeTheInterpreter() {
        String ir = """
                func @big(%a: f32[?], %b: f32[?], %c: f32[?]) -> f32[] {
                  %0 = mul %a, %b : f32[?]
                  %1 = add %0, %c : f32[?]
                  %2 = reduce_sum %1 : f32[]
                  return %2
                }
                """;
        Shape s = Shape.of(100_003);
        Oracle.assertSame(ir, TestData.uniform(DType.FLOAT32, s, 1, 1, false), TestData.uniform(DType.FLOAT32, s, 2, 1, false),
                TestData.uniform(DType.FLOAT32, s, 3, 1, false));
        // One million ones plus 1e-3 each: sequential float32 accumulation would drift far from 1001000.
        Buffer ones = Buffer.allocate(DType.FLOAT32, Shape.of(1_000_000));
        for (long i = 0; i < ones.size(); i++) ones.setDouble(i, 1.0);
        Buffer small = Buffer.allocate(DType.FLOAT32, Shape.of(1_000_000));
        for (long i = 0; i < small.size(); i++) small.setDouble(i, 1e-3);
        float sum = Oracle.compiled(ir, ones, ones, small).get(0).toFloatArray()[0];
        assertEquals(1_001_000f, sum, 1f);
    }

    /**
     * Max and min over rows of every path (sequential, lanes with and without a partial last
     * group, the row group's), with NaNs at scattered places and ties of +0 and -0: the result's
     * bits, sign of zero included, are the interpreter's (which NaN comes out is not compared).
     */
    @Test
    void rowMaxAndMinKeepTheInterpretersNaNsAndSignedZeros() {
        String ir = """
                func @m(%x: f32[7,N]) -> (f32[7,1], f32[7,1], f32[7,N]) {
                  %0 = reduce_max %x {axis=[1], keepdims=true} : f32[7,1]
                  %1 = reduce_min %x {axis=[1], keepdims=true} : f32[7,1]
                  %2 = sub %x, %0 : f32[7,N]
                  return %0, %1, %2
                }
                """;
        for (int n : new int[] {9, 16, 40, 64, 100, 1024}) {
            Buffer x = Buffer.allocate(DType.FLOAT32, Shape.of(7, n));
            java.util.Random r = new java.util.Random(n);
            for (int row = 0; row < 7; row++) {
                for (int i = 0; i < n; i++) {
                    float v = switch (row) {
                        case 0 -> r.nextBoolean() ? 0f : -0f;                                  // zeros only
                        case 1 -> r.nextInt(3) == 0 ? (r.nextBoolean() ? 0f : -0f) : -r.nextFloat(); // zeros are the max
                        case 2 -> i == n / 2 ? Float.NaN : r.nextFloat();                     // one NaN in the middle
                        case 3 -> i == n - 1 ? Float.NaN : r.nextFloat();                     // a NaN last (the partial group)
                        case 4 -> i % 5 == 0 ? Float.intBitsToFloat(0x7fc00000 | i) : -r.nextFloat(); // many NaNs
                        case 5 -> r.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
                        default -> (float) r.nextGaussian();
                    };
                    x.setDouble((long) row * n + i, v);
                }
            }
            Graph g = Oracle.parse(ir.replace("N", Integer.toString(n)));
            List<Buffer> want = dev.tfjit.runtime.Interpreter.run(g, List.of(x)), got = new LlvmBackend().compile(g).run(List.of(x));
            for (int k = 0; k < 3; k++) {
                float[] w = want.get(k).toFloatArray(), v = got.get(k).toFloatArray();
                for (int i = 0; i < w.length; i++) {
                    boolean same = Float.isNaN(w[i]) ? Float.isNaN(v[i]) : Float.floatToRawIntBits(w[i]) == Float.floatToRawIntBits(v[i]);
                    assertTrue(same, "n=" + n + " result " + k + " element " + i + ": want " + w[i] + ", got " + v[i]);
                }
            }
        }
    }

    @Test
    void meanOfAnEmptyIntegerReductionIsTheInterpretersError() {
        String ir = """
                func @m(%x: i32[?,?]) -> i32[?] {
                  %0 = reduce_mean %x {axis=[1]} : i32[?]
                  return %0
                }
                """;
        InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> Oracle.compiled(ir, Buffer.allocate(DType.INT32, Shape.of(2, 0))));
        assertTrue(e.getMessage().contains("integer division by zero"), e.getMessage());
        assertEquals(0, Oracle.compiled(ir, Buffer.allocate(DType.INT32, Shape.of(0, 0))).get(0).size());
    }
}
