package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.TfException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Conversions between tensors and Java arrays. */
class JavaArraysTest {
    @Test
    void javaTypesPickTheirDtypes() {
        assertEquals(DType.FLOAT32, Tf.constant(new float[] {1}).dtype());
        assertEquals(DType.FLOAT64, Tf.constant(new double[] {1}).dtype());
        assertEquals(DType.INT32, Tf.constant(new int[] {1}).dtype());
        assertEquals(DType.INT64, Tf.constant(new long[] {1}).dtype());
        assertEquals(DType.INT16, Tf.constant(new short[] {1}).dtype());
        assertEquals(DType.INT8, Tf.constant(new byte[] {1}).dtype());
        assertEquals(DType.BOOL, Tf.constant(new boolean[] {true}).dtype());
        assertEquals(DType.STRING, Tf.constant(new String[] {"a"}).dtype());
    }

    @Test
    void raggedArraysAreRejected() {
        var e = assertThrows(ShapeError.class, () -> Tf.constant(new int[][] {{1, 2}, {3}}));
        assertTrue(e.getMessage().contains("not rectangular"), e.getMessage());
        assertThrows(ShapeError.class, () -> Tf.constant(new float[][][] {{{1}}, {{1}, {2}}}));
    }

    @Test
    void unsupportedJavaValuesAreRejected() {
        assertThrows(TfException.class, () -> Tf.constant(new Object()));
        assertThrows(TfException.class, () -> Tf.constant(new double[] {1.5}, DType.INT32));
        assertThrows(TfException.class, () -> Tf.constant(new String[] {"a"}, DType.FLOAT32));
    }

    @Test
    void nestedArraysComeBackWithTheirElementTypes() {
        assertArrayEquals(new float[][] {{1, 2}, {3, 4}}, (float[][]) Tf.constant(new float[][] {{1, 2}, {3, 4}}).toArray());
        assertArrayEquals(new double[] {0.5}, (double[]) Tf.constant(new double[] {0.5}).toArray());
        assertArrayEquals(new long[][] {{-1L}}, (long[][]) Tf.constant(new long[][] {{-1L}}).toArray());
        assertArrayEquals(new int[] {-1, 2}, (int[]) Tf.constant(new int[] {-1, 2}, DType.INT8).toArray());
        assertArrayEquals(new int[] {255}, (int[]) Tf.constant(new int[] {255}, DType.UINT8).toArray());
        assertArrayEquals(new int[] {-3}, (int[]) Tf.constant(new short[] {-3}).toArray());
        assertArrayEquals(new boolean[] {true, false}, (boolean[]) Tf.constant(new boolean[] {true, false}).toArray());
        assertArrayEquals(new String[][] {{"x"}}, (String[][]) Tf.constant(new String[][] {{"x"}}).toArray());
        assertArrayEquals(new float[] {0.5f}, (float[]) Tf.constant(new float[] {0.5f}, DType.FLOAT16).toArray());
        assertArrayEquals(new float[] {2f}, (float[]) Tf.constant(new float[] {2f}, DType.BFLOAT16).toArray());
        assertEquals(7, Tf.constant(7).toArray());
        // An empty Java array keeps no inner lengths, so only its rank survives.
        assertEquals(Shape.of(0, 0), Tf.constant(new int[0][2]).shape());
        assertEquals(0, ((float[][]) Tf.zeros(0, 2).toArray()).length);
    }

    @Test
    void conversionToANarrowDtypeWrapsLikeTensorFlow() {
        assertArrayEquals(new int[] {-56, 44}, Tf.constant(new int[] {200, 300}, DType.INT8).toIntArray());
        assertArrayEquals(new int[] {44}, Tf.constant(new int[] {300}, DType.UINT8).toIntArray());
    }
}
