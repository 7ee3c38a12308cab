package dev.tfjit.nn.layers;

import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

/** {@code keras.layers.AveragePooling2D}: the mean of each window's elements inside the input (default 2x2, strides = pool size, "valid"). */
public class AveragePooling2D extends Pooling2D {
    public AveragePooling2D() { this(new int[] {2, 2}, null, "valid", null); }

    public AveragePooling2D(int poolSize) { this(new int[] {poolSize}, null, "valid", null); }

    public AveragePooling2D(int[] poolSize, int[] strides, String padding, String name) { super(poolSize, strides, padding, name); }

    @Override
    protected Tensor pool(Tensor inputs, int[] ksize, int[] strides, String padding) { return Tf.avgPool2d(inputs, ksize, strides, padding); }
}
