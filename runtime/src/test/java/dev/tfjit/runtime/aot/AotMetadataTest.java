package dev.tfjit.runtime.aot;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.TensorType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The artifact metadata: what the compiler writes the loader reads back, and nothing malformed gets through. */
class AotMetadataTest {
    @TempDir Path dir;

    static AotMetadata sample() {
        AotMetadata.Target target = new AotMetadata.Target("x86-64-v3", "amd64", "x86_64-unknown-linux-gnu", "x86-64-v3", "",
                List.of("avx2", "fma"));
        AotMetadata.Entry e0 = new AotMetadata.Entry("tfjit_aot_model_0", "f32[?,784], i64[]", "model.0.ir",
                List.of(new AotMetadata.Slot("x", AotMetadata.Kind.ARGUMENT, TensorType.of(DType.FLOAT32, 32, 784)),
                        new AotMetadata.Slot("step", AotMetadata.Kind.VARIABLE, TensorType.scalar(DType.INT64))),
                List.of(new AotMetadata.Slot("output_0", AotMetadata.Kind.OUTPUT, TensorType.of(DType.FLOAT32, 32, 10)),
                        new AotMetadata.Slot("step", AotMetadata.Kind.VARIABLE, TensorType.of(DType.INT32, 0))),
                4096,
                List.of(new AotMetadata.ErrorSite("floor_div", "Model.java", 42, "Integer division by zero"),
                        new AotMetadata.ErrorSite("pow", "?", 0, "Integers to negative \"integer\" powers are not allowed\n")),
                List.of(new AotMetadata.Generator("random_uniform:f32#3", 42, 7), new AotMetadata.Generator("truncated_normal:f64#4", 0, 0)));
        AotMetadata.Entry e1 = new AotMetadata.Entry("tfjit_aot_model_1", "f32[?,784], i64[]", "model.0.ir",
                List.of(new AotMetadata.Slot("x", AotMetadata.Kind.ARGUMENT, TensorType.of(DType.FLOAT32, 1, 784))),
                List.of(new AotMetadata.Slot("output_0", AotMetadata.Kind.OUTPUT, TensorType.scalar(DType.BOOL))), 0, List.of());
        return new AotMetadata("model", "dev", "tfjit dev codegen abc llvm 20.1.7", target, "0a1b2c3d", 14976, "args",
                List.of(e0, e1), List.of(new AotMetadata.VariableValue("step", "variables/0_step.npy")));
    }

    @Test
    void readsBackExactlyWhatWasWritten() {
        AotMetadata m = sample();
        m.write(dir);
        assertEquals(m, AotMetadata.read(dir));
        assertEquals("libmodel.so", m.libraryFile());
    }

    @Test
    void theAbiTextListsWhatTheNativeCodeAssumes() {
        assertEquals("""
                tfjit-aot-abi 3
                tfjit_aot_model_0(f32[32,784],i64[])->(f32[32,10],i32[0]) scratch=4096 generators=2
                tfjit_aot_model_1(f32[1,784])->(bool[]) scratch=0
                """, sample().abi());
    }

    @Test
    void theFileIsJsonAPersonCanRead() throws IOException {
        sample().write(dir);
        String text = Files.readString(dir.resolve(AotMetadata.FILE));
        assertTrue(text.contains("\"shape\": [32, 784]"), text);
        assertTrue(text.contains("\"crc32\": \"0a1b2c3d\""), text);
        assertTrue(text.contains("\"kind\": \"variable\""), text);
        assertInstanceOf(java.util.Map.class, Json.parse(text));
    }

    @Test
    void aMalformedOrForeignFileIsAnArtifactErrorNamingTheProblem() throws IOException {
        AotArtifactError none = assertThrows(AotArtifactError.class, () -> AotMetadata.read(dir));
        assertTrue(none.getMessage().contains("is not a tfjit artifact"), none.getMessage());

        sample().write(dir);
        Path file = dir.resolve(AotMetadata.FILE);
        String text = Files.readString(file);
        Files.writeString(file, text.replace("\"scratch_bytes\": 4096,", ""));
        AotArtifactError missing = assertThrows(AotArtifactError.class, () -> AotMetadata.read(dir));
        assertTrue(missing.getMessage().contains("member \"scratch_bytes\" is missing"), missing.getMessage());

        Files.writeString(file, text.replace("\"shape\": [32, 784]", "\"shape\": [-1, 784]"));
        AotArtifactError unknownDim = assertThrows(AotArtifactError.class, () -> AotMetadata.read(dir));
        assertTrue(unknownDim.getMessage().contains("concrete sizes"), unknownDim.getMessage());

        Files.writeString(file, text.replace("\"shape\": [32, 784]", "\"shape\": [64, 784]"));
        AotArtifactError bytes = assertThrows(AotArtifactError.class, () -> AotMetadata.read(dir));
        assertTrue(bytes.getMessage().contains("bytes does not match"), bytes.getMessage());

        Files.writeString(file, text.substring(0, text.length() / 2));
        AotArtifactError truncated = assertThrows(AotArtifactError.class, () -> AotMetadata.read(dir));
        assertTrue(truncated.getMessage().startsWith("malformed metadata in"), truncated.getMessage());
        assertTrue(truncated.getMessage().contains("JSON syntax error"), truncated.getMessage());

        Files.writeString(file, text.replace("\"format\": 3", "\"format\": 2"));
        AotArtifactError format = assertThrows(AotArtifactError.class, () -> AotMetadata.read(dir));
        assertTrue(format.getMessage().contains("has format 2 (tfjit dev), this tfjit reads format 3"), format.getMessage());
    }

    @Test
    void jsonParsesWhatItWritesAndRejectsWhatItCannotHold() {
        Object v = Json.parse("{\"a\": [1, -2, {\"b\": null}], \"s\": \"q\\\"\\u0041\\n\", \"t\": true}");
        assertEquals(Json.parse(Json.write(v)), v);
        assertEquals("q\"A\n", ((java.util.Map<?, ?>) v).get("s"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1.5}"), "no fractions in metadata");
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1, \"a\": 2}"), "duplicate members");
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, 2"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1] x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"\\x\""));
    }
}
