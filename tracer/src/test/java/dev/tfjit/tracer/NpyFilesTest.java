package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TfException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Tf.save / Tf.load, checked against files that NumPy wrote (src/test/resources/npy, made with np.save). */
class NpyFilesTest {
    @TempDir
    Path dir;

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = NpyFilesTest.class.getResourceAsStream("/npy/" + name)) {
            return in.readAllBytes();
        }
    }

    private Path numpyFile(String name) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, resource(name));
        return p;
    }

    @Test
    void readsWhatNumpyWrote() throws IOException {
        Tensor i16 = Tf.load(numpyFile("np_i16.npy"));
        assertEquals(DType.INT16, i16.dtype());
        assertEquals(Shape.of(2, 3), i16.shape());
        assertArrayEquals(new int[] {1, -2, 3, 4, 5, -32768}, i16.toIntArray());
        assertArrayEquals(new boolean[] {true, false, true}, Tf.load(numpyFile("np_b.npy")).toBooleanArray());
        Tensor f16 = Tf.load(numpyFile("np_f16.npy"));
        assertEquals(DType.FLOAT16, f16.dtype());
        assertArrayEquals(new float[] {1.5f, -2f, 65504f}, f16.toFloatArray());
        Tensor u8 = Tf.load(numpyFile("np_u8.npy"));
        assertEquals(DType.UINT8, u8.dtype());
        assertArrayEquals(new int[] {0, 255, 7}, u8.toIntArray());
        Tensor scalar = Tf.load(numpyFile("np_scalar.npy"));
        assertEquals(Shape.SCALAR, scalar.shape());
        assertEquals(2.5, scalar.item());
    }

    @Test
    void writesTheBytesNumpyWrites() throws IOException {
        Path p = dir.resolve("i16.npy");
        Tf.save(p, Tf.constant(new short[][] {{1, -2, 3}, {4, 5, Short.MIN_VALUE}}));
        assertArrayEquals(resource("np_i16.npy"), Files.readAllBytes(p));
        Tf.save(p, Tf.constant(new boolean[] {true, false, true}));
        assertArrayEquals(resource("np_b.npy"), Files.readAllBytes(p));
        Tf.save(p.toString(), Tf.constant(2.5));
        assertArrayEquals(resource("np_scalar.npy"), Files.readAllBytes(p));
    }

    @Test
    void everyNpyDtypeRoundTrips() {
        Tensor[] tensors = {
            Tf.constant(new float[][] {{1.5f, Float.NaN}, {Float.NEGATIVE_INFINITY, -0f}}),
            Tf.constant(new double[] {Math.PI, -1e300}),
            Tf.constant(new int[] {Integer.MIN_VALUE, 7}),
            Tf.constant(new long[] {Long.MAX_VALUE}),
            Tf.constant(new int[] {-128, 127}, DType.INT8),
            Tf.constant(new int[] {0, 255}, DType.UINT8),
            Tf.constant(new float[] {0.5f, 1024f}, DType.FLOAT16),
            Tf.constant(new boolean[][] {{true}, {false}}),
            Tf.constant(new float[0][3]),
            Tf.constant(5),
        };
        int k = 0;
        for (Tensor t : tensors) {
            Path p = dir.resolve("t" + k++ + ".npy");
            Tf.save(p, t);
            Tensor back = Tf.load(p);
            assertTrue(t.buffer().contentEquals(back.buffer()), "round trip of " + t.type());
        }
    }

    @Test
    void unsupportedContentIsAClearError() throws IOException {
        assertThrows(TfException.class, () -> Tf.save(dir.resolve("s.npy"), Tf.constant("text")));
        assertThrows(TfException.class, () -> Tf.save(dir.resolve("b.npy"), Tf.ones(new int[] {2}, DType.BFLOAT16)));
        Path junk = dir.resolve("junk.npy");
        Files.writeString(junk, "not numpy");
        assertThrows(TfException.class, () -> Tf.load(junk));
        byte[] good = resource("np_u8.npy");
        Path truncated = dir.resolve("trunc.npy");
        Files.write(truncated, java.util.Arrays.copyOf(good, good.length - 1));
        var e = assertThrows(TfException.class, () -> Tf.load(truncated));
        assertTrue(e.getMessage().contains("data bytes"), e.getMessage());
        Path negative = dir.resolve("neg.npy");
        Files.write(negative, new String(good, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("(3,)", "(-3,)").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThrows(TfException.class, () -> Tf.load(negative));
        assertThrows(TfException.class, () -> Tf.load(dir.resolve("missing.npy")));
    }
}
