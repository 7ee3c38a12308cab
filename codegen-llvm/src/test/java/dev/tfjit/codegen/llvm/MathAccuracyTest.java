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
}
