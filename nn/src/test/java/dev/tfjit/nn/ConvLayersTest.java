package dev.tfjit.nn;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.nn.layers.AveragePooling2D;
import dev.tfjit.nn.layers.Conv2D;
import dev.tfjit.nn.layers.Dense;
import dev.tfjit.nn.layers.Flatten;
import dev.tfjit.nn.layers.MaxPooling2D;
import dev.tfjit.nn.layers.Reshape;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorSpec;
import dev.tfjit.tracer.Tf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conv2D, MaxPooling2D, AveragePooling2D and Reshape: shapes, parameter counts, the conv itself, configs. */
class ConvLayersTest {
    private static Sequential cnn() {
        return new Sequential(new int[] {28, 28}, new Reshape(28, 28, 1), new Conv2D(16, 3, "relu"), new MaxPooling2D(2),
                new Conv2D(32, 3, "relu"), new MaxPooling2D(2), new Flatten(), new Dense(10));
    }

    @Test
    void summaryOfTheSmallConvNet() {
        String s = cnn().summary();
        assertTrue(s.matches("(?s).* reshape(_\\d+)? \\(Reshape\\) +\\(None, 28, 28, 1\\) +0\n.*"), s);
        assertTrue(s.matches("(?s).* conv2d(_\\d+)? \\(Conv2D\\) +\\(None, 26, 26, 16\\) +160\n.*"), s);
        assertTrue(s.matches("(?s).* max_pooling2d(_\\d+)? \\(MaxPooling2D\\) +\\(None, 13, 13, 16\\) +0\n.*"), s);
        assertTrue(s.matches("(?s).* conv2d(_\\d+)? \\(Conv2D\\) +\\(None, 11, 11, 32\\) +4640\n.*"), s);
        assertTrue(s.matches("(?s).* max_pooling2d(_\\d+)? \\(MaxPooling2D\\) +\\(None, 5, 5, 32\\) +0\n.*"), s);
        assertTrue(s.matches("(?s).* flatten(_\\d+)? \\(Flatten\\) +\\(None, 800\\) +0\n.*"), s);
        assertTrue(s.contains("Total params: 12,810"), s);
    }

    @Test
    void computedOutputShapesMatchTheOutputs() {
        Tensor x = Tf.random.normal(2, 9, 7, 3);
        Layer[] layers = {new Conv2D(4, 3), new Conv2D(4, 3).padding("same").strides(2), new Conv2D(2, 2).dilationRate(2),
                new MaxPooling2D(), new MaxPooling2D(new int[] {3, 2}, new int[] {2, 1}, "same", null), new AveragePooling2D(3),
                new AveragePooling2D(new int[] {2}, new int[] {1}, "SAME", null), new Reshape(-1, 3), new Reshape(7, 9, 3)};
        for (Layer l : layers) {
            Tensor y = l.apply(x);
            assertEquals(l.computeOutputShape(Shape.of(-1, 9, 7, 3)).withDim(0, 2), y.shape(), l.toString());
        }
    }

    @Test
    void conv2dIsTheConvolutionOfTheKernelPlusTheBias() {
        Conv2D conv = new Conv2D(2, new int[] {2, 1}, null, null).biasInitializer(Initializers.constant(0.5))
                .kernelInitializer(Initializers.constant(1));
        Tensor x = Tf.constant(new float[] {1, 2, 3, 4, 5, 6}, 1, 3, 2, 1);
        Tensor y = conv.apply(x);
        assertEquals(Shape.of(1, 2, 2, 2), y.shape());
        // Each output sums a column pair of rows: (1+3, 2+4, 3+5, 4+6) + 0.5, the same for both filters.
        assertArrayEquals(new float[] {4.5f, 4.5f, 6.5f, 6.5f, 8.5f, 8.5f, 10.5f, 10.5f}, y.toFloatArray());
        assertEquals(2 * 1 * 1 * 2 + 2, conv.countParams());
    }

    @Test
    void reshapeResolvesMinusOneEvenWithAnUnknownBatch() {
        Reshape r = new Reshape(-1, 4);
        Tensor traced = Function.of((Tensor t) -> r.apply(t)).withInputSignature(TensorSpec.of(dev.tfjit.ir.DType.FLOAT32, "?", 2, 6))
                .call(Tf.zeros(3, 2, 6));
        assertEquals(Shape.of(3, 3, 4), traced.shape());
        assertThrows(InvalidArgumentError.class, () -> new Reshape(-1, -1));
        assertThrows(InvalidArgumentError.class, () -> new Reshape(5).apply(Tf.zeros(2, 3)));
    }

    @Test
    void badArgumentsAreKerasErrors() {
        assertTrue(assertThrows(InvalidArgumentError.class, () -> new Conv2D(4, 3).padding("full")).getMessage().contains("\"valid\", \"same\""));
        assertTrue(assertThrows(InvalidArgumentError.class, () -> new Conv2D(4, 3).strides(1, 2, 3)).getMessage().contains("`strides`"));
        assertTrue(assertThrows(InvalidArgumentError.class, () -> new Conv2D(4, 3).apply(Tf.zeros(2, 5, 5))).getMessage().contains("(batch, height, width, channels)"));
    }

    @Test
    void aSavedConvNetLoadsAndPredictsIdentically(@TempDir Path dir) {
        Sequential original = new Sequential(new int[] {8, 8}, new Reshape(8, 8, 1), new Conv2D(3, 3, "relu").padding("same").strides(2),
                new AveragePooling2D(2), new MaxPooling2D(new int[] {1}, new int[] {1}, "valid", null), new Flatten(), new Dense(2));
        Tensor x = Tf.random.normal(4, 8, 8);
        Models.save(original, dir);
        Sequential loaded = Models.load(dir);
        assertEquals(original.countParams(), loaded.countParams());
        assertArrayEquals(original.predict(x, 4).toFloatArray(), loaded.predict(x, 4).toFloatArray());
    }
}
