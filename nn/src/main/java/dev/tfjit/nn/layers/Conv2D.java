package dev.tfjit.nn.layers;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.nn.Activation;
import dev.tfjit.nn.Activations;
import dev.tfjit.nn.Initializer;
import dev.tfjit.nn.Initializers;
import dev.tfjit.nn.Layer;
import dev.tfjit.nn.Regularizer;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;

import java.util.Map;

/**
 * {@code keras.layers.Conv2D} on channels-last images: {@code activation(conv2d(inputs, kernel) + bias)}
 * with a {@code [kH, kW, inChannels, filters]} kernel. Options are set fluently before the first
 * call, e.g. {@code new Conv2D(32, 3, "relu").strides(2).padding("same")}.
 */
public class Conv2D extends Layer {
    private final int filters;
    private final int[] kernelSize;
    private final Activation activation;
    private int[] strides = {1, 1};
    private int[] dilationRate = {1, 1};
    private String padding = "valid";
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializers.glorotUniform(null);
    private Initializer biasInitializer = Initializers.zeros();
    private Regularizer kernelRegularizer;
    private Variable kernel;
    private Variable bias;

    public Conv2D(int filters, int kernelSize) { this(filters, new int[] {kernelSize, kernelSize}, (Activation) null, null); }

    public Conv2D(int filters, int kernelSize, String activation) {
        this(filters, new int[] {kernelSize, kernelSize}, Activations.get(activation), null);
    }

    public Conv2D(int filters, int[] kernelSize, Activation activation, String name) {
        super(name);
        if (filters <= 0) throw new InvalidArgumentError("Conv2D: filters must be positive, got " + filters);
        this.filters = filters;
        this.kernelSize = pair("kernel_size", kernelSize);
        this.activation = activation == null ? Activations.get("linear") : activation;
    }

    /** One int for both dims or (height, width), all positive, as Keras's {@code conv_utils.normalize_tuple}. */
    static int[] pair(String what, int... v) {
        int[] p = switch (v.length) {
            case 1 -> new int[] {v[0], v[0]};
            case 2 -> v.clone();
            default -> throw new InvalidArgumentError("The `" + what + "` argument must be a tuple of 2 integers. Received: " + java.util.Arrays.toString(v));
        };
        if (p[0] <= 0 || p[1] <= 0) {
            throw new InvalidArgumentError("The `" + what + "` argument must be a tuple of 2 positive integers. Received: " + java.util.Arrays.toString(v));
        }
        return p;
    }

    /** Keras's padding names, lower case. */
    static String paddingName(String p) {
        String lower = p.toLowerCase(java.util.Locale.ROOT);
        if (!lower.equals("valid") && !lower.equals("same")) {
            throw new InvalidArgumentError("The `padding` argument must be a list/tuple or one of \"valid\", \"same\". Received: " + p);
        }
        return lower;
    }

    public Conv2D strides(int... s) { strides = pair("strides", s); return this; }

    public Conv2D dilationRate(int... d) { dilationRate = pair("dilation_rate", d); return this; }

    public Conv2D padding(String p) { padding = paddingName(p); return this; }

    public Conv2D useBias(boolean on) { useBias = on; return this; }

    public Conv2D kernelInitializer(Initializer i) { kernelInitializer = i; return this; }

    public Conv2D kernelInitializer(String name) { return kernelInitializer(Initializers.get(name)); }

    public Conv2D biasInitializer(Initializer i) { biasInitializer = i; return this; }

    public Conv2D kernelRegularizer(Regularizer r) { kernelRegularizer = r; return this; }

    public Variable kernel() { return kernel; }

    public Variable bias() { return bias; }

    @Override
    public void build(Shape inputShape) {
        if (!inputShape.hasRank() || inputShape.rank() != 4 || !inputShape.isKnown(3)) {
            throw new InvalidArgumentError("Conv2D " + name() + ": expects inputs of shape (batch, height, width, channels) with known channels, got "
                    + inputShape);
        }
        kernel = addWeight("kernel", new int[] {kernelSize[0], kernelSize[1], inputShape.dim(3), filters}, kernelInitializer, kernelRegularizer,
                null, true);
        if (useBias) bias = addWeight("bias", new int[] {filters}, biasInitializer);
    }

    @Override
    protected Tensor call(Tensor inputs) {
        Tensor z = Tf.conv2d(inputs, kernel.read(), strides, padding.toUpperCase(java.util.Locale.ROOT), dilationRate);
        if (useBias) z = Tf.add(z, bias.read());
        return activation.apply(z);
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        if (!s.hasRank() || s.rank() != 4) return Shape.unknownRank();
        return Shape.of(s.dim(0), outSize(s.dim(1), 0), outSize(s.dim(2), 1), filters);
    }

    private int outSize(int in, int axis) {
        if (in < 0) return -1;
        int eff = (kernelSize[axis] - 1) * dilationRate[axis] + 1;
        return padding.equals("same") ? (in + strides[axis] - 1) / strides[axis] : Math.max(0, (in - eff + strides[axis]) / strides[axis]);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("filters", filters);
        c.put("kernel_size", kernelSize.clone());
        c.put("strides", strides.clone());
        c.put("padding", padding);
        c.put("dilation_rate", dilationRate.clone());
        c.put("activation", Activations.serialize(activation));
        c.put("use_bias", useBias);
        return c;
    }
}
