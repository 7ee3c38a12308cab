package dev.tfjit.nn;

import dev.tfjit.ir.DType;
import dev.tfjit.tracer.Tensor;

/** Creates a weight's initial value from its shape, like {@code keras.initializers.Initializer}; custom ones are lambdas. */
@FunctionalInterface
public interface Initializer {
    Tensor apply(int[] shape, DType dtype);
}
