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
 * {@code keras.layers.LayerNormalization} over the last axis (the seed's exercise): each sample
 * is normalized by its own mean and variance, then scaled by {@code gamma} and shifted by
 * {@code beta}; the same in training and inference.
 */
public class LayerNormalization extends Layer {
    private final double epsilon;
    private Variable gamma, beta;

    public LayerNormalization() { this(1e-3); }

    public LayerNormalization(double epsilon) {
        super();
        this.epsilon = epsilon;
    }

    @Override
    public void build(Shape inputShape) {
        if (!inputShape.hasRank() || inputShape.rank() < 1 || !inputShape.isKnown(-1)) {
            throw new InvalidArgumentError("LayerNormalization " + name() + ": the last dimension must be known, got shape " + inputShape);
        }
        int[] dim = {inputShape.dim(-1)};
        gamma = addWeight("gamma", dim, Initializers.ones());
        beta = addWeight("beta", dim, Initializers.zeros());
    }

    @Override
    protected Tensor call(Tensor x) {
        Tensor mean = Tf.reduceMean(x, new int[] {-1}, true);
        Tensor variance = Tf.reduceMean(Tf.square(x.sub(mean)), new int[] {-1}, true);
        return x.sub(mean).mul(Tf.rsqrt(variance.add(epsilon))).mul(gamma.read()).add(beta.read());
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) { return inputShape; }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("epsilon", epsilon);
        return c;
    }
}
