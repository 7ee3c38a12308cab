package dev.tfjit.nn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainMainTest {
    /**
     * A tiny learnable Fashion-MNIST stand-in: class k lights up row 2k+4 of the image (with
     * noise elsewhere), so an MLP can learn it in a few epochs.
     */
    static void writeDataset(Path dir, int trainCount, int testCount) throws IOException {
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

    @Test
    void trainsOnATinyGeneratedIdxDatasetAndReportsTestAccuracy(@TempDir Path dir) throws IOException {
        writeDataset(dir, 256, 100);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = TrainMain.run(new String[] {"--data-dir", dir.toString(), "--epochs", "3", "--batch-size", "32"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertTrue(text.contains("Total params: 266,610"), text);
        assertTrue(text.contains("Epoch 1/3") && text.contains("Epoch 3/3"), text);
        assertTrue(Pattern.compile("8/8 \\[={30}\\] - \\d+s \\S+/step - loss: \\d\\.\\d{4} - accuracy: \\d\\.\\d{4}").matcher(text).find(), text);
        Matcher m = Pattern.compile("Test accuracy: (\\d\\.\\d{4})").matcher(text);
        assertTrue(m.find(), text);
        assertTrue(Double.parseDouble(m.group(1)) > 0.9, "the rows pattern is easy to learn: " + text);
        assertTrue(text.contains("examples/s") && text.contains("traced 1 time(s)"), text);
    }

    @Test
    void theSmallConvNetTrainsToo(@TempDir Path dir) throws IOException {
        writeDataset(dir, 256, 100);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = TrainMain.run(new String[] {"--data-dir", dir.toString(), "--epochs", "3", "--batch-size", "32", "--model", "cnn"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertTrue(text.contains("(Conv2D)") && text.contains("(MaxPooling2D)") && text.contains("Total params: 12,810"), text);
        Matcher m = Pattern.compile("Test accuracy: (\\d\\.\\d{4})").matcher(text);
        assertTrue(m.find(), text);
        assertTrue(Double.parseDouble(m.group(1)) > 0.8, "the rows pattern is easy to learn: " + text);
    }

    @Test
    void dropoutLayersTrainToo(@TempDir Path dir) throws IOException {
        writeDataset(dir, 256, 100);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = TrainMain.run(new String[] {"--data-dir", dir.toString(), "--epochs", "3", "--batch-size", "32", "--dropout", "0.2"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertEquals(2, Pattern.compile("\\(Dropout\\)").matcher(text).results().count(), text);
        assertTrue(text.contains("Total params: 266,610"), "dropout adds no weights: " + text);
        Matcher m = Pattern.compile("Test accuracy: (\\d\\.\\d{4})").matcher(text);
        assertTrue(m.find(), text);
        assertTrue(Double.parseDouble(m.group(1)) > 0.9, "the rows pattern is easy to learn: " + text);
        ByteArrayOutputStream badErr = new ByteArrayOutputStream();
        assertEquals(64, TrainMain.run(new String[] {"--dropout", "1"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(badErr, true, StandardCharsets.UTF_8)));
        assertTrue(badErr.toString(StandardCharsets.UTF_8).contains("--dropout must be a rate in [0, 1), got 1"), badErr.toString());
    }

    @Test
    void theEagerLoopRunsTheSameStepOpByOp(@TempDir Path dir) throws IOException {
        writeDataset(dir, 64, 20);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = TrainMain.run(new String[] {"--data-dir", dir.toString(), "--epochs", "1", "--batch-size", "32", "--eager", "--optimizer", "sgd"},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, status);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("2/2 [") && text.contains("(eager train step)"), text);
    }

    @Test
    void missingDataExplainsHowToInstallItAndExitsWithStatus2(@TempDir Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = TrainMain.run(new String[] {"--data-dir", dir.resolve("nowhere").toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("apt-get install dataset-fashion-mnist"), err.toString());
    }

    @Test
    void badOptionsPrintUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = TrainMain.run(new String[] {"--optimizer", "lbfgs"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(64, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--optimizer must be adam or sgd"), err.toString());
        ByteArrayOutputStream modelErr = new ByteArrayOutputStream();
        assertEquals(64, TrainMain.run(new String[] {"--model", "resnet"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(modelErr, true, StandardCharsets.UTF_8)));
        assertTrue(modelErr.toString(StandardCharsets.UTF_8).contains("--model must be mlp or cnn"), modelErr.toString());
    }
}
