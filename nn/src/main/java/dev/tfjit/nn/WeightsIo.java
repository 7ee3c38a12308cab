package dev.tfjit.nn;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code save_weights}/{@code load_weights}: one {@code .npy} file per weight, numbered in the
 * model's weight order (which is creation order, so the same architecture loads the same files),
 * plus an index naming each weight and its shape for humans and error messages.
 */
final class WeightsIo {
    private WeightsIo() {}

    static void save(Layer model, Path dir) {
        List<Variable> weights = model.weights();
        try {
            Files.createDirectories(dir);
            StringBuilder index = new StringBuilder();
            for (int i = 0; i < weights.size(); i++) {
                Variable v = weights.get(i);
                Tf.save(dir.resolve(fileName(i)), v.read());
                index.append(fileName(i)).append('\t').append(v.name()).append('\t').append(v.dtype()).append(v.shape()).append('\n');
            }
            Files.writeString(dir.resolve("weights.index"), index);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the weights of " + model.name() + " to " + dir, e);
        }
    }

    static void load(Layer model, Path dir) {
        List<Variable> weights = model.weights();
        for (int i = 0; i < weights.size(); i++) {
            Path file = dir.resolve(fileName(i));
            if (!Files.exists(file)) {
                throw new InvalidArgumentError("load_weights: " + model.name() + " has " + weights.size() + " weights but " + dir
                        + " has no " + fileName(i) + " (was it saved from the same architecture, built the same way?)");
            }
            Tensor t = Tf.load(file);
            Variable v = weights.get(i);
            if (!t.shape().equals(v.shape()) || t.dtype() != v.dtype()) {
                throw new InvalidArgumentError("load_weights: weight " + i + " (" + v.name() + ") is " + v.dtype() + v.shape() + " but "
                        + file + " holds " + t.dtype() + t.shape());
            }
            v.assign(t);
        }
    }

    private static String fileName(int i) { return String.format("weight_%03d.npy", i); }
}
