package dev.tfjit.runtime.aot;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.SourceLocation;
import dev.tfjit.ir.TensorType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The artifact manifest: what the compiler writes the loader reads back, and nothing malformed gets through. */
class AotManifestTest {
    @TempDir Path dir;

    private static AotManifest sample() {
        return new AotManifest("model", "tfjit_aot_model", "dev", "tfjit dev codegen abc llvm 20.1.7", "amd64",
                "x86_64-unknown-linux-gnu", "znver3", "00ff", 4096,
                List.of(TensorType.of(DType.FLOAT32, 32, 784), TensorType.scalar(DType.INT64)),
                List.of(TensorType.of(DType.FLOAT32, 32, 10), TensorType.of(DType.INT32, 0)),
                List.of(new AotManifest.ErrorSite("floor_div", new SourceLocation("Model.java", 42), "Integer division by zero"),
                        new AotManifest.ErrorSite("pow", SourceLocation.UNKNOWN, "Integers to negative integer powers are not allowed")));
    }

    @Test
    void readsBackExactlyWhatWasWritten() {
        AotManifest m = sample();
        m.write(dir);
        assertEquals(m, AotManifest.read(dir));
        assertEquals("libmodel.so", m.libraryFile());
    }

    @Test
    void tensorTypesUseTheIrSpelling() {
        assertEquals(TensorType.of(DType.FLOAT32, 2, 3), AotManifest.parseType("f32[2,3]"));
        assertEquals(TensorType.scalar(DType.BOOL), AotManifest.parseType("bool[]"));
        assertEquals(new TensorType(DType.INT32, Shape.of(0)), AotManifest.parseType("i32[0]"), "empty tensors are concrete too");
        assertThrows(IllegalArgumentException.class, () -> AotManifest.parseType("f32[?,3]"), "an artifact's shapes are concrete");
        assertThrows(IllegalArgumentException.class, () -> AotManifest.parseType("f99[3]"));
        assertThrows(IllegalArgumentException.class, () -> AotManifest.parseType("f32"));
    }

    @Test
    void aMalformedManifestIsAnArtifactErrorNamingTheProblem() throws IOException {
        sample().write(dir);
        Path file = dir.resolve(AotManifest.FILE);
        String text = Files.readString(file);
        Files.writeString(file, text.replaceAll("(?m)^scratch.bytes=.*$", ""));
        AotArtifactError missing = assertThrows(AotArtifactError.class, () -> AotManifest.read(dir));
        assertTrue(missing.getMessage().contains("missing key scratch.bytes"), missing.getMessage());

        Files.writeString(file, text.replaceAll("(?m)^param\\.0=.*$", "param.0=f32[32,x]"));
        AotArtifactError badType = assertThrows(AotArtifactError.class, () -> AotManifest.read(dir));
        assertTrue(badType.getMessage().startsWith("malformed manifest in"), badType.getMessage());
    }
}
