package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TfException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** gather, gather_nd, boolean_mask, scatter_nd and tensor_scatter_nd_update. */
class GatherScatterTest {
    private final Tensor m = Tf.constant(new float[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});

    @Test
    void gatherPicksRowsOrColumns() {
        assertArrayEquals(new float[] {7, 8, 9, 1, 2, 3, 7, 8, 9}, Tf.gather(m, Tf.constant(new int[] {2, 0, 2})).toFloatArray());
        Tensor cols = Tf.gather(m, Tf.constant(new long[] {1, 0}), -1);
        assertEquals(Shape.of(3, 2), cols.shape());
        assertArrayEquals(new float[] {2, 1, 5, 4, 8, 7}, cols.toFloatArray());
        Tensor one = Tf.gather(m, Tf.constant(1));
        assertEquals(Shape.of(3), one.shape());
        assertArrayEquals(new float[] {4, 5, 6}, one.toFloatArray());
        Tensor nested = Tf.gather(m, Tf.constant(new int[][] {{0}, {2}}));
        assertEquals(Shape.of(2, 1, 3), nested.shape());
        assertEquals(Shape.of(0, 3), Tf.gather(m, Tf.constant(new int[0])).shape());
    }

    @Test
    void gatherValidatesIndicesLikeTheCpuKernel() {
        var e = assertThrows(InvalidArgumentError.class, () -> Tf.gather(m, Tf.constant(new int[] {0, 5})));
        assertTrue(e.getMessage().contains("indices[1] = 5 is not in [0, 3)"), e.getMessage());
        e = assertThrows(InvalidArgumentError.class, () -> Tf.gather(m, Tf.constant(new int[][] {{0, 1}, {-1, 0}})));
        assertTrue(e.getMessage().contains("indices[1,0] = -1 is not in [0, 3)"), e.getMessage());
        assertThrows(TfException.class, () -> Tf.gather(m, Tf.constant(new float[] {0})));
        e = assertThrows(InvalidArgumentError.class, () -> Tf.gather(m, Tf.constant(new int[] {0}), 2));
        assertTrue(e.getMessage().contains("Expected axis in the range [-2, 2), but got 2"), e.getMessage());
    }

    @Test
    void gatherWithBatchDimsGathersPerBatch() {
        Tensor idx = Tf.constant(new int[][] {{2, 0}, {1, 1}, {0, 2}});
        Tensor g = Tf.gather(m, idx, 1, 1);
        assertEquals(Shape.of(3, 2), g.shape());
        assertArrayEquals(new float[] {3, 1, 5, 5, 7, 9}, g.toFloatArray());
        var e = assertThrows(InvalidArgumentError.class, () -> Tf.gather(m, idx, 0, 1));
        assertTrue(e.getMessage().contains("batch_dims (1) must be less than or equal to axis (0)."), e.getMessage());
    }

    @Test
    void gatherNdAddressesElementsOrSlices() {
        assertArrayEquals(new float[] {2, 9}, Tf.gatherNd(m, Tf.constant(new int[][] {{0, 1}, {2, 2}})).toFloatArray());
        Tensor rows = Tf.gatherNd(m, Tf.constant(new int[][] {{2}, {0}}));
        assertEquals(Shape.of(2, 3), rows.shape());
        assertArrayEquals(new float[] {7, 8, 9, 1, 2, 3}, rows.toFloatArray());
        var e = assertThrows(InvalidArgumentError.class, () -> Tf.gatherNd(m, Tf.constant(new int[][] {{0, 1}, {3, 0}})));
        assertTrue(e.getMessage().contains("indices[1] = [3, 0] does not index into param shape [3,3]"), e.getMessage());
    }

    @Test
    void booleanMaskKeepsTheTrueElements() {
        Tensor mask = Tf.constant(new boolean[] {true, false, true});
        assertArrayEquals(new float[] {1, 2, 3, 7, 8, 9}, Tf.booleanMask(m, mask).toFloatArray());
        Tensor cols = Tf.booleanMask(m, mask, 1);
        assertEquals(Shape.of(3, 2), cols.shape());
        assertArrayEquals(new float[] {1, 3, 4, 6, 7, 9}, cols.toFloatArray());
        Tensor m2 = Tf.constant(new boolean[][] {{true, false, false}, {false, true, false}, {false, false, true}});
        assertArrayEquals(new float[] {1, 5, 9}, m.booleanMask(m2).toFloatArray());
        assertEquals(Shape.of(0, 3), Tf.booleanMask(m, Tf.constant(new boolean[] {false, false, false})).shape());
        assertThrows(TfException.class, () -> Tf.booleanMask(m, Tf.constant(new boolean[] {true, false})));
        assertThrows(TfException.class, () -> Tf.booleanMask(m, Tf.constant(true)));
    }

    @Test
    void scatterNdSumsDuplicateIndices() {
        Tensor s = Tf.scatterNd(Tf.constant(new int[][] {{1}, {3}, {1}}), Tf.constant(new float[] {10, 20, 5}), 5);
        assertArrayEquals(new float[] {0, 15, 0, 20, 0}, s.toFloatArray());
        Tensor rows = Tf.scatterNd(Tf.constant(new long[][] {{1}}), Tf.constant(new int[][] {{1, 2}}), 2, 2);
        assertArrayEquals(new int[] {0, 0, 1, 2}, rows.toIntArray());
        var e = assertThrows(InvalidArgumentError.class,
                () -> Tf.scatterNd(Tf.constant(new int[][] {{5}}), Tf.constant(new float[] {1}), 4));
        assertTrue(e.getMessage().contains("indices[0] = [5] does not index into shape [4]"), e.getMessage());
        assertThrows(TfException.class, () -> Tf.scatterNd(Tf.constant(new int[][] {{1}}), Tf.constant(new float[] {1, 2}), 4));
    }

    @Test
    void tensorScatterNdUpdateReplacesSlicesOfACopy() {
        Tensor u = Tf.tensorScatterNdUpdate(m, Tf.constant(new int[][] {{0, 0}, {2, 1}}), Tf.constant(new float[] {-1, -8}));
        assertArrayEquals(new float[] {-1, 2, 3, 4, 5, 6, 7, -8, 9}, u.toFloatArray());
        Tensor r = Tf.tensorScatterNdUpdate(m, Tf.constant(new int[][] {{1}}), Tf.constant(new float[][] {{0, 0, 0}}));
        assertArrayEquals(new float[] {1, 2, 3, 0, 0, 0, 7, 8, 9}, r.toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, m.toFloatArray());
        assertThrows(TfException.class,
                () -> Tf.tensorScatterNdUpdate(m, Tf.constant(new int[][] {{1}}), Tf.constant(new double[][] {{0, 0, 0}})));
        assertEquals(DType.FLOAT32, u.dtype());
    }
}
