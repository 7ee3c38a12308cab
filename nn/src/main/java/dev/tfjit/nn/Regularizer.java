package dev.tfjit.nn;

import dev.tfjit.tracer.Tensor;

/** A penalty on a weight, added to the model's losses, like {@code keras.regularizers.Regularizer}; custom ones are lambdas. */
@FunctionalInterface
public interface Regularizer {
    Tensor apply(Tensor weight);

    /** {@code l1 * sum(|w|)}. */
    static Regularizer l1(double l1) { return w -> w.abs().sum().mul(l1); }

    /** {@code l2 * sum(w^2)} (Keras has no 1/2 factor). */
    static Regularizer l2(double l2) { return w -> w.square().sum().mul(l2); }

    static Regularizer l1l2(double l1, double l2) { return w -> l1(l1).apply(w).add(l2(l2).apply(w)); }
}
