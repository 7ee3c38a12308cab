package dev.tfjit.cli;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Shape;
import dev.tfjit.tracer.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code tfjit compile} then {@code tfjit run-artifact}, as a user types them. */
class TfjitCliTest {
    @TempDir Path dir;

    private record Result(int exit, String out, String err) {}

    private static Result tfjit(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = TfjitCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void compilesAnIrFileAndRunsTheArtifactOnNpyInputs() throws IOException {
        Path ir = dir.resolve("scale.ir");
        Files.writeString(ir, """
                func @scale(%a: f32[?], %b: f32[?]) -> f32[?] {
                  %0 = mul %a, %b : f32[?]
                  %1 = neg %0 : f32[?]
                  return %1
                }
                """);
        Result c = tfjit("compile", "--ir", ir.toString(), "--arg-shapes", "3;3", "-o", dir.resolve("art").toString());
        assertEquals(0, c.exit(), c.err());
        assertTrue(c.out().contains("libscale.so"), c.out());

        Npy.write(dir.resolve("a.npy"), Buffer.ofFloats(Shape.of(3), 1, 2, 3));
        Npy.write(dir.resolve("b.npy"), Buffer.ofFloats(Shape.of(3), 4, -5, 0.5f));
        Path saved = dir.resolve("r.npy");
        Result r = tfjit("run-artifact", dir.resolve("art").toString(), "--inputs", dir.resolve("a.npy").toString(),
                dir.resolve("b.npy").toString(), "--outputs", saved.toString());
        assertEquals(0, r.exit(), r.err());
        assertArrayEquals(new float[] {-4, 10, -1.5f}, Npy.read(saved).toFloatArray());
        assertTrue(r.out().contains("10"), r.out());
    }

    @Test
    void compilesAStaticMethodTracedForASignature() {
        Path art = dir.resolve("sq");
        Result c = tfjit("compile", "--class", Models.class.getName(), "--method", "squarePlusOne", "--signature", "f32[?,2]",
                "--arg-shapes", "2,2", "--name", "sq", "-o", art.toString());
        assertEquals(0, c.exit(), c.err());
        Npy.write(dir.resolve("x.npy"), Buffer.ofFloats(Shape.of(2, 2), 0, 1, -2, 3));
        Path saved = dir.resolve("y.npy");
        Result r = tfjit("run-artifact", art.toString(), "--inputs", dir.resolve("x.npy").toString(), "--outputs", saved.toString());
        assertEquals(0, r.exit(), r.err());
        assertArrayEquals(new float[] {1, 2, 5, 10}, Npy.read(saved).toFloatArray());
    }

    @Test
    void aFullyKnownSignatureNeedsNoArgShapes() {
        Result c = tfjit("compile", "--class", Models.class.getName(), "--method", "product", "--signature", "f32[2]",
                "--signature", "f32[2]", "-o", dir.resolve("p").toString());
        assertEquals(0, c.exit(), c.err());
        assertTrue(c.out().contains("f32[2], f32[2]] -> [f32[2]]"), c.out());
    }

    @Test
    void badInputGivesOneLineErrorsAndNonZeroExits() throws IOException {
        Result noClass = tfjit("compile", "--class", "no.such.Model", "--method", "f", "--signature", "f32[2]", "-o", dir.toString());
        assertEquals(1, noClass.exit());
        assertEquals("tfjit compile: class no.such.Model not found", noClass.err().strip());

        Result noMethod = tfjit("compile", "--class", Models.class.getName(), "--method", "nope", "--signature", "f32[2]", "-o", dir.toString());
        assertEquals(1, noMethod.exit());
        assertTrue(noMethod.err().contains("has no method nope"), noMethod.err());

        Result arity = tfjit("compile", "--class", Models.class.getName(), "--method", "product", "--signature", "f32[2]", "-o", dir.toString());
        assertEquals(1, arity.exit());
        assertTrue(arity.err().contains("is not a static method taking 1 Tensor arguments"), arity.err());

        Result unknownDim = tfjit("compile", "--class", Models.class.getName(), "--method", "squarePlusOne", "--signature", "f32[?]",
                "-o", dir.toString());
        assertEquals(1, unknownDim.exit());
        assertTrue(unknownDim.err().contains("give them with --arg-shapes"), unknownDim.err());

        Result badType = tfjit("compile", "--class", Models.class.getName(), "--method", "squarePlusOne", "--signature", "float[2]",
                "-o", dir.toString());
        assertEquals(1, badType.exit());
        assertTrue(badType.err().contains("unknown dtype 'float'"), badType.err());

        Result notArtifact = tfjit("run-artifact", dir.toString());
        assertEquals(1, notArtifact.exit());
        assertTrue(notArtifact.err().contains("is not a tfjit artifact"), notArtifact.err());
        assertEquals(1, notArtifact.err().strip().lines().count(), notArtifact.err());

        Result usage = tfjit("compile", "--ir", "x.ir");
        assertEquals(2, usage.exit(), "a missing required option is a usage error");
    }

    @Test
    void aFunctionThatCallsBackIntoJavaIsRefused() {
        Result c = tfjit("compile", "--class", Models.class.getName(), "--method", "withJavaCallback", "--signature", "f32[2]",
                "-o", dir.resolve("j").toString());
        assertEquals(1, c.exit());
        assertTrue(c.err().contains("calls back into Java (Tf.javaFunction)"), c.err());
        assertFalse(Files.exists(dir.resolve("j")), "nothing is written for a refused function");
    }

    @Test
    void everySubcommandHasHelp() {
        for (String cmd : new String[] {"compile", "run-artifact"}) {
            Result h = tfjit(cmd, "--help");
            assertEquals(0, h.exit());
            assertTrue(h.out().contains("Usage: tfjit " + cmd), h.out());
        }
    }
}
