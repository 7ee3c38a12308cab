package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TfException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** reshape, expand_dims, squeeze, transpose, tile, broadcast_to, shape/size/rank and identity. */
class ShapeOpsTest {
    private static Tensor iota(int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i;
        return Tf.constant(v, shape);
    }

    @Test
    void reshapeInfersTheMinusOneDim() {
        Tensor y = Tf.reshape(iota(2, 3, 4), 2, -1, 2);
        assertEquals(Shape.of(2, 6, 2), y.shape());
        assertArrayEquals(iota(24).toFloatArray(), y.toFloatArray());
        assertEquals(Shape.SCALAR, Tf.reshape(Tf.constant(new float[] {7}), new int[0]).shape());
    }

    @Test
    void reshapeOfAnEmptyTensorInfersFromTheNonZeroDims() {
        // TF: [0,3] reshaped to [-1,0] is [3,0], not an error.
        assertEquals(Shape.of(3, 0), Tf.reshape(Tf.constant(new float[0], 0, 3), -1, 0).shape());
    }

    @Test
    void reshapeErrorsUseTensorFlowsWording() {
        var e = assertThrows(InvalidArgumentError.class, () -> Tf.reshape(iota(2, 3), 4, -1));
        assertTrue(e.getMessage().contains("Input to reshape is a tensor with 6 values, but the requested shape requires a multiple of 4"), e.getMessage());
        e = assertThrows(InvalidArgumentError.class, () -> Tf.reshape(iota(2, 3), 4, 2));
        assertTrue(e.getMessage().contains("the requested shape has 8"), e.getMessage());
        e = assertThrows(InvalidArgumentError.class, () -> Tf.reshape(iota(2, 3), -1, -1));
        assertTrue(e.getMessage().contains("Only one input size may be -1, not both 0 and 1"), e.getMessage());
        assertTrue(e.getMessage().startsWith("reshape: "), e.getMessage());
    }

    @Test
    void reshapeAcceptsAComputedShapeTensor() {
        Tensor x = iota(2, 3);
        Tensor y = Tf.reshape(iota(3, 2), Tf.shape(x));
        assertEquals(Shape.of(2, 3), y.shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, y.toFloatArray());
    }

    @Test
    void shapeSizeAndRankAreInt32Tensors() {
        Tensor x = iota(2, 0, 5);
        assertEquals(DType.INT32, Tf.shape(x).dtype());
        assertArrayEquals(new int[] {2, 0, 5}, Tf.shape(x).toIntArray());
        assertArrayEquals(new long[] {2, 0, 5}, Tf.shape(x, DType.INT64).toLongArray());
        assertEquals(0, Tf.size(x).intValue());
        assertEquals(3, Tf.rank(x).intValue());
        assertEquals(0, Tf.rank(Tf.constant(1f)).intValue());
        assertEquals(0, Tf.shape(Tf.constant(1f)).shape().dim(0));
    }

    @Test
    void expandDimsAcceptsNegativeAxesUpToMinusRankMinusOne() {
        assertEquals(Shape.of(1, 2, 3), Tf.expandDims(iota(2, 3), 0).shape());
        assertEquals(Shape.of(2, 3, 1), Tf.expandDims(iota(2, 3), -1).shape());
        assertEquals(Shape.of(1, 2, 3), Tf.expandDims(iota(2, 3), -3).shape());
        assertEquals(Shape.of(1), Tf.expandDims(Tf.constant(5f), 0).shape());
        var e = assertThrows(InvalidArgumentError.class, () -> Tf.expandDims(iota(2, 3), 3));
        assertTrue(e.getMessage().contains("Tried to expand dim index 3 for tensor with 2 dimensions."), e.getMessage());
    }

    @Test
    void squeezeRemovesUnitDims() {
        assertEquals(Shape.of(2, 3), Tf.squeeze(iota(1, 2, 1, 3, 1)).shape());
        assertEquals(Shape.of(2, 1, 3), Tf.squeeze(iota(1, 2, 1, 3, 1), 0, -1).shape());
        assertEquals(Shape.SCALAR, Tf.squeeze(iota(1)).shape());
        var e = assertThrows(InvalidArgumentError.class, () -> Tf.squeeze(iota(1, 2), 1));
        assertTrue(e.getMessage().contains("Can not squeeze dim[1], expected a dimension of 1, got 2"), e.getMessage());
    }

    @Test
    void transposeDefaultsToReversingTheDims() {
        Tensor x = Tf.constant(new float[][] {{1, 2, 3}, {4, 5, 6}});
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, Tf.transpose(x).toFloatArray());
        assertEquals(Shape.of(3, 2), x.transpose().shape());
        Tensor y = Tf.transpose(iota(2, 3, 4), 1, 2, 0);
        assertEquals(Shape.of(3, 4, 2), y.shape());
        // y[i][j][k] = x[k][i][j] = 12k + 4i + j
        assertEquals(12 * 1 + 4 * 2 + 3, y.get(2, 3, 1).floatValue());
        var e = assertThrows(InvalidArgumentError.class, () -> Tf.transpose(iota(2, 3, 4), 0, 0, 1));
        assertTrue(e.getMessage().contains("2 is missing from {0,0,1}."), e.getMessage());
    }

    @Test
    void transposeOfAnEmptyTensorKeepsItsPermutedShape() {
        assertEquals(Shape.of(3, 0), Tf.transpose(Tf.constant(new float[0], 0, 3)).shape());
    }

    @Test
    void tileRepeatsAlongEachDim() {
        Tensor x = Tf.constant(new int[][] {{1, 2}, {3, 4}});
        assertArrayEquals(new int[] {1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4}, Tf.tile(x, 1, 3).toIntArray());
        assertArrayEquals(new int[] {1, 2, 3, 4, 1, 2, 3, 4}, Tf.tile(x, 2, 1).toIntArray());
        assertEquals(Shape.of(0, 2), Tf.tile(x, 0, 1).shape());
        var e = assertThrows(InvalidArgumentError.class, () -> Tf.tile(x, 2));
        assertTrue(e.getMessage().contains("Expected multiples argument to be a vector of length 2 but got length 1"), e.getMessage());
    }

    @Test
    void broadcastToFollowsNumpyRules() {
        Tensor y = Tf.broadcastTo(Tf.constant(new float[] {1, 2, 3}), 2, 3);
        assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3}, y.toFloatArray());
        assertArrayEquals(new float[] {7, 7, 7, 7}, Tf.broadcastTo(Tf.constant(7f), 2, 2).toFloatArray());
        assertEquals(Shape.of(0, 3), Tf.broadcastTo(Tf.constant(new float[] {1, 2, 3}), 0, 3).shape());
        var e = assertThrows(TfException.class, () -> Tf.broadcastTo(Tf.constant(new float[] {1, 2, 3}), 4));
        assertTrue(e.getMessage().contains("Incompatible shapes: [3] vs. [4]"), e.getMessage());
        assertThrows(TfException.class, () -> Tf.broadcastTo(Tf.constant(new float[][] {{1}, {2}}), 3));
        assertThrows(InvalidArgumentError.class, () -> Tf.broadcastTo(Tf.constant(1f), -1));
    }

    @Test
    void identityAndReshapeWorkOnStringsAndBools() {
        Tensor s = Tf.constant(new String[] {"a", "b", "c", "d"});
        assertArrayEquals(new String[] {"a", "b", "c", "d"}, Tf.reshape(s, 2, 2).toStringArray());
        assertArrayEquals(new String[] {"a", "c", "b", "d"}, Tf.transpose(Tf.reshape(s, 2, 2)).toStringArray());
        Tensor b = Tf.constant(new boolean[] {true, false});
        assertArrayEquals(new boolean[] {true, false}, Tf.identity(b).toBooleanArray());
    }

    @Test
    void nanAndNegativeZeroMoveBitExactly() {
        Tensor x = Tf.constant(new float[] {Float.NaN, -0f, Float.NEGATIVE_INFINITY}, 3, 1);
        float[] t = Tf.transpose(Tf.tile(x, 1, 2)).toFloatArray();
        assertTrue(Float.isNaN(t[0]));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(t[1]));
        assertEquals(Float.NEGATIVE_INFINITY, t[2]);
    }
}
