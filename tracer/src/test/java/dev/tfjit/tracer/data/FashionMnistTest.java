package dev.tfjit.tracer.data;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorSpec;
import dev.tfjit.tracer.Tf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The IDX reader and Fashion-MNIST as (image, label) datasets, on small generated files. */
class FashionMnistTest {

    /** Three 2x3 "images" whose pixel (i, r, c) is 10*i + 3*r + c, and labels 7, 8, 9. */
    static Buffer images() {
        byte[] px = new byte[3 * 2 * 3];
        for (int i = 0; i < 3; i++) for (int r = 0; r < 2; r++) for (int c = 0; c < 3; c++) px[i * 6 + r * 3 + c] = (byte) (10 * i + 3 * r + c);
        return Buffer.ofBytes(DType.UINT8, Shape.of(3, 2, 3), px);
    }

    static Buffer labels() { return Buffer.ofBytes(DType.UINT8, Shape.of(3), (byte) 7, (byte) 8, (byte) 9); }

    static void gzip(Path plain, Path gz) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(plain));
        }
    }

    @Test
    void theHeaderIsBigEndianMagicThenDims(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("x-idx3-ubyte");
        Idx.write(p, images());
        byte[] bytes = Files.readAllBytes(p);
        assertArrayEquals(new byte[] {0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 3}, java.util.Arrays.copyOf(bytes, 16));
        assertEquals(16 + 18, bytes.length);
        Buffer back = Idx.read(p);
        assertEquals(Shape.of(3, 2, 3), back.shape());
        assertTrue(back.contentEquals(images()));
    }

    @Test
    void gzippedFilesAreReadToo(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("l-idx1-ubyte");
        Idx.write(p, labels());
        Path gz = dir.resolve("l-idx1-ubyte.gz");
        gzip(p, gz);
        assertArrayEquals(new int[] {7, 8, 9}, Tensor.of(Idx.read(gz)).cast(DType.INT32).toIntArray());
    }

    @Test
    void trainAndTestFindTheDebianFileNames(@TempDir Path dir) throws IOException {
        for (String split : List.of("train", "t10k")) {
            Path x = dir.resolve(split + "-images-idx3-ubyte"), y = dir.resolve(split + "-labels-idx1-ubyte");
            Idx.write(x, images());
            Idx.write(y, labels());
            gzip(x, dir.resolve(split + "-images-idx3-ubyte.gz"));
            gzip(y, dir.resolve(split + "-labels-idx1-ubyte.gz"));
            Files.delete(x);
            Files.delete(y);
        }
        assertTrue(FashionMnist.isInstalled(dir));
        Dataset<List<Tensor>> train = FashionMnist.train(dir);
        assertEquals(List.of(TensorSpec.of(DType.UINT8, 2, 3), TensorSpec.of(DType.UINT8)), train.elementSpec().components());
        List<List<Tensor>> all = train.toList();
        assertEquals(3, all.size());
        assertArrayEquals(new int[] {20, 21, 22, 23, 24, 25}, all.get(2).get(0).cast(DType.INT32).toIntArray());
        assertEquals(9, all.get(2).get(1).cast(DType.INT32).intValue());
        assertEquals(3, FashionMnist.test(dir).toList().size());
    }

    @Test
    void aTrainingPipelineNormalizesAndBatches(@TempDir Path dir) {
        Path x = dir.resolve("x"), y = dir.resolve("y");
        Idx.write(x, images());
        Idx.write(y, labels());
        Dataset<List<Tensor>> ds = FashionMnist.load(x, y)
                .map(e -> List.of(Tf.cast(e.get(0), DType.FLOAT32).div(255f), Tf.cast(e.get(1), DType.INT64)))
                .batch(2).prefetch(1);
        assertEquals(List.of(TensorSpec.of(DType.FLOAT32, "?", 2, 3), TensorSpec.of(DType.INT64, "?")), ds.elementSpec().components());
        List<List<Tensor>> batches = ds.toList();
        assertEquals(Shape.of(2, 2, 3), batches.get(0).get(0).shape());
        assertEquals(25 / 255f, batches.get(1).get(0).toFloatArray()[5], 0f);
        assertArrayEquals(new long[] {7, 8}, batches.get(0).get(1).toLongArray());
    }

    @Test
    void badFilesAreClearErrors(@TempDir Path dir) throws IOException {
        Path notIdx = Files.write(dir.resolve("bad"), new byte[] {1, 2, 3, 4, 5});
        InvalidArgumentError magic = assertThrows(InvalidArgumentError.class, () -> Idx.read(notIdx));
        assertTrue(magic.getMessage().contains("bad magic number 0x01020304"), magic.getMessage());

        Path p = dir.resolve("x");
        Idx.write(p, images());
        byte[] bytes = Files.readAllBytes(p);
        Path truncated = Files.write(dir.resolve("short"), java.util.Arrays.copyOf(bytes, bytes.length - 1));
        InvalidArgumentError t = assertThrows(InvalidArgumentError.class, () -> Idx.read(truncated));
        assertTrue(t.getMessage().contains("truncated"), t.getMessage());

        Path floats = Files.write(dir.resolve("f"), new byte[] {0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0});
        InvalidArgumentError type = assertThrows(InvalidArgumentError.class, () -> Idx.read(floats));
        assertTrue(type.getMessage().contains("0x0d is not supported"), type.getMessage());

        Path y = dir.resolve("y");
        Idx.write(y, Buffer.ofBytes(DType.UINT8, Shape.of(2), (byte) 1, (byte) 2));
        InvalidArgumentError count = assertThrows(InvalidArgumentError.class, () -> FashionMnist.load(p, y));
        assertTrue(count.getMessage().contains("3 images but") && count.getMessage().contains("2 labels"), count.getMessage());

        InvalidArgumentError missing = assertThrows(InvalidArgumentError.class, () -> FashionMnist.train(dir.resolve("nowhere")));
        assertTrue(missing.getMessage().contains("train-images-idx3-ubyte"), missing.getMessage());
    }

    @Test
    void theInstalledDataSetHasSixtyThousandTrainingImages() {
        org.junit.jupiter.api.Assumptions.assumeTrue(FashionMnist.isInstalled(FashionMnist.DEFAULT_DIR), "dataset-fashion-mnist is not installed");
        Dataset<List<Tensor>> train = FashionMnist.train(FashionMnist.DEFAULT_DIR);
        assertEquals(List.of(TensorSpec.of(DType.UINT8, 28, 28), TensorSpec.of(DType.UINT8)), train.elementSpec().components());
        long n = 0;
        for (List<Tensor> b : train.batch(10_000)) n += b.get(1).shape().dim(0);
        assertEquals(60_000, n);
    }
}
