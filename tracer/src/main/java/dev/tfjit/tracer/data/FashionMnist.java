package dev.tfjit.tracer.data;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.tracer.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (and MNIST) from IDX files, as a dataset of {@code (image, label)} tuples: a
 * {@code uint8[28,28]} image and a {@code uint8} scalar label, like
 * {@code keras.datasets.fashion_mnist} before normalizing. Debian's {@code dataset-fashion-mnist}
 * package installs the files in {@link #DEFAULT_DIR}.
 */
public final class FashionMnist {
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private FashionMnist() {}

    /** The 60,000 training examples from {@code dir}. */
    public static Dataset<List<Tensor>> train(Path dir) { return load(find(dir, "train-images-idx3-ubyte"), find(dir, "train-labels-idx1-ubyte")); }

    /** The 10,000 test examples from {@code dir}. */
    public static Dataset<List<Tensor>> test(Path dir) { return load(find(dir, "t10k-images-idx3-ubyte"), find(dir, "t10k-labels-idx1-ubyte")); }

    /** Whether the data set is installed in {@code dir}. */
    public static boolean isInstalled(Path dir) {
        return Files.exists(dir.resolve("train-images-idx3-ubyte.gz")) || Files.exists(dir.resolve("train-images-idx3-ubyte"));
    }

    /** Images (n x rows x cols) and labels (n) from two IDX files; their counts must agree. */
    public static Dataset<List<Tensor>> load(Path images, Path labels) {
        Buffer x = Idx.read(images);
        Buffer y = Idx.read(labels);
        if (x.shape().rank() != 3) throw new InvalidArgumentError("Fashion-MNIST images must be n x rows x cols, " + images + " has shape " + x.shape());
        if (y.shape().rank() != 1) throw new InvalidArgumentError("Fashion-MNIST labels must be a vector, " + labels + " has shape " + y.shape());
        if (x.shape().dim(0) != y.shape().dim(0)) {
            throw new InvalidArgumentError("Fashion-MNIST: " + images + " has " + x.shape().dim(0) + " images but " + labels + " has "
                    + y.shape().dim(0) + " labels");
        }
        return Dataset.fromTensorSlices(Tensor.of(x), Tensor.of(y));
    }

    private static Path find(Path dir, String name) {
        Path gz = dir.resolve(name + ".gz");
        if (Files.exists(gz)) return gz;
        Path plain = dir.resolve(name);
        if (Files.exists(plain)) return plain;
        throw new InvalidArgumentError("Fashion-MNIST file " + name + "(.gz) is not in " + dir
                + " (Debian installs it with: apt-get install dataset-fashion-mnist)");
    }
}
