package dev.tfjit.nn;

import dev.tfjit.tracer.Tensor;

/** An elementwise (or last-axis, for softmax) function applied to a layer's output; custom ones are lambdas. */
@FunctionalInterface
public interface Activation {
    Tensor apply(Tensor x);
}
