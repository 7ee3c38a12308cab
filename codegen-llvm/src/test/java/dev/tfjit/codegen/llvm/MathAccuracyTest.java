package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Shape;
import dev.tfjit.runtime.Interpreter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The vectorized float32 exp, log, tanh and sigmoid against the interpreter over many inputs.
 * exp, tanh and sigmoid are {@code FloatMath}'s float algorithms in both, so they are identical;
 * log is a double-precision polynomial rounded once against {@code (float) Math.log(x)}: at most
 * 1 ulp apart, and almost always identical (on these 200,000 inputs: identical).
 */
class MathAccuracyTest {
    @Test
    void float32TranscendentalsAreWithinOneUlpAndAlmostAlwaysExact() {
        String ir = """
                func @m(%x: f32[?], %p: f32[?]) -> (f32[?], f32[?], f32[?], f32[?]) {
                  %0 = exp %x : f32[?]
                  %1 = log %p : f32[?]
                  %2 = tanh %x : f32[?]
                  %3 = sigmoid %x : f32[?]
                  return %0, %1, %2, %3
                }
                """;
        int n = 200_000;
        Buffer x = Buffer.allocate(DType.FLOAT32, Shape.of(n)), p = Buffer.allocate(DType.FLOAT32, Shape.of(n));
        Random r = new Random(42);
        for (int i = 0; i < n; i++) {
            x.setDouble(i, i % 2 == 0 ? (r.nextDouble() * 2 - 1) * 100 : r.nextGaussian()); // exp's whole range and the dense middle
            p.setDouble(i, Math.exp((r.nextDouble() * 2 - 1) * 80));                        // positives over ~70 binades
        }
        Graph g = Oracle.parse(ir);
        List<Buffer> want = Interpreter.run(g, List.of(x, p)), got = new LlvmBackend().compile(g).run(List.of(x, p));
        String[] names = {"exp", "log", "tanh", "sigmoid"};
        for (int k = 0; k < 4; k++) {
            long max = 0, differ = 0;
            for (int i = 0; i < n; i++) {
                long d = Oracle.ulpDistance(want.get(k), got.get(k), i);
                max = Math.max(max, d);
                if (d != 0) differ++;
            }
            assertTrue(max <= (names[k].equals("log") ? 1 : 0), names[k] + ": max " + max + " ulp");
            assertTrue(differ < n / 10_000, names[k] + ": " + differ + " of " + n + " differ");
        }
    }

    /**
     * tanh compiled and interpreted agree to the bit where its branch-free pieces meet: every float
     * near each seam of the range reduction (|x| = (j + 1/2) ln2 / 2), near where it saturates and
     * its clamp, tiny values, zeros, infinities and NaN, a stride through all bit patterns, and the
     * negation of each (subnormals are flushed by both).
     */
    @Test
    void float32TanhIsBitIdenticalToTheInterpreterWhereItsPiecesMeet() {
        List<Float> xs = new java.util.ArrayList<>();
        for (long bits = 0; bits <= 0xFFFFFFFFL; bits += 65_537) xs.add(Float.intBitsToFloat((int) bits));
        List<Float> centres = new java.util.ArrayList<>(List.of(0x1p-25f, Float.MIN_NORMAL, 8.5f, 9.0109f, 10f, 0.5102f));
        for (int j = 0; j < 30; j++) centres.add((float) ((j + 0.5) * Math.log(2) / 2));
        for (float c : centres) {
            float up = c, down = c;
            for (int i = 0; i < 300; i++) {
                xs.add(up = Math.nextUp(up));
                xs.add(down = Math.nextDown(down));
            }
        }
        xs.addAll(List.of(0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0x7FC00001)));
        int n = xs.size() * 2;
        Buffer x = Buffer.allocate(DType.FLOAT32, Shape.of(n));
        for (int i = 0; i < xs.size(); i++) {
            x.setDouble(2 * i, xs.get(i));
            x.setDouble(2 * i + 1, -xs.get(i));
        }
        Graph g = Oracle.parse("""
                func @t(%x: f32[?]) -> (f32[?]) {
                  %0 = tanh %x : f32[?]
                  return %0
                }
                """);
        Buffer want = Interpreter.run(g, List.of(x)).get(0), got = new LlvmBackend().compile(g).run(List.of(x)).get(0);
        for (int i = 0; i < n; i++) {
            float w = (float) want.getDouble(i), o = (float) got.getDouble(i);
            if (Float.floatToRawIntBits(w) != Float.floatToRawIntBits(o) && !(Float.isNaN(w) && Float.isNaN(o))) {
                fail("tanh(" + x.getDouble(i) + "): interpreted " + w + ", compiled " + o);
            }
        }
    }
}
