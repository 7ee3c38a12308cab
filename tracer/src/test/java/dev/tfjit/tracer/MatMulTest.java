package dev.tfjit.tracer;

import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** tf.matmul: rank 2, batched with broadcasting, transposes, ints and TF's errors. */
class MatMulTest {
    private final Tensor a = Tf.constant(new float[][]{{1, 2, 3}, {4, 5, 6}});
    private final Tensor b = Tf.constant(new float[][]{{7, 8}, {9, 10}, {11, 12}});

    @Test
    void multipliesMatrices() {
        Tensor c = Tf.matmul(a, b);
        assertEquals(Shape.of(2, 2), c.shape());
        assertArrayEquals(new float[]{58, 64, 139, 154}, c.toFloatArray());
    }

    @Test
    void transposesEitherOperand() {
        // a^T b^T = (b a)^T; b a = [[39,54,69],[49,68,87],[59,82,105]]
        Tensor c = Tf.matmul(a, b, true, true);
        assertEquals(Shape.of(3, 3), c.shape());
        assertArrayEquals(new float[]{39, 49, 59, 54, 68, 82, 69, 87, 105}, c.toFloatArray());
        assertArrayEquals(Tf.matmul(a, b).toFloatArray(), Tf.matmul(a, b, false, false, false, false).toFloatArray());
        assertArrayEquals(new float[]{39, 49, 59, 54, 68, 82, 69, 87, 105},
                Tf.matmul(a, b, false, false, true, true).toFloatArray());
    }

    @Test
    void broadcastsBatchDims() {
        Tensor batch = Tf.constant(new float[][][]{{{1, 0}, {0, 1}}, {{2, 0}, {0, 2}}}); // [2,2,2]
        Tensor v = Tf.constant(new float[][]{{1, 2}, {3, 4}});                          // [2,2]
        Tensor c = Tf.matmul(batch, v);
        assertEquals(Shape.of(2, 2, 2), c.shape());
        assertArrayEquals(new float[]{1, 2, 3, 4, 2, 4, 6, 8}, c.toFloatArray());
        Tensor ones = Tf.constant(new float[1 * 3 * 2 * 4], 1, 3, 2, 4);
        assertEquals(Shape.of(5, 3, 2, 7), Tf.matmul(ones, Tf.constant(new float[5 * 1 * 4 * 7], 5, 1, 4, 7)).shape());
    }

    @Test
    void integersAndDoubles() {
        assertArrayEquals(new int[]{19, 22, 43, 50},
                Tf.matmul(Tf.constant(new int[][]{{1, 2}, {3, 4}}), Tf.constant(new int[][]{{5, 6}, {7, 8}})).toIntArray());
        assertArrayEquals(new double[]{0.25}, Tf.matmul(Tf.constant(new double[][]{{0.5}}), Tf.constant(new double[][]{{0.5}})).toDoubleArray());
    }

    @Test
    void emptyInnerDimGivesZeros() {
        Tensor c = Tf.matmul(Tf.constant(new float[0], 2, 0), Tf.constant(new float[0], 0, 3));
        assertArrayEquals(new float[6], c.toFloatArray());
    }

    @Test
    void errorsUseTfWording() {
        var rank = assertThrows(InvalidArgumentError.class, () -> Tf.matmul(Tf.constant(new float[3]), Tf.constant(new float[3][2])));
        assertTrue(rank.getMessage().contains("In[0] and In[1] has different ndims: [3] vs. [3,2]"), rank.getMessage());
        var inner = assertThrows(InvalidArgumentError.class, () -> Tf.matmul(a, a));
        assertTrue(inner.getMessage().contains("Matrix size-incompatible: In[0]: [2,3], In[1]: [2,3]"), inner.getMessage());
        var batch = assertThrows(InvalidArgumentError.class,
                () -> Tf.matmul(Tf.constant(new float[24], 2, 3, 4), Tf.constant(new float[60], 3, 4, 5)));
        assertTrue(batch.getMessage().contains("must have compatible batch dimensions: [2,3,4] vs. [3,4,5]"), batch.getMessage());
        assertThrows(DTypeError.class, () -> Tf.matmul(a, Tf.constant(new double[][]{{1}, {2}, {3}})));
    }

    @Test
    void largeProductMatchesADoubleReference() {
        int n = 70, k = 130, p = 45;
        float[] x = new float[n * k], y = new float[k * p];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.cos(i * 0.37);
        for (int i = 0; i < y.length; i++) y[i] = (float) Math.sin(i * 0.11);
        float[] c = Tf.matmul(Tf.constant(x, n, k), Tf.constant(y, k, p)).toFloatArray();
        for (int i = 0; i < n; i += 7) {
            for (int j = 0; j < p; j += 5) {
                double exact = 0;
                for (int q = 0; q < k; q++) exact += (double) x[i * k + q] * y[q * p + j];
                assertEquals(exact, c[i * p + j], 1e-4);
            }
        }
    }
}
