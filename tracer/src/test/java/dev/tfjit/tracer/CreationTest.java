package dev.tfjit.tracer;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.GraphBuilder;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.SourceLocation;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.Value;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CreationTest {
    // ---- zeros, ones, fill (the seed's examples) ----

    @Test
    void zerosAndOnesOfEveryRank() {
        assertEquals(Shape.SCALAR, Tf.zeros().shape());
        assertEquals(0f, Tf.zeros().floatValue());
        assertEquals(1f, Tf.ones().floatValue());
        assertArrayEquals(new float[] {0}, Tf.zeros(1).toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0, 0}, Tf.zeros(2, 2).toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, Tf.ones(3, 2).toFloatArray());
        assertEquals(Shape.of(3, 2, 2), Tf.ones(3, 2, 2).shape());
        assertEquals(DType.FLOAT32, Tf.ones(3, 2, 2).dtype());
        assertEquals(Shape.of(0, 4), Tf.zeros(0, 4).shape());
    }

    @Test
    void zerosAndOnesOfOtherDtypes() {
        assertArrayEquals(new long[] {1, 1}, Tf.ones(new int[] {2}, DType.INT64).toLongArray());
        assertArrayEquals(new boolean[] {false, false}, Tf.zeros(new int[] {2}, DType.BOOL).toBooleanArray());
        assertArrayEquals(new boolean[] {true}, Tf.ones(new int[] {1}, DType.BOOL).toBooleanArray());
        assertArrayEquals(new float[] {1, 1}, Tf.ones(new int[] {2}, DType.FLOAT16).toFloatArray());
        assertArrayEquals(new int[] {1, 1, 1}, Tf.ones(new int[] {3}, DType.UINT8).toIntArray());
        assertArrayEquals(new String[] {"", ""}, Tf.zeros(new int[] {2}, DType.STRING).toStringArray());
        assertThrows(TfException.class, () -> Tf.ones(new int[] {2}, DType.STRING));
    }

    @Test
    void fillRepeatsTheValueWithItsDtype() {
        Tensor a = Tf.fill(new int[] {2}, -1);
        assertEquals(DType.INT32, a.dtype());
        assertArrayEquals(new int[] {-1, -1}, a.toIntArray());
        assertArrayEquals(new int[] {-2, -2, -2, -2, -2, -2}, Tf.fill(new int[] {2, 3}, -2).toIntArray());
        assertArrayEquals(new double[] {Double.NaN, Double.NaN}, Tf.fill(new int[] {2}, Double.NaN).toDoubleArray());
        assertArrayEquals(new String[] {"ab", "ab"}, Tf.fill(new int[] {2}, "ab").toStringArray());
        assertArrayEquals(new long[] {Long.MIN_VALUE}, Tf.fill(new int[] {1}, Long.MIN_VALUE).toLongArray());
    }

    @Test
    void fillRejectsNegativeDimsAndNonScalarValues() {
        var e = assertThrows(InvalidArgumentError.class, () -> Tf.zeros(2, -1));
        assertTrue(e.getMessage().contains("Dimension -1 must be >= 0"), e.getMessage());
        assertTrue(e.getMessage().startsWith("fill: "), e.getMessage());
        var s = assertThrows(TfException.class, () -> Tf.fill(new int[] {2}, Tf.constant(new int[] {1, 2})));
        assertTrue(s.getMessage().contains("value must be a scalar, not shape [2]"), s.getMessage());
    }

    @Test
    void likeOpsKeepDtypeAndShape() {
        Tensor x = Tf.constant(new int[][] {{5, 6, 7}});
        assertArrayEquals(new int[] {0, 0, 0}, Tf.zerosLike(x).toIntArray());
        assertEquals(Shape.of(1, 3), Tf.onesLike(x).shape());
        assertArrayEquals(new int[] {1, 1, 1}, Tf.onesLike(x).toIntArray());
        assertArrayEquals(new float[] {1, 1, 1}, Tf.onesLike(x, DType.FLOAT32).toFloatArray());
        assertArrayEquals(new String[] {""}, Tf.zerosLike(Tf.constant(new String[] {"q"})).toStringArray());
        assertThrows(DTypeError.class, () -> Tf.onesLike(Tf.constant("q")));
        assertEquals(Shape.of(0), Tf.onesLike(Tf.constant(new float[0])).shape());
    }

    @Test
    void likeOpsAndFillWorkOnSymbolicTensorsWithUnknownDims() {
        Function f = Function.of((Tensor x) -> {
            assertEquals(Shape.of(-1, 784), Tf.zerosLike(x).shape());
            assertEquals(Shape.of(-1, 784), Tf.onesLike(x).shape());
            assertEquals(Shape.of(2, 3), Tf.zeros(2, 3).shape());
            assertTrue(Tf.zeros(2, 3).isSymbolic());
            assertEquals(Shape.of(10), Tf.linspace(0.0, 1.0, 10).shape());
            assertEquals(Shape.of(-1), Tf.range(5).shape());
            assertEquals(Shape.of(3, 3), Tf.eye(3).shape());
            return x;
        });
        f.concrete(TensorSpec.of(DType.FLOAT32, "?", 784));
        assertEquals(1, f.traceCount());
    }

    // ---- constant with a shape ----

    @Test
    void constantWithShapeBroadcastsAScalarOrReshapes() {
        Tensor a = Tf.constant(7, DType.INT64, 2, 3);
        assertEquals(Shape.of(2, 3), a.shape());
        assertArrayEquals(new long[] {7, 7, 7, 7, 7, 7}, a.toLongArray());
        assertArrayEquals(new float[] {1, 2, 3, 4}, Tf.constant(new int[] {1, 2, 3, 4}, DType.FLOAT32, 2, 2).toFloatArray());
        assertEquals(Shape.of(2, 2), Tf.constant(new int[] {1, 2, 3, 4}, DType.FLOAT32, 2, 2).shape());
        assertEquals(Shape.of(3), Tf.constant(new int[] {9}, DType.INT32, 3).shape());
        var e = assertThrows(TfException.class, () -> Tf.constant(new int[] {1, 2, 3}, DType.INT32, 2, 2));
        assertTrue(e.getMessage().contains("has 3 elements, but got `shape` (2, 2) with 4 elements"), e.getMessage());
    }

    // ---- eye ----

    @Test
    void eyeMakesIdentityMatrices() {
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, Tf.eye(3).toFloatArray());
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0}, Tf.eye(2, 3).toFloatArray());
        assertArrayEquals(new float[] {1, 0, 0, 1, 0, 0}, Tf.eye(3, 2).toFloatArray());
        Tensor batch = Tf.eye(2, 2, new int[] {2}, DType.INT32);
        assertEquals(Shape.of(2, 2, 2), batch.shape());
        assertArrayEquals(new int[] {1, 0, 0, 1, 1, 0, 0, 1}, batch.toIntArray());
        assertEquals(Shape.of(0, 0), Tf.eye(0).shape());
        assertThrows(InvalidArgumentError.class, () -> Tf.eye(-1));
    }

    // ---- range ----

    @Test
    void rangeFollowsTheSeedExamples() {
        assertArrayEquals(new int[] {0, 2, 4, 6, 8}, Tf.range(0, 10, 2).toIntArray());
        assertArrayEquals(new int[] {2, 5, 8}, Tf.range(2, 10, 3).toIntArray());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, Tf.range(5).toIntArray());
        assertEquals(DType.INT32, Tf.range(5).dtype());
    }

    @Test
    void rangeInfersItsDtypeLikeTensorFlow() {
        assertEquals(DType.FLOAT32, Tf.range(0, 1, 0.25).dtype());
        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 0.75f}, Tf.range(0, 1, 0.25).toFloatArray());
        assertEquals(DType.INT64, Tf.range(0L, 1L << 33, 1L << 32).dtype());
        assertArrayEquals(new long[] {0, 1L << 32}, Tf.range(0L, 1L << 33, 1L << 32).toLongArray());
        assertEquals(DType.FLOAT64, Tf.range(1, 4, 1, DType.FLOAT64).dtype());
        assertThrows(TfException.class, () -> Tf.range(0, 2.5, 1, DType.INT32));
    }

    @Test
    void rangeCountsDownAndCanBeEmpty() {
        assertArrayEquals(new float[] {5, 2.5f, 0, -2.5f}, Tf.range(5.0, -5.0, -2.5).toFloatArray());
        assertArrayEquals(new int[] {3, 1}, Tf.range(3, 0, -2).toIntArray());
        assertEquals(Shape.of(0), Tf.range(4, 4).shape());
        assertEquals(Shape.of(0), Tf.range(0).shape());
        assertArrayEquals(new int[] {-3, -2}, Tf.range(-3, -1).toIntArray());
    }

    @Test
    void rangeAccumulatesFloatsTheWayTensorFlowDoes() {
        // TF adds delta repeatedly in float32 rather than computing start + i * delta.
        float v = 0f, d = 0.1f;
        float[] expected = new float[10];
        for (int i = 0; i < 10; i++, v += d) expected[i] = v;
        assertArrayEquals(expected, Tf.range(0f, 1f, 0.1f).toFloatArray());
    }

    @Test
    void rangeErrorsUseTensorFlowsWording() {
        var e = assertThrows(InvalidArgumentError.class, () -> Tf.range(0, 5, 0));
        assertTrue(e.getMessage().contains("Requires delta != 0: 0"), e.getMessage());
        e = assertThrows(InvalidArgumentError.class, () -> Tf.range(5, 0, 1));
        assertTrue(e.getMessage().contains("Requires start <= limit when delta > 0: 5/0"), e.getMessage());
        e = assertThrows(InvalidArgumentError.class, () -> Tf.range(0, 5, -1));
        assertTrue(e.getMessage().contains("Requires start >= limit when delta < 0: 0/5"), e.getMessage());
        assertThrows(InvalidArgumentError.class, () -> Tf.range(0.0, Double.POSITIVE_INFINITY, 1.0));
        assertThrows(InvalidArgumentError.class, () -> Tf.range(0.0, Double.NaN, 1.0));
        assertThrows(DTypeError.class, () -> Tf.range(Tf.constant(0), Tf.constant(5L), Tf.constant(1)));
        assertThrows(TfException.class, () -> Tf.range(Tf.constant(new int[] {0}), Tf.constant(5), Tf.constant(1)));
    }

    // ---- linspace ----

    @Test
    void linspaceIncludesBothEnds() {
        Tensor x = Tf.linspace(-6.0, 6.0, 5);
        assertEquals(DType.FLOAT32, x.dtype());
        assertArrayEquals(new float[] {-6, -3, 0, 3, 6}, x.toFloatArray());
        assertArrayEquals(new float[] {10}, Tf.linspace(10f, 20f, 1).toFloatArray());
        assertEquals(Shape.of(0), Tf.linspace(0f, 1f, 0).shape());
        assertThrows(InvalidArgumentError.class, () -> Tf.linspace(0f, 1f, -1));
    }

    @Test
    void linspaceOfIntegersIsFloat64LikeTensorFlow() {
        Tensor x = Tf.linspace(-8, 8, 100);
        assertEquals(DType.FLOAT64, x.dtype());
        double[] v = x.toDoubleArray();
        assertEquals(100, v.length);
        assertEquals(-8.0, v[0]);
        assertEquals(8.0, v[99]);
        double delta = 16.0 / 99;
        assertEquals(-8.0 + delta * 50, v[50]);
    }

    @Test
    void linspaceComputesInteriorPointsAsStartPlusDeltaTimesI() {
        float start = 0.1f, stop = 0.7f;
        float delta = (stop - start) / 6f;
        float[] v = Tf.linspace(start, stop, 7).toFloatArray();
        for (int i = 1; i < 6; i++) assertEquals(start + delta * i, v[i]);
        assertEquals(stop, v[6]);
    }
}
