package dev.tfjit.nn.optimizers;

import dev.tfjit.ir.InvalidArgumentError;

/** Optimizers by Keras name with Keras's default hyperparameters. */
public final class Optimizers {
    private Optimizers() {}

    public static Optimizer get(String name) {
        return switch (name.toLowerCase()) {
            case "sgd" -> new SGD(0.01);
            case "adam" -> new Adam(0.001);
            case "rmsprop" -> new RMSprop(0.001);
            case "adagrad" -> new Adagrad(0.001);
            case "nadam" -> new Nadam(0.001);
            default -> throw new InvalidArgumentError("Could not interpret optimizer identifier: " + name);
        };
    }
}
