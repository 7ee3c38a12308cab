package dev.tfjit.nn.layers;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.nn.Layer;
import dev.tfjit.tracer.Tensor;

import java.util.Map;

/** What Keras's MaxPooling2D and AveragePooling2D share: pool size, strides (default: the pool size) and padding over channels-last images. */
public abstract class Pooling2D extends Layer {
    private final int[] poolSize;
    private final int[] strides;
    private final String padding;

    protected Pooling2D(int[] poolSize, int[] strides, String padding, String name) {
        super(name);
        this.poolSize = Conv2D.pair("pool_size", poolSize);
        this.strides = strides == null ? this.poolSize.clone() : Conv2D.pair("strides", strides);
        this.padding = Conv2D.paddingName(padding);
    }

    /** The pooling op on NHWC inputs. */
    protected abstract Tensor pool(Tensor inputs, int[] ksize, int[] strides, String padding);

    @Override
    protected Tensor call(Tensor inputs) {
        if (inputs.shape().hasRank() && inputs.rank() != 4) {
            throw new InvalidArgumentError(getClass().getSimpleName() + " " + name() + ": expects inputs of shape (batch, height, width, channels), got "
                    + inputs.shape());
        }
        return pool(inputs, poolSize, strides, padding.toUpperCase(java.util.Locale.ROOT));
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        if (!s.hasRank() || s.rank() != 4) return Shape.unknownRank();
        return Shape.of(s.dim(0), outSize(s.dim(1), 0), outSize(s.dim(2), 1), s.dim(3));
    }

    private int outSize(int in, int axis) {
        if (in < 0) return -1;
        return padding.equals("same") ? (in + strides[axis] - 1) / strides[axis] : Math.max(0, (in - poolSize[axis] + strides[axis]) / strides[axis]);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("pool_size", poolSize.clone());
        c.put("strides", strides.clone());
        c.put("padding", padding);
        return c;
    }
}
