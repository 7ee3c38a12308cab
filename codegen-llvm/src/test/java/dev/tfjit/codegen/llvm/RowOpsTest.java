package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ops.LinalgOps;
import dev.tfjit.ir.ops.NnOps;
import dev.tfjit.ir.ops.ReductionOps;
import org.junit.jupiter.api.Test;



/**
 * Row-wise kernels: softmax, log_softmax, the dense softmax cross-entropy, l2_loss, cumsum,
 * cumprod, top_k and in_top_k against the interpreter. Exact ops are bit-exact; ops that call
 * exp/log (the C library's here, the JDK's there) may differ in the last bit of a double, which
 * rounding to float almost always hides: 1 ulp is allowed for them, as for the sparse kernel.
 */
class RowOpsTest {
    private static final DType[] FLOATS = {DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16};

    @Test
    void softmaxAndLogSoftmaxOverRowsOfEveryLength() {
        for (DType t : FLOATS) {
            long ulps = t == DType.FLOAT64 ? 4 : 1;
            for (Shape s : new Shape[] {Shape.of(3, 5), Shape.of(2, 40), Shape.of(1, 1), Shape.of(2, 0), Shape.of(0, 3), Shape.of(2, 2, 17), Shape.of(7)}) {
                Oracle.assertOpWithinUlps(ulps, NnOps.SOFTMAX, Attrs.EMPTY, TestData.uniform(t, s, 3, 6, false));
                Oracle.assertOpWithinUlps(ulps, NnOps.LOG_SOFTMAX, Attrs.EMPTY, TestData.uniform(t, s, 4, 6, false));
            }
        }
        // Infinities and NaN give the interpreter's NaN rows and zeros exactly.
        Buffer special = Buffer.ofFloats(Shape.of(3, 3), 1, Float.NaN, 2, Float.POSITIVE_INFINITY, 0, 1, Float.NEGATIVE_INFINITY, 0, 1e-40f);
        Oracle.assertOp(NnOps.SOFTMAX, Attrs.EMPTY, special);
        Oracle.assertOp(NnOps.LOG_SOFTMAX, Attrs.EMPTY, special);
    }

    /**
     * Long rows split between the cores, and an output large enough to be written with streaming
     * stores from a scratch row ([4096, 1024] float32 is 16 MiB), with signed zeros, NaN and
     * infinities in some rows: bit for bit the interpreter's, sign of zero included.
     */
    @Test
    void softmaxOverManyLongRowsOnBothCoresAndStreaming() {
        for (Shape s : new Shape[] {Shape.of(600, 1000), Shape.of(4096, 1024)}) {
            Buffer x = TestData.uniform(DType.FLOAT32, s, 7, 30, false);
            int cols = s.dim(1);
            for (int i = 0; i < cols; i++) {
                x.setDouble(i, i % 2 == 0 ? 0.0 : -0.0);                    // a row of zeros of both signs
                x.setDouble(cols + i, i == 3 ? Double.NaN : 1);             // a NaN row
                x.setDouble(2L * cols + i, i % 7 == 0 ? Double.NEGATIVE_INFINITY : -200 - i); // exps that underflow
            }
            for (var op : new dev.tfjit.ir.OpDef[] {NnOps.SOFTMAX, NnOps.LOG_SOFTMAX}) {
                dev.tfjit.ir.Graph g = Oracle.parse("func @s(%x: f32[" + s.dim(0) + "," + cols + "]) -> f32[" + s.dim(0) + "," + cols + "] {\n"
                        + "  %0 = " + op.name() + " %x : f32[" + s.dim(0) + "," + cols + "]\n  return %0\n}\n");
                float[] want = dev.tfjit.runtime.Interpreter.run(g, java.util.List.of(x)).getFirst().toFloatArray();
                float[] got = new LlvmBackend().compile(g).run(java.util.List.of(x)).getFirst().toFloatArray();
                for (int i = 0; i < want.length; i++) {
                    boolean same = Float.isNaN(want[i]) ? Float.isNaN(got[i]) : Float.floatToRawIntBits(want[i]) == Float.floatToRawIntBits(got[i]);
                    org.junit.jupiter.api.Assertions.assertTrue(same, op.name() + " " + s + " element " + i + ": want " + want[i] + ", got " + got[i]);
                }
            }
        }
    }

    @Test
    void denseSoftmaxCrossEntropyWithBroadcastLabels() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT16, DType.BFLOAT16}) {
            Buffer x = TestData.uniform(t, Shape.of(6, 5), 1, 8, false);
            Oracle.assertOpWithinUlps(1, NnOps.SOFTMAX_XENT, Attrs.EMPTY, x, TestData.uniform(t, Shape.of(6, 5), 2, 1, false));
            Oracle.assertOpWithinUlps(1, NnOps.SOFTMAX_XENT, Attrs.EMPTY, x, TestData.uniform(t, Shape.of(5), 3, 1, false));
            Oracle.assertOpWithinUlps(1, NnOps.SOFTMAX_XENT, Attrs.EMPTY, TestData.uniform(t, Shape.of(1, 5), 4, 8, false),
                    TestData.uniform(t, Shape.of(3, 5), 5, 1, false));
        }
        Oracle.assertOpWithinUlps(8, NnOps.SOFTMAX_XENT, Attrs.EMPTY, TestData.uniform(DType.FLOAT64, Shape.of(4, 4), 1, 30, false),
                TestData.uniform(DType.FLOAT64, Shape.of(4, 4), 2, 1, false));
        Oracle.assertOp(NnOps.SOFTMAX_XENT, Attrs.EMPTY, Buffer.allocate(DType.FLOAT32, Shape.of(0, 3)), Buffer.allocate(DType.FLOAT32, Shape.of(0, 3)));
    }

    @Test
    void l2LossSumsHalfSquaresPairwise() {
        for (DType t : FLOATS) {
            for (Shape s : new Shape[] {Shape.of(), Shape.of(0), Shape.of(16), Shape.of(17), Shape.of(5, 41)}) {
                Oracle.assertOp(NnOps.L2_LOSS, Attrs.EMPTY, TestData.mixed(t, s, 3));
                Oracle.assertOp(NnOps.L2_LOSS, Attrs.EMPTY, TestData.mixed(t, s, 4));
            }
        }
    }

    @Test
    void cumsumAndCumprodInEveryDirection() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16, DType.INT8, DType.UINT8, DType.INT32, DType.INT64}) {
            Buffer x = TestData.mixed(t, Shape.of(3, 4, 2), 5);
            long[] axes = t == DType.FLOAT32 ? new long[] {0, 1, -1} : new long[] {1};
            for (long axis : axes) {
                for (boolean exclusive : new boolean[] {false, true}) {
                    for (boolean reverse : new boolean[] {false, true}) {
                        Attrs a = Attrs.of("axis", axis, "exclusive", exclusive, "reverse", reverse);
                        Oracle.assertOp(ReductionOps.CUMSUM, a, x);
                        Oracle.assertOp(ReductionOps.CUMPROD, a, TestData.uniform(t, Shape.of(3, 4, 2), 6, 3, false));
                    }
                }
            }
        }
        Oracle.assertOp(ReductionOps.CUMSUM, Attrs.of("axis", 0), TestData.mixed(DType.FLOAT32, Shape.of(0, 2), 1));
        Oracle.assertOp(ReductionOps.CUMSUM, Attrs.of("axis", 1, "exclusive", true), TestData.mixed(DType.FLOAT32, Shape.of(2, 1), 2));
    }

    @Test
    void topKIsAStableDescendingSortWithNaNFirstAndSignedZerosEqual() {
        Buffer special = Buffer.ofFloats(Shape.of(2, 8), 0f, -0f, 3f, Float.NaN, 3f, -1e-40f, Float.NEGATIVE_INFINITY, 1e-40f,
                1, 1, 1, 1, Float.NaN, Float.NaN, 2, 2);
        for (long k : new long[] {0, 1, 3, 8}) Oracle.assertOp(LinalgOps.TOP_K, Attrs.of("k", k), special);
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16, DType.INT8, DType.UINT8, DType.INT32, DType.INT64}) {
            Buffer x = TestData.uniform(t, Shape.of(3, 70), 7, 5, false); // many ties, and more than one merge pass
            for (long k : new long[] {1, 5, 70}) Oracle.assertOp(LinalgOps.TOP_K, Attrs.of("k", k), x);
            Oracle.assertOp(LinalgOps.TOP_K, Attrs.of("k", 2), TestData.mixed(t, Shape.of(33), 8));
        }
        Oracle.assertOp(LinalgOps.TOP_K, Attrs.of("k", 0), TestData.mixed(DType.FLOAT32, Shape.of(2, 0), 1));
        Oracle.assertOp(LinalgOps.TOP_K, Attrs.of("k", 3), TestData.mixed(DType.FLOAT32, Shape.of(2, 2), 1)); // k too large: error
    }

    @Test
    void inTopKCountsStrictlyLargerPredictions() {
        Buffer p = Buffer.ofFloats(Shape.of(4, 3), 1, 2, 2, 5, Float.NaN, 0, 3, 3, 3, Float.POSITIVE_INFINITY, 1, 0);
        for (long k : new long[] {0, 1, 2, 3}) {
            Oracle.assertOp(LinalgOps.IN_TOP_K, Attrs.of("k", k), p, Buffer.ofInts(Shape.of(4), 1, 0, 2, 0));
            Oracle.assertOp(LinalgOps.IN_TOP_K, Attrs.of("k", k), p, Buffer.ofLongs(Shape.of(4), -1, 3, 1, 2));
        }
    }
}
