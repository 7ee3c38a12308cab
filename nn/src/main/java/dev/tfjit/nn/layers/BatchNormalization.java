package dev.tfjit.nn.layers;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.nn.Initializers;
import dev.tfjit.nn.Layer;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;

import java.util.Map;

/**
 * {@code keras.layers.BatchNormalization} over the last axis. In training it normalizes with the
 * batch's mean and variance and moves the non-trainable moving averages toward them
 * ({@code moving = moving*momentum + batch*(1-momentum)}); at inference it uses the moving
 * averages, so predictions do not depend on the batch.
 */
public class BatchNormalization extends Layer {
    private final double momentum;
    private final double epsilon;
    private Variable gamma, beta, movingMean, movingVariance;

    public BatchNormalization() { this(0.99, 1e-3); }

    public BatchNormalization(double momentum, double epsilon) {
        super();
        this.momentum = momentum;
        this.epsilon = epsilon;
    }

    @Override
    public void build(Shape inputShape) {
        if (!inputShape.hasRank() || inputShape.rank() < 1 || !inputShape.isKnown(-1)) {
            throw new InvalidArgumentError("BatchNormalization " + name() + ": the last dimension must be known, got shape " + inputShape);
        }
        int[] dim = {inputShape.dim(-1)};
        gamma = addWeight("gamma", dim, Initializers.ones());
        beta = addWeight("beta", dim, Initializers.zeros());
        movingMean = addWeight("moving_mean", dim, Initializers.zeros(), null, false);
        movingVariance = addWeight("moving_variance", dim, Initializers.ones(), null, false);
    }

    @Override
    protected Tensor call(Tensor x) {
        Tensor mean, variance;
        if (training()) {
            int[] axes = new int[x.rank() - 1];
            for (int i = 0; i < axes.length; i++) axes[i] = i;
            mean = Tf.reduceMean(x, axes, false);
            variance = Tf.reduceMean(Tf.square(x.sub(mean)), axes, false);
            movingMean.assign(movingMean.read().mul(momentum).add(Tf.stopGradient(mean).mul(1 - momentum)));
            movingVariance.assign(movingVariance.read().mul(momentum).add(Tf.stopGradient(variance).mul(1 - momentum)));
        } else {
            mean = movingMean.read();
            variance = movingVariance.read();
        }
        Tensor inv = Tf.rsqrt(variance.add(epsilon)).mul(gamma.read());
        return x.sub(mean).mul(inv).add(beta.read());
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) { return inputShape; }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("momentum", momentum);
        c.put("epsilon", epsilon);
        return c;
    }
}
