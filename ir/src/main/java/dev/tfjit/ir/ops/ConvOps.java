package dev.tfjit.ir.ops;

import dev.tfjit.ir.GradientRule;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.kernels.Conv;
import dev.tfjit.ir.kernels.Pool;

import java.util.Arrays;
import java.util.List;

/**
 * 2-D convolution and pooling over NHWC tensors, and their gradients as ops of their own (so a
 * backward pass is made of ops a backend lowers, and can be differentiated again). Attrs as
 * TensorFlow's: {@code strides}, {@code dilations}, {@code ksize} (4 ints each, batch and depth 1),
 * {@code padding} ({@code "SAME"} or {@code "VALID"}), optional {@code data_format} ({@code "NHWC"}).
 * The gradient ops take the forward input itself where TensorFlow takes its shape as a tensor,
 * so output shapes stay static; its values are read only by max_pool_grad.
 */
public final class ConvOps {
    private ConvOps() {}

    /** {@code Conv2D(input [N,H,W,C], filter [kH,kW,C,outC])}. */
    public static final OpDef CONV2D = OpDef.op("conv2d").inputs(2).expensive()
            .type(Conv::type)
            .kernel1((in, a) -> Conv.conv2d(in.get(0), in.get(1), a))
            .gradient((g, c) -> List.of(
                    g.emit1(ConvOps.CONV2D_BACKPROP_INPUT, c.attrs(), c.x(0), c.x(1), c.dy()),
                    g.emit1(ConvOps.CONV2D_BACKPROP_FILTER, c.attrs(), c.x(0), c.x(1), c.dy())))
            .build();

    /** {@code Conv2DBackpropInput}: {@code (input, filter, dy) -> d input}; input's values are not read. */
    public static final OpDef CONV2D_BACKPROP_INPUT = OpDef.op("conv2d_backprop_input").inputs(3).expensive()
            .type((in, a) -> Conv.backpropType("conv2d_backprop_input", in, a, true))
            .kernel1((in, a) -> Conv.backpropInput(in.get(0), in.get(1), in.get(2), a))
            // Linear in (filter, dy): <dd, bpi(w, dy)> = <conv2d(dd, w), dy>.
            .gradient((g, c) -> Arrays.asList(null,
                    g.emit1(ConvOps.CONV2D_BACKPROP_FILTER, c.attrs(), c.dy(), c.x(1), c.x(2)),
                    g.emit1(ConvOps.CONV2D, c.attrs(), c.dy(), c.x(1))))
            .build();

    /** {@code Conv2DBackpropFilter}: {@code (input, filter, dy) -> d filter}; filter's values are not read. */
    public static final OpDef CONV2D_BACKPROP_FILTER = OpDef.op("conv2d_backprop_filter").inputs(3).expensive()
            .type((in, a) -> Conv.backpropType("conv2d_backprop_filter", in, a, false))
            .kernel1((in, a) -> Conv.backpropFilter(in.get(0), in.get(1), in.get(2), a))
            // Linear in (input, dy): <dd, bpf(x, dy)> = <conv2d(x, dd), dy>.
            .gradient((g, c) -> Arrays.asList(
                    g.emit1(ConvOps.CONV2D_BACKPROP_INPUT, c.attrs(), c.x(0), c.dy(), c.x(2)),
                    null,
                    g.emit1(ConvOps.CONV2D, c.attrs(), c.x(0), c.dy())))
            .build();

    /** {@code MaxPool(input)}; attrs {@code ksize}, {@code strides}, {@code padding}. */
    public static final OpDef MAX_POOL = OpDef.op("max_pool").inputs(1)
            .type((in, a) -> Pool.type("MaxPool", in, a))
            .kernel1((in, a) -> Pool.maxPool(in.get(0), a))
            .gradient(GradientRule.of1((g, c) -> g.emit1(ConvOps.MAX_POOL_GRAD, c.attrs(), c.x(), c.dy())))
            .build();

    /**
     * {@code MaxPoolGrad(input, dy)}: routes each output's gradient to its window's maximum.
     * TensorFlow's op also takes the forward output; the winner is found again from the input.
     * Not differentiable (TensorFlow's MaxPoolGradGrad is not provided).
     */
    public static final OpDef MAX_POOL_GRAD = OpDef.op("max_pool_grad").inputs(2)
            .type((in, a) -> Pool.gradType("MaxPoolGrad", in, a))
            .kernel1((in, a) -> Pool.maxPoolGrad(in.get(0), in.get(1), a))
            .build();

    /** {@code AvgPool(input)}; attrs {@code ksize}, {@code strides}, {@code padding}. */
    public static final OpDef AVG_POOL = OpDef.op("avg_pool").inputs(1)
            .type((in, a) -> Pool.type("AvgPool", in, a))
            .kernel1((in, a) -> Pool.avgPool(in.get(0), a))
            .gradient(GradientRule.of1((g, c) -> g.emit1(ConvOps.AVG_POOL_GRAD, c.attrs(), c.x(), c.dy())))
            .build();

    /** {@code AvgPoolGrad(input, dy)}: input's values are not read. Linear in dy, whose gradient is avg_pool. */
    public static final OpDef AVG_POOL_GRAD = OpDef.op("avg_pool_grad").inputs(2)
            .type((in, a) -> Pool.gradType("AvgPoolGrad", in, a))
            .kernel1((in, a) -> Pool.avgPoolGrad(in.get(0), in.get(1), a))
            .gradient((g, c) -> Arrays.asList(null, g.emit1(ConvOps.AVG_POOL, c.attrs(), c.dy())))
            .build();
}
