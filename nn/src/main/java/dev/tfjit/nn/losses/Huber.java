package dev.tfjit.nn.losses;

import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

import java.util.Map;

/**
 * {@code keras.losses.Huber}: per element {@code e^2/2} where {@code |e| <= delta}, else
 * {@code delta*|e| - delta^2/2}, averaged over the last axis. Quadratic near zero, linear for
 * outliers, so large errors do not dominate the gradient.
 */
public class Huber extends Loss {
    private final double delta;

    public Huber() { this(1.0); }

    public Huber(double delta) { this(delta, Reduction.SUM_OVER_BATCH_SIZE); }

    public Huber(double delta, Reduction reduction) {
        super("huber_loss", reduction);
        this.delta = delta;
    }

    public double delta() { return delta; }

    @Override
    public Tensor call(Tensor yTrue, Tensor yPred) {
        Tensor error = Tf.subtract(yPred, like(yTrue, yPred));
        Tensor absError = Tf.abs(error);
        Tensor quadratic = Tf.square(error).mul(0.5);
        Tensor linear = absError.mul(delta).sub(0.5 * delta * delta);
        return Tf.reduceMean(Tf.where(absError.lessEqual(delta), quadratic, linear), new int[] {-1}, false);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("delta", delta);
        return c;
    }
}
