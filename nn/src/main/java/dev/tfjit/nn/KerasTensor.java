package dev.tfjit.nn;

import dev.tfjit.ir.Shape;

import java.util.List;

/**
 * A placeholder in a functional model's layer graph, like Keras's {@code KerasTensor}: only a
 * shape (batch dim first, unknown) and where it comes from. {@link Layer#on} connects layers;
 * {@link Functional} turns inputs and outputs into a model.
 */
public sealed interface KerasTensor permits KerasTensor.Input, KerasTensor.Node {
    Shape shape();

    /** A model input, like {@code keras.Input(shape=...)} (the shape given without the batch dim). */
    record Input(Shape shape, String name) implements KerasTensor {
        public static Input of(int... shapeWithoutBatch) { return named(null, shapeWithoutBatch); }

        public static Input named(String name, int... shapeWithoutBatch) {
            int[] dims = new int[shapeWithoutBatch.length + 1];
            dims[0] = -1;
            System.arraycopy(shapeWithoutBatch, 0, dims, 1, shapeWithoutBatch.length);
            return new Input(Shape.of(dims), name == null ? "input" : name);
        }

        // Identity, not value equality: two inputs of the same shape are different inputs.
        @Override
        public boolean equals(Object o) { return this == o; }

        @Override
        public int hashCode() { return System.identityHashCode(this); }
    }

    /** The output of calling {@code layer} on {@code inputs}. */
    record Node(Layer layer, List<KerasTensor> inputs, Shape shape) implements KerasTensor {
        @Override
        public boolean equals(Object o) { return this == o; }

        @Override
        public int hashCode() { return System.identityHashCode(this); }
    }
}
