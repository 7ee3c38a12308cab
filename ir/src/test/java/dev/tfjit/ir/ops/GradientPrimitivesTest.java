package dev.tfjit.ir.ops;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The primitives added for gradients: sum_to_shape (broadcast reduction at run time) and stop_gradient. */
class GradientPrimitivesTest {
    private static Buffer shape(long... dims) { return Buffer.ofLongs(Shape.of(dims.length), dims); }

    private static Buffer sumToShape(Buffer g, long... target) {
        return ReductionOps.SUM_TO_SHAPE.evaluate(List.of(g, shape(target)), Attrs.of("shape", Shape.of(target))).get(0);
    }

    @Test
    void sumsLeadingDimsAndDimsOfOne() {
        Buffer g = Buffer.ofFloats(Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
        assertArrayEquals(new float[] {5, 7, 9}, sumToShape(g, 3).toFloatArray());
        assertArrayEquals(new float[] {6, 15}, sumToShape(g, 2, 1).toFloatArray());
        assertEquals(Shape.of(1, 1), sumToShape(g, 1, 1).shape());
        assertArrayEquals(new float[] {21}, sumToShape(g, 1, 1).toFloatArray());
        assertArrayEquals(new float[] {21}, sumToShape(g).toFloatArray());
        assertArrayEquals(g.toFloatArray(), sumToShape(g, 2, 3).toFloatArray());
    }

    @Test
    void emptyGradientsSumToZeros() {
        Buffer g = Buffer.allocate(DType.FLOAT64, Shape.of(0, 3));
        assertArrayEquals(new double[] {0, 0, 0}, sumToShape(g, 1, 3).toDoubleArray());
    }

    @Test
    void aShapeTheGradientDidNotBroadcastFromIsAnError() {
        Buffer g = Buffer.ofFloats(Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
        InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> sumToShape(g, 2));
        assertTrue(e.getMessage().contains("[2,3]") && e.getMessage().contains("[2]"), e.getMessage());
        assertThrows(InvalidArgumentError.class, () -> sumToShape(g, 1, 2, 3, 4));
    }

    @Test
    void theStaticShapeComesFromTheAttributeUnknownDimsIncluded() {
        TensorType t = ReductionOps.SUM_TO_SHAPE.inferTypes(List.of(TensorType.of(DType.FLOAT32, -1, 3), TensorType.of(DType.INT32, 2)),
                Attrs.of("shape", Shape.of(-1, 1))).get(0);
        assertEquals(TensorType.of(DType.FLOAT32, -1, 1), t);
        DTypeError e = assertThrows(DTypeError.class, () -> ReductionOps.SUM_TO_SHAPE.inferTypes(
                List.of(TensorType.of(DType.FLOAT32, 3), TensorType.of(DType.FLOAT32, 1)), Attrs.of("shape", Shape.of(1))));
        assertTrue(e.getMessage().contains("sum_to_shape") && e.getMessage().contains("float32"), e.getMessage());
    }

    @Test
    void stopGradientIsTheIdentityWithoutAGradient() {
        Buffer x = Buffer.ofFloats(Shape.of(2), 1, 2);
        assertSame(x, ArrayOps.STOP_GRADIENT.evaluate(List.of(x), Attrs.EMPTY).get(0));
        assertEquals(TensorType.of(DType.FLOAT32, -1), ArrayOps.STOP_GRADIENT.inferTypes(List.of(TensorType.of(DType.FLOAT32, -1)), Attrs.EMPTY).get(0));
        assertSame(dev.tfjit.ir.GradientRule.NONE, ArrayOps.STOP_GRADIENT.gradient());
    }
}
