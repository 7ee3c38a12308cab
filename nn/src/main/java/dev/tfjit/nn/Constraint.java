package dev.tfjit.nn;

import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

/**
 * A projection applied to a weight after each optimizer update, like
 * {@code keras.constraints.Constraint}; custom ones are lambdas (the seed's my_positive_weights).
 */
@FunctionalInterface
public interface Constraint {
    Tensor apply(Tensor weight);

    /** {@code keras.constraints.NonNeg}: negative entries become zero. */
    static Constraint nonNeg() { return w -> Tf.where(w.less(0.0), Tf.zerosLike(w), w); }

    /**
     * {@code keras.constraints.MaxNorm}: each column (the norm is taken over axis 0, the inputs
     * of a Dense kernel) is scaled down to norm at most {@code maxValue}.
     */
    static Constraint maxNorm(double maxValue) {
        return w -> {
            Tensor norms = Tf.sqrt(Tf.reduceSum(Tf.square(w), new int[] {0}, true));
            Tensor desired = Tf.clipByValue(norms, 0, maxValue);
            return w.mul(desired.div(norms.add(1e-7)));
        };
    }
}
