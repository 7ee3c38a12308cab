package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.ShapeError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SmokeTest {
    @Test
    void addsWithBroadcasting() {
        Tensor a = Tf.constant(new float[][]{{1, 2, 3}, {4, 5, 6}});
        Tensor b = Tf.constant(new float[]{10, 20, 30});
        assertArrayEquals(new float[]{11, 22, 33, 14, 25, 36}, a.add(b).toFloatArray());
        assertArrayEquals(new float[]{3, 5, 7, 9, 11, 13}, a.mul(2).add(1).toFloatArray());
    }

    @Test
    void noImplicitCasts() {
        var e = assertThrows(DTypeError.class, () -> Tf.constant(2f).add(Tf.constant(40.0)));
        assertTrue(e.getMessage().contains("float32") && e.getMessage().contains("float64"), e.getMessage());
        assertTrue(e.getMessage().contains("SmokeTest.java"), e.getMessage());
    }

    @Test
    void broadcastErrorNamesShapes() {
        var e = assertThrows(ShapeError.class, () -> Tf.constant(new float[2][3]).add(Tf.constant(new float[4])));
        assertTrue(e.getMessage().contains("Incompatible shapes: [2,3] vs. [4]"), e.getMessage());
    }

    @Test
    void int8Wraps() {
        Tensor a = Tf.constant(new int[]{100, -100}, DType.INT8);
        assertArrayEquals(new int[]{-56, 56}, a.add(a).toIntArray());
    }
}
