package dev.tfjit.tracer;

import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TfException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** tf.tensordot (built on matmul) and tf.math.in_top_k. */
class TensordotAndInTopKTest {
    @Test
    void tensordotWithOneAxisIsMatmul() {
        Tensor a = Tf.constant(new float[][]{{1, 2}, {3, 4}});
        Tensor b = Tf.constant(new float[][]{{5, 6}, {7, 8}});
        assertArrayEquals(new float[]{19, 22, 43, 50}, Tf.tensordot(a, b, 1).toFloatArray());
        assertEquals(70f, Tf.tensordot(a, b, 2).floatValue()); // sum of elementwise products
        assertEquals(Shape.of(2, 2, 2, 2), Tf.tensordot(a, b, 0).shape()); // outer product
    }

    @Test
    void tensordotOverChosenAxes() {
        // contract a's axis 0 with b's axis 0: a^T b
        Tensor a = Tf.constant(new float[][]{{1, 2, 3}, {4, 5, 6}});
        Tensor b = Tf.constant(new float[][]{{1, 0}, {0, 1}});
        int[] axes = {0};
        Tensor r = Tf.tensordot(a, b, axes, new int[]{-2});
        assertEquals(Shape.of(3, 2), r.shape());
        assertArrayEquals(new float[]{1, 4, 2, 5, 3, 6}, r.toFloatArray());
        assertEquals(0, axes[0], "the caller's axes are not modified");
        assertThrows(TfException.class, () -> Tf.tensordot(a, b, new int[]{0, 1}, new int[]{0}));
    }

    @Test
    void inTopKCountsTiesAsIn() {
        Tensor predictions = Tf.constant(new float[][]{{0.1f, 0.8f, 0.1f}, {0.3f, 0.3f, 0.4f}, {Float.NaN, 1, 0}});
        Tensor targets = Tf.constant(new int[]{1, 0, 0});
        assertArrayEquals(new boolean[]{true, false, false}, Tf.inTopK(targets, predictions, 1).toBooleanArray());
        assertArrayEquals(new boolean[]{true, true, false}, Tf.inTopK(targets, predictions, 2).toBooleanArray());
        assertArrayEquals(new boolean[]{false}, Tf.inTopK(Tf.constant(new int[]{7}), Tf.constant(new float[][]{{1, 2}}), 2).toBooleanArray());
    }
}
