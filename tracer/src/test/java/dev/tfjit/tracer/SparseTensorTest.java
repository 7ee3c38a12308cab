package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TfException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SparseTensorTest {
    /** TF's documented example: {@code SparseTensor(indices=[[0, 0], [1, 2]], values=[1, 2], dense_shape=[3, 4])}. */
    private static SparseTensor docExample() {
        return SparseTensor.of(new long[][] {{0, 0}, {1, 2}}, new float[] {1, 2}, 3, 4);
    }

    @Test
    void toDenseFillsZerosAroundTheStoredValues() {
        Tensor dense = docExample().toDense();
        assertEquals(Shape.of(3, 4), dense.shape());
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0}, dense.toFloatArray());
        Tensor withDefault = Tf.sparse.toDense(docExample(), Tf.constant(-1f));
        assertArrayEquals(new float[] {1, -1, -1, -1, -1, -1, 2, -1, -1, -1, -1, -1}, withDefault.toFloatArray());
    }

    @Test
    void stringSparseTensorsDensifyWithEmptyStrings() {
        SparseTensor sp = SparseTensor.of(new long[][] {{1}}, new String[] {"b"}, 3);
        assertArrayEquals(new String[] {"", "b", ""}, sp.toDense().toStringArray());
    }

    @Test
    void printsLikeTensorFlow() {
        String s = SparseTensor.of(new long[][] {{0, 0}, {1, 2}}, new int[] {1, 2}, 3, 4).toString();
        assertTrue(s.startsWith("SparseTensor(indices=tf.Tensor(\n[[0 0]\n [1 2]], shape=(2, 2), dtype=int64), values=tf.Tensor([1 2], shape=(2,), dtype=int32),"), s);
        assertTrue(s.endsWith("dense_shape=tf.Tensor([3 4], shape=(2,), dtype=int64))"), s);
    }

    @Test
    void constructionChecksTheTriple() {
        assertThrows(InvalidArgumentError.class, () -> SparseTensor.of(new long[][] {{0, 0}, {1, 2}}, new float[] {1, 2, 3}, 3, 4));
        assertThrows(InvalidArgumentError.class, () -> SparseTensor.of(new long[][] {{0, 0}}, new float[] {1}, 3, 4, 5));
        TfException e = assertThrows(DTypeError.class,
                () -> new SparseTensor(Tf.constant(new int[][] {{0}}), Tf.constant(new float[] {1}), Tf.constant(new long[] {2})));
        assertTrue(e.getMessage().contains("int64"), e.getMessage());
    }

    @Test
    void fromDenseKeepsTheNonZeros() {
        SparseTensor sp = Tf.sparse.fromDense(Tf.constant(new int[][] {{0, 1}, {2, 0}}));
        assertArrayEquals(new long[] {0, 1, 1, 0}, sp.indices().toLongArray());
        assertArrayEquals(new int[] {1, 2}, sp.values().toIntArray());
        assertArrayEquals(new long[] {2, 2}, sp.denseShape().toLongArray());
        assertEquals(Shape.of(2, 2), sp.shape());
        assertArrayEquals(new int[] {0, 1, 2, 0}, sp.toDense().toIntArray());
    }

    @Test
    void emptySparseTensorIsAllDefault() {
        SparseTensor sp = SparseTensor.of(new long[0][], new float[0], 2, 2);
        assertArrayEquals(new float[4], sp.toDense().toFloatArray());
        assertEquals(0f, Tf.sparse.reduceSum(sp).floatValue());
    }

    @Test
    void unorderedIndicesMustBeReorderedBeforeToDense() {
        SparseTensor sp = SparseTensor.of(new long[][] {{1, 0}, {0, 1}}, new float[] {5, 7}, 2, 2);
        TfException e = assertThrows(InvalidArgumentError.class, sp::toDense);
        assertTrue(e.getMessage().contains("indices[1] = [0,1] is out of order"), e.getMessage());
        SparseTensor ordered = sp.reorder();
        assertArrayEquals(new long[] {0, 1, 1, 0}, ordered.indices().toLongArray());
        assertArrayEquals(new float[] {7, 5}, ordered.values().toFloatArray());
        assertArrayEquals(new float[] {0, 7, 5, 0}, ordered.toDense().toFloatArray());
    }

    @Test
    void repeatedAndOutOfBoundsIndicesAreErrors() {
        SparseTensor repeated = SparseTensor.of(new long[][] {{0, 1}, {0, 1}}, new float[] {1, 2}, 2, 2);
        assertTrue(assertThrows(InvalidArgumentError.class, repeated::toDense).getMessage().contains("indices[1] = [0,1] is repeated"));
        SparseTensor outside = SparseTensor.of(new long[][] {{0, 5}}, new float[] {1}, 2, 2);
        assertTrue(assertThrows(InvalidArgumentError.class, outside::toDense).getMessage()
                .contains("indices[0] = [0,5] is out of bounds: need 0 <= index < [2,2]"));
    }

    @Test
    void addingTwoSparseTensorsSumsEqualIndices() {
        SparseTensor a = docExample();
        SparseTensor b = SparseTensor.of(new long[][] {{0, 0}, {2, 3}}, new float[] {3, 4}, 3, 4);
        SparseTensor sum = Tf.sparse.add(a, b);
        assertArrayEquals(new long[] {0, 0, 1, 2, 2, 3}, sum.indices().toLongArray());
        assertArrayEquals(new float[] {4, 2, 4}, sum.values().toFloatArray());
        assertArrayEquals(new long[] {3, 4}, sum.denseShape().toLongArray());
    }

    @Test
    void sparseAddThresholdDropsSmallSums() {
        SparseTensor a = SparseTensor.of(new long[][] {{0}, {1}}, new float[] {1, 0.25f}, 2);
        SparseTensor b = SparseTensor.of(new long[][] {{0}}, new float[] {-1}, 2);
        SparseTensor kept = Tf.sparse.add(a, b);
        assertArrayEquals(new float[] {0, 0.25f}, kept.values().toFloatArray(), "threshold 0 keeps an exact zero sum");
        SparseTensor dropped = Tf.sparse.add(a, b, 0.5);
        assertEquals(0, dropped.values().shape().dim(0));
    }

    @Test
    void sparseAddNeedsEqualShapes() {
        SparseTensor a = docExample();
        SparseTensor b = SparseTensor.of(new long[][] {{0, 0}}, new float[] {1}, 3, 5);
        assertTrue(assertThrows(InvalidArgumentError.class, () -> Tf.sparse.add(a, b)).getMessage()
                .contains("Operands' shapes do not match: got 4 and 5 for dimension 1"));
    }

    @Test
    void addingADenseTensorGivesADenseResult() {
        Tensor dense = Tf.ones(new int[] {3, 4}, DType.FLOAT32);
        Tensor sum = Tf.sparse.add(docExample(), dense);
        assertArrayEquals(new float[] {2, 1, 1, 1, 1, 1, 3, 1, 1, 1, 1, 1}, sum.toFloatArray());
        TfException e = assertThrows(InvalidArgumentError.class, () -> Tf.sparse.add(docExample(), Tf.ones(new int[] {3, 1}, DType.FLOAT32)));
        assertTrue(e.getMessage().contains("Dimension 1 does not equal (no broadcasting is supported): sparse side 4 vs dense side 1"), e.getMessage());
        assertThrows(DTypeError.class, () -> Tf.sparse.add(docExample(), Tf.ones(new int[] {3, 4}, DType.FLOAT64)));
    }

    @Test
    void multiplyingByDenseBroadcastsTheDenseSide() {
        SparseTensor twice = docExample().mul(2);
        assertArrayEquals(new float[] {2, 4}, twice.values().toFloatArray());
        assertArrayEquals(new long[] {0, 0, 1, 2}, twice.indices().toLongArray());
        SparseTensor byRow = docExample().mul(Tf.constant(new float[][] {{10}, {100}, {1000}}));
        assertArrayEquals(new float[] {10, 200}, byRow.values().toFloatArray());
        assertArrayEquals(new float[] {0.5f, 1}, docExample().div(2).values().toFloatArray());
        TfException e = assertThrows(InvalidArgumentError.class, () -> docExample().mul(Tf.constant(new float[] {1, 2})));
        assertTrue(e.getMessage().contains("broadcasts dense to sparse only"), e.getMessage());
    }

    @Test
    void sparseDenseMatmul() {
        // [[1 0 0] [0 0 2]] @ [[1 2] [3 4] [5 6]] = [[1 2] [10 12]]
        SparseTensor a = SparseTensor.of(new long[][] {{0, 0}, {1, 2}}, new float[] {1, 2}, 2, 3);
        Tensor b = Tf.constant(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        Tensor c = Tf.sparse.sparseDenseMatmul(a, b);
        assertEquals(Shape.of(2, 2), c.shape());
        assertArrayEquals(new float[] {1, 2, 10, 12}, c.toFloatArray());
        // A^T (3x2) @ B^T... here: A^T @ [[1 2] [3 4]] = [[1 2] [0 0] [6 8]]
        Tensor t = Tf.sparse.sparseDenseMatmul(a, Tf.constant(new float[][] {{1, 2}, {3, 4}}), true, false);
        assertArrayEquals(new float[] {1, 2, 0, 0, 6, 8}, t.toFloatArray());
        TfException e = assertThrows(InvalidArgumentError.class, () -> Tf.sparse.sparseDenseMatmul(a, Tf.ones(new int[] {2, 2}, DType.FLOAT32)));
        assertTrue(e.getMessage().contains("Cannot multiply A and B because inner dimension does not match: 3 vs. 2"), e.getMessage());
    }

    @Test
    void reduceSumFollowsTheDocExample() {
        // x = [[1, ?, 1], [?, 1, ?]]
        SparseTensor x = SparseTensor.of(new long[][] {{0, 0}, {0, 2}, {1, 1}}, new int[] {1, 1, 1}, 2, 3);
        assertEquals(3, Tf.sparse.reduceSum(x).intValue());
        assertArrayEquals(new int[] {1, 1, 1}, Tf.sparse.reduceSum(x, new int[] {0}, false).toIntArray());
        assertArrayEquals(new int[] {2, 1}, Tf.sparse.reduceSum(x, new int[] {-1}, false).toIntArray());
        Tensor kept = Tf.sparse.reduceSum(x, new int[] {1}, true);
        assertEquals(Shape.of(2, 1), kept.shape());
        assertArrayEquals(new int[] {2, 1}, kept.toIntArray());
        assertEquals(3, Tf.sparse.reduceSum(x, new int[] {0, 1}, false).intValue());
        assertThrows(InvalidArgumentError.class, () -> Tf.sparse.reduceSum(x, new int[] {2}, false));
    }

    @Test
    void worksWhileTracingWithUnknownDims() {
        Function roundTrip = Function.of((Tensor x) -> Tf.sparse.fromDense(x).mul(3f).toDense())
                .withInputSignature(TensorSpec.of(DType.FLOAT32, "?", 2));
        Tensor out = roundTrip.call(Tf.constant(new float[][] {{0, 1}, {2, 0}, {0, 0}}));
        assertArrayEquals(new float[] {0, 3, 6, 0, 0, 0}, out.toFloatArray());
        Function matmul = Function.of((Tensor x) -> Tf.sparse.sparseDenseMatmul(Tf.sparse.fromDense(x), x, false, true))
                .withInputSignature(TensorSpec.of(DType.FLOAT32, "?", 2));
        assertArrayEquals(new float[] {1, 0, 0, 4}, matmul.call(Tf.constant(new float[][] {{0, 1}, {2, 0}})).toFloatArray());
        assertEquals(1, matmul.traceCount());
    }
}
