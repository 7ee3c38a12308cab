package dev.tfjit.nn;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * A tiny learnable Fashion-MNIST stand-in in its gzipped IDX files: class k lights up row 2k+4
 * of the image (with noise elsewhere), so an MLP learns it in a few epochs. Shared with the
 * CLI's tests through this module's test jar.
 */
public final class TinyIdxDataset {
    private TinyIdxDataset() {}

    /** Writes {@code train-*} and {@code t10k-*} images and labels into {@code dir}. */
    public static void write(Path dir, int trainCount, int testCount) throws IOException {
        Random r = new Random(7);
        writePair(dir, "train", trainCount, r);
        writePair(dir, "t10k", testCount, r);
    }

    private static void writePair(Path dir, String prefix, int n, Random r) throws IOException {
        byte[] images = new byte[n * 28 * 28];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(10);
            labels[i] = (byte) k;
            for (int p = 0; p < 28 * 28; p++) images[i * 784 + p] = (byte) r.nextInt(40);
            for (int c = 0; c < 28; c++) images[i * 784 + (2 * k + 4) * 28 + c] = (byte) 250;
        }
        writeIdx(dir.resolve(prefix + "-images-idx3-ubyte.gz"), images, n, 28, 28);
        writeIdx(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), labels, n);
    }

    private static void writeIdx(Path file, byte[] data, int... dims) throws IOException {
        try (var out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(0x0800 | dims.length);
            for (int d : dims) out.writeInt(d);
            out.write(data);
        }
    }
}
