package dev.tfjit.cli;

import dev.tfjit.ir.DType;
import dev.tfjit.nn.Sequential;
import dev.tfjit.nn.TrainMain;
import dev.tfjit.nn.layers.Dense;
import dev.tfjit.nn.layers.Dropout;
import dev.tfjit.nn.losses.MeanSquaredError;
import dev.tfjit.nn.optimizers.SGD;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Dropout in a train step compiled by the LLVM backend: the random mask comes from native code
 * drawing the interpreter's streams, so a compiled step trains bit for bit as the interpreted
 * one does, and {@code tfjit train --dropout} runs compiled.
 */
class CompiledDropoutTest {
    @AfterEach
    void noGlobalSeedLeaks() { Tf.random.clearSeed(); }

    /** A regression MLP whose step has nothing but matmul, relu, the dropout mask, a squared error and SGD: all bit-exact in native code. */
    private static Sequential model() {
        Tf.random.setSeed(3); // both models start from the same initial weights
        Sequential m = new Sequential(new int[] {6}, new Dense(32, "relu"), new Dropout(0.3, 17), new Dense(16, "relu"),
                new Dropout(0.5, 18), new Dense(1));
        m.compile(new SGD(0.05), new MeanSquaredError());
        return m;
    }

    @Test
    void aCompiledTrainStepWithDropoutEqualsTheInterpretedOneBitForBit() {
        Sequential interpreted = model(), compiled = model();
        Function slow = interpreted.compiledTrainStep().withBackend("interpreter");
        Function fast = compiled.compiledTrainStep().withBackend("llvm-cpu");
        Random rnd = new Random(4);
        float first = 0, last = 0;
        for (int step = 0; step < 30; step++) {
            float[] xs = new float[8 * 6], ys = new float[8];
            for (int i = 0; i < ys.length; i++) {
                float s = 0;
                for (int j = 0; j < 6; j++) s += (xs[i * 6 + j] = (float) rnd.nextGaussian()) * (j - 2.5f);
                ys[i] = s;
            }
            Tensor x = Tf.reshape(Tf.constant(xs), 8, 6), y = Tf.reshape(Tf.constant(ys), 8, 1);
            List<Tensor> want = slow.callAll(x, y), got = fast.callAll(x, y);
            assertTrue(want.get(0).buffer().contentEquals(got.get(0).buffer()), "loss of step " + step + ": " + want + " vs " + got);
            if (step == 0) first = want.get(0).floatValue();
            last = got.get(0).floatValue();
        }
        assertEquals("llvm-cpu", fast.concreteFunctions().get(0).backendName());
        assertTrue(fast.concreteFunctions().get(0).graph().toString().contains(" = random_uniform "), "the step draws its masks");
        assertTrue(last < first, "the running mean loss falls: " + first + " -> " + last);
        List<Variable> a = interpreted.trainableWeights(), b = compiled.trainableWeights();
        for (int i = 0; i < a.size(); i++) assertTrue(a.get(i).read().buffer().contentEquals(b.get(i).read().buffer()), "weight " + i);
    }

    @Test
    void inferenceSkipsTheMask() {
        Sequential m = model();
        Function predict = Function.of((Tensor x) -> m.apply(x, false)).withBackend("llvm-cpu");
        Tensor x = Tf.ones(4, 6);
        assertTrue(predict.call(x).buffer().contentEquals(predict.call(x).buffer()), "no randomness at inference");
        assertFalse(predict.concreteFunctions().get(0).graph().toString().contains("random_uniform"));
    }

    @Test
    void tfjitTrainWithDropoutRunsCompiled(@TempDir Path dir) throws IOException {
        writeDataset(dir, 256, 100);
        for (String model : List.of("mlp", "cnn")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
            int status = TrainMain.run(new String[] {"--data-dir", dir.toString(), "--epochs", "3", "--batch-size", "32", "--model", model,
                    "--dropout", "0.25", "--backend", "llvm-cpu"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            String text = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, status, err.toString(StandardCharsets.UTF_8) + text);
            assertTrue(text.contains("(Dropout)") && text.contains("traced 1 time(s)"), text);
            Matcher m = Pattern.compile("Test accuracy: (\\d\\.\\d{4})").matcher(text);
            assertTrue(m.find(), text);
            assertTrue(Double.parseDouble(m.group(1)) > 0.8, model + ": the rows pattern is easy to learn: " + text);
        }
    }

    /** TrainMainTest's tiny stand-in for Fashion-MNIST: class k lights up row 2k+4. */
    private static void writeDataset(Path dir, int trainCount, int testCount) throws IOException {
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
