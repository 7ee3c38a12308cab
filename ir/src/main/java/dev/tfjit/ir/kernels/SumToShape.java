package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;

import java.util.Arrays;

/**
 * A broadcast result's gradient summed back to an input's shape once that shape is known at
 * run time: TensorFlow's BroadcastGradientArgs, Sum and Reshape in one kernel.
 */
public final class SumToShape {
    private SumToShape() {}

    public static Buffer run(Buffer g, long[] target) {
        long[] axes = axes(g.shape(), target);
        Buffer summed = axes.length == 0 ? g : Reduce.run(Reduce.Kind.SUM, g, Attrs.of("axis", axes, "keepdims", true));
        return summed.reshaped(Shape.of(target));
    }

    /**
     * The axes a gradient of shape {@code gs} is summed over (keeping dims) to reach {@code target}:
     * its leading dims, and dims where target has 1; TF's error when they do not broadcast.
     */
    public static long[] axes(Shape gs, long[] target) {
        int lead = gs.rank() - target.length;
        if (lead < 0) throw incompatible(gs, target);
        long[] axes = new long[gs.rank()];
        int n = 0;
        for (int i = 0; i < lead; i++) axes[n++] = i;
        for (int i = 0; i < target.length; i++) {
            long t = target[i];
            int d = gs.dim(lead + i);
            if (t == 1 && d != 1) axes[n++] = lead + i;
            else if (t != d) throw incompatible(gs, target);
        }
        return Arrays.copyOf(axes, n);
    }

    private static InvalidArgumentError incompatible(Shape g, long[] target) {
        return new InvalidArgumentError("sum_to_shape: a gradient of shape " + g.brief() + " cannot be summed to shape "
                + Shape.of(target).brief() + " (Incompatible shapes)");
    }
}
