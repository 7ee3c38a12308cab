package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.IrPrinter;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.TfException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** {@code tf.random.*(tf.shape(x))}: random ops whose shape is a tensor, and {@code tf.nn.dropout} built on them. */
class RandomShapeOperandTest {
    @AfterEach
    void noGlobalSeedLeaksIntoOtherTests() { Tf.random.clearSeed(); }

    @Test
    void aShapeTensorDrawsTheNumbersOfTheSameStaticShape() {
        Tensor dims = Tf.constant(new int[] {3, 5});
        Tensor dims64 = Tf.constant(new long[] {3, 5});
        Tf.random.setSeed(11);
        float[] u = Tf.random.uniform(new int[] {3, 5}, 0, 1, DType.FLOAT32, 2).toFloatArray();
        float[] n = Tf.random.normal(new int[] {3, 5}, 0, 1, DType.FLOAT32, 3).toFloatArray();
        float[] t = Tf.random.truncatedNormal(new int[] {3, 5}, 0, 1, DType.FLOAT32, 4).toFloatArray();
        long[] i = Tf.random.uniform(new int[] {3, 5}, -4, 9, DType.INT64, 5).toLongArray();
        Tf.random.setSeed(11);
        Tensor u2 = Tf.random.uniform(dims, 0, 1, DType.FLOAT32, 2);
        assertEquals(Shape.of(3, 5), u2.shape());
        assertArrayEquals(u, u2.toFloatArray());
        assertArrayEquals(n, Tf.random.normal(dims64, 0, 1, DType.FLOAT32, 3).toFloatArray());
        assertArrayEquals(t, Tf.random.truncatedNormal(dims, 0, 1, DType.FLOAT32, 4).toFloatArray());
        assertArrayEquals(i, Tf.random.uniform(dims, -4, 9, DType.INT64, 5).toLongArray());
    }

    @Test
    void tracedShapeOfAnUnknownBatchKeepsTheKnownDims() {
        Function f = Function.of((Tensor x) -> Tf.random.uniform(Tf.shape(x)).add(x))
                .withInputSignature(TensorSpec.of(DType.FLOAT32, "?", 7));
        ConcreteFunction c = f.concrete(TensorSpec.of(DType.FLOAT32, "?", 7));
        String ir = IrPrinter.print(c.tracedGraph());
        assertTrue(ir.matches("(?s).*= random_uniform %\\w+ \\{[^}]*shape=\\[-1, 7\\][^}]*\\} : f32\\[\\?,7\\].*"), ir);
        for (int batch : new int[] {5, 2, 0}) {
            Tensor y = f.call(Tf.zeros(batch, 7));
            assertEquals(Shape.of(batch, 7), y.shape());
            for (float v : y.toFloatArray()) assertTrue(v >= 0 && v < 1, "uniform value " + v);
        }
        assertEquals(1, f.traceCount());
    }

    @Test
    void aShapeComputedAtRunTimeIsKnownOnlyByItsLength() {
        Function f = Function.of((Tensor s) -> Tf.random.normal(s)).withInputSignature(TensorSpec.of(DType.INT32, 2));
        assertEquals(Shape.of(-1, -1), f.concrete(TensorSpec.of(DType.INT32, 2)).tracedGraph().resultTypes().get(0).shape());
        assertEquals(Shape.of(4, 3), f.call(Tf.constant(new int[] {4, 3})).shape());
        InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> f.call(Tf.constant(new int[] {-1, 3})));
        assertTrue(e.getMessage().contains("Dimension -1 must be >= 0"), e.getMessage());
    }

    // ---- bad shapes, with TF's messages ----

    @Test
    void aShapeTensorMustBeAnInt32OrInt64Vector() {
        DTypeError d = assertThrows(DTypeError.class, () -> Tf.random.uniform(Tf.constant(new float[] {2, 3})));
        assertTrue(d.getMessage().contains("Value for attr 'T' of float32 is not in the list of allowed values for random_uniform: int32, int64"),
                d.getMessage());
        ShapeError r = assertThrows(ShapeError.class, () -> Tf.random.normal(Tf.constant(new int[][] {{2, 3}})));
        assertTrue(r.getMessage().contains("Shape must be rank 1 but is rank 2"), r.getMessage());
        assertThrows(ShapeError.class, () -> Tf.random.truncatedNormal(Tf.constant(4)));
        assertThrows(DTypeError.class, () -> Tf.random.uniform(Tf.constant(new float[] {2}), 0, 5, DType.INT32, null));
    }

    @Test
    void negativeDimsFailAsTfsKernelsFail() {
        for (int d : new int[] {-1, -7}) {
            InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> Tf.random.uniform(Tf.constant(new int[] {2, d})));
            assertTrue(e.getMessage().contains("Dimension " + d + " must be >= 0"), e.getMessage());
        }
        Function f = Function.of(() -> Tf.random.uniform(Tf.constant(new int[] {-3, 2})));
        InvalidArgumentError traced = assertThrows(InvalidArgumentError.class, f::call);
        assertTrue(traced.getMessage().contains("Dimension -3 must be >= 0"), traced.getMessage());
    }

    // ---- tf.nn.dropout ----

    @Test
    void dropoutKeepsScaledValuesOrZeroesThemAndWorksOnUnknownBatches() {
        Function f = Function.of((Tensor x) -> Tf.dropout(x, 0.25, 9)).withInputSignature(TensorSpec.of(DType.FLOAT32, "?", 64));
        for (int batch : new int[] {32, 7}) {
            float[] x = new float[batch * 64];
            for (int k = 0; k < x.length; k++) x[k] = 1 + k % 13;
            Tensor y = f.call(Tf.constant(x, batch, 64));
            assertEquals(Shape.of(batch, 64), y.shape());
            float[] v = y.toFloatArray();
            int kept = 0;
            for (int k = 0; k < v.length; k++) {
                if (v[k] == 0) continue;
                assertEquals(x[k] * (float) (1 / 0.75), v[k], 0f, "kept elements are scaled by 1/(1-rate)");
                kept++;
            }
            double frac = kept / (double) v.length;
            assertTrue(frac > 0.6 && frac < 0.9, "kept fraction " + frac);
        }
    }

    @Test
    void dropoutChecksItsRateAndDtypeWithTfsMessages() {
        Tensor x = Tf.ones(2, 2);
        for (double rate : new double[] {1.0, -0.1, Double.NaN}) {
            InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> Tf.dropout(x, rate));
            assertTrue(e.getMessage().contains("`rate` must be a scalar tensor or a float in the range [0, 1). Received: rate="), e.getMessage());
        }
        TfException d = assertThrows(TfException.class, () -> Tf.dropout(Tf.constant(new int[] {1, 2}), 0.5));
        assertTrue(d.getMessage().contains("`x.dtype` must be a floating point tensor as `x` will be scaled. Received: x_dtype=int32"), d.getMessage());
        assertSame(x, Tf.dropout(x, 0.0), "rate 0 is the identity, as in TF");
    }
}
