package dev.tfjit.nn.layers;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.nn.Layer;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

import java.util.Map;

/**
 * {@code keras.layers.Dropout}: in training, {@link Tf#dropout} (zeroes each input with probability
 * {@code rate} and scales the kept ones by {@code 1/(1-rate)} so the expected sum is unchanged);
 * at inference it is the identity.
 */
public class Dropout extends Layer {
    private final double rate;
    private final Integer seed;

    public Dropout(double rate) { this(rate, null); }

    public Dropout(double rate, Integer seed) {
        super();
        if (!(rate >= 0 && rate < 1)) throw new InvalidArgumentError("Dropout: rate must be in [0, 1), got " + rate);
        this.rate = rate;
        this.seed = seed;
    }

    @Override
    protected Tensor call(Tensor inputs) {
        if (!training() || rate == 0) return inputs;
        return Tf.dropout(inputs, rate, seed); // its mask has the shape of tf.shape(inputs): unknown dims are fine
    }

    @Override
    public dev.tfjit.ir.Shape computeOutputShape(dev.tfjit.ir.Shape inputShape) { return inputShape; }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("rate", rate);
        c.put("seed", seed);
        return c;
    }
}
