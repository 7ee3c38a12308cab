package dev.tfjit.tracer;

import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TfException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tf.nn.conv2d / max_pool2d / avg_pool2d through the Tf facade: Python's argument forms, eagerly and traced, with gradients. */
class ConvAndPoolTest {
    /** 0..15 as a [1, 4, 4, 1] image. */
    private static Tensor image() {
        float[] v = new float[16];
        for (int i = 0; i < 16; i++) v[i] = i;
        return Tf.constant(v, 1, 4, 4, 1);
    }

    private static Tensor ones(int... shape) { return Tf.ones(shape); }

    @Test
    void stridesTakeOneTwoOrFourInts() {
        Tensor y1 = Tf.conv2d(image(), ones(3, 3, 1, 1), new int[] {2}, "SAME");
        Tensor y2 = Tf.conv2d(image(), ones(3, 3, 1, 1), new int[] {2, 2}, "SAME");
        Tensor y4 = Tf.conv2d(image(), ones(3, 3, 1, 1), new int[] {1, 2, 2, 1}, "SAME");
        assertArrayEquals(new float[] {45, 39, 66, 50}, y1.toFloatArray());
        assertArrayEquals(y1.toFloatArray(), y2.toFloatArray());
        assertArrayEquals(y1.toFloatArray(), y4.toFloatArray());
        TfException e = assertThrows(TfException.class, () -> Tf.conv2d(image(), ones(3, 3, 1, 1), new int[] {1, 2, 2}, "SAME"));
        assertEquals("strides should be of length 1, 2 or 4 but was 3", e.getMessage());
    }

    @Test
    void dilationsSpreadTheFilter() {
        // A 2x2 filter of ones dilated by 2 reads x[i][j] + x[i][j+2] + x[i+2][j] + x[i+2][j+2].
        Tensor y = Tf.conv2d(image(), ones(2, 2, 1, 1), new int[] {1}, "VALID", new int[] {2});
        assertEquals(Shape.of(1, 2, 2, 1), y.shape());
        assertArrayEquals(new float[] {20, 24, 36, 40}, y.toFloatArray());
    }

    @Test
    void pools() {
        assertArrayEquals(new float[] {5, 7, 13, 15}, Tf.maxPool2d(image(), new int[] {2}, new int[] {2}, "VALID").toFloatArray());
        assertArrayEquals(new float[] {5, 6.5f, 11, 12.5f}, Tf.avgPool2d(image(), new int[] {3}, new int[] {2}, "SAME").toFloatArray());
    }

    /** A small conv net's loss and gradients are the same eagerly and in a traced Function. */
    @Test
    void tracedConvNetGradientsEqualTheEagerOnes() {
        Tensor x = Tf.reshape(Tf.range(0, 2 * 6 * 6 * 2).cast(dev.tfjit.ir.DType.FLOAT32).mul(0.01f), new int[] {2, 6, 6, 2});
        Variable k = new Variable(Tf.reshape(Tf.range(0, 3 * 3 * 2 * 4).cast(dev.tfjit.ir.DType.FLOAT32).mul(0.03f).sub(0.5f), new int[] {3, 3, 2, 4}));
        java.util.function.Supplier<List<Tensor>> step = () -> {
            GradientTape tape = new GradientTape();
            Tensor h = Tf.relu(Tf.conv2d(x, k.read(), new int[] {1}, "SAME"));
            Tensor p = Tf.maxPool2d(h, new int[] {2}, new int[] {2}, "VALID");
            Tensor a = Tf.avgPool2d(p, new int[] {2}, new int[] {1}, "SAME");
            Tensor loss = Tf.reduceSum(a.mul(a));
            tape.close();
            return List.of(loss, tape.gradient(loss, k));
        };
        List<Tensor> eager = step.get();
        List<Tensor> traced = Function.of(step::get).callAll();
        assertEquals(eager.get(0).item(), traced.get(0).item(), 0);
        assertArrayEquals(eager.get(1).toFloatArray(), traced.get(1).toFloatArray());
        assertEquals(Shape.of(3, 3, 2, 4), traced.get(1).shape());
        assertTrue(Math.abs(eager.get(1).toFloatArray()[0]) > 0);
    }
}
