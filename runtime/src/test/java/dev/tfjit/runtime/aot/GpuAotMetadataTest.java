package dev.tfjit.runtime.aot;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.TensorType;
import dev.tfjit.runtime.cuda.CudaDriver;
import dev.tfjit.runtime.cuda.CudaError;
import dev.tfjit.runtime.cuda.GpuProgram;
import dev.tfjit.runtime.cuda.GpuProgramFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * A GPU artifact's metadata round-trips, its files are checked before any GPU is involved, and
 * metadata that does not fit its files, or points outside the artifact, is refused.
 */
class GpuAotMetadataTest {
    @TempDir Path dir;

    private static final TensorType X = TensorType.of(DType.FLOAT32, 4), Y = TensorType.of(DType.FLOAT32, 4);

    /** A one-kernel program and the metadata describing it, written as the compiler writes them. */
    private GpuAotMetadata writeSample() throws Exception {
        GpuProgram.Ref arg = new GpuProgram.Ref(GpuProgram.Ref.Space.ARG, 0, 0), out = new GpuProgram.Ref(GpuProgram.Ref.Space.RESULT, 0, 0);
        GpuProgram p = new GpuProgram("f_0", "sm_90", ".version 7.8\n.target sm_90\n", List.of(X), List.of(Y), 256, List.of(),
                List.of(new GpuProgram.Launch("f_k0_loop_neg", 1, 1, 1, 256, true, List.of(GpuProgram.STATUS, arg, out))), List.of());
        GpuProgramFiles.write(p, dir.resolve("f_0"));
        List<GpuAotMetadata.FileSum> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir.resolve("f_0"))) {
            for (Path f : s.sorted().toList()) {
                byte[] b = Files.readAllBytes(f);
                files.add(new GpuAotMetadata.FileSum("f_0/" + f.getFileName(), b.length, AotFunction.crc32(b)));
            }
        }
        GpuAotMetadata m = new GpuAotMetadata("f", "dev", "test", new GpuAotMetadata.Target("sm_90", "nvptx64-nvidia-cuda", "7.8"),
                new GpuAotMetadata.Assembler("ptxas", null, false, "ptxas was not found"), "none",
                List.of(new GpuAotMetadata.Program("f_0", "f32[4]", null, List.of(new AotMetadata.Slot("x", AotMetadata.Kind.ARGUMENT, X)),
                        List.of(new AotMetadata.Slot("output_0", AotMetadata.Kind.OUTPUT, Y)), 256, List.of("f_k0_loop_neg"), null, files)),
                List.of());
        m.write(dir);
        return m;
    }

    @Test
    void roundTripsAndIsReadWithoutAGpu() throws Exception {
        GpuAotMetadata m = writeSample();
        assertEquals(m, GpuAotMetadata.read(dir));
        assertTrue(GpuAotMetadata.isGpuArtifact(dir));
        GpuAotFunction.Contents c = GpuAotFunction.read(dir);
        assertEquals(List.of(X), c.programs().getFirst().params());
        assertNull(c.cubins().getFirst());
    }

    @Test
    void withoutADriverLoadingNamesTheLibraryLookedFor() throws Exception {
        assumeFalse(CudaDriver.isAvailable(), "this machine has a CUDA driver");
        writeSample();
        CudaError e = assertThrows(CudaError.class, () -> GpuAotFunction.load(dir));
        assertTrue(e.getMessage().startsWith("cannot run the GPU artifact in " + dir + " (compiled for sm_90): no CUDA driver: "
                + CudaDriver.LIBRARY), e.getMessage());
    }

    @Test
    void metadataThatDoesNotFitItsFilesIsRefused() throws Exception {
        writeSample();
        Path json = dir.resolve(GpuAotMetadata.FILE);
        String text = Files.readString(json);

        Files.writeString(json, text.replace("\"format\": 1", "\"format\": 7"));
        assertTrue(assertThrows(AotArtifactError.class, () -> GpuAotMetadata.read(dir)).getMessage().contains("has format 7"));

        Files.writeString(json, text.replace("\"path\": \"f_0/f_0.ptx\"", "\"path\": \"../f_0/f_0.ptx\""));
        assertTrue(assertThrows(AotArtifactError.class, () -> GpuAotMetadata.read(dir)).getMessage()
                .contains("\"../f_0/f_0.ptx\" is not a path inside the artifact"));

        Files.writeString(json, text.replace("\"shape\": [4]", "\"shape\": [5]").replace("\"bytes\": 16", "\"bytes\": 20"));
        AotArtifactError types = assertThrows(AotArtifactError.class, () -> GpuAotFunction.read(dir));
        assertTrue(types.getMessage().contains("the metadata says [f32[5]] -> [f32[5]]"), types.getMessage());

        Files.writeString(json, text);
        Path ptx = dir.resolve("f_0/f_0.ptx");
        Files.writeString(ptx, Files.readString(ptx) + "// edited\n");
        assertTrue(assertThrows(AotArtifactError.class, () -> GpuAotFunction.read(dir)).getMessage().contains("f_0.ptx is corrupted"));

        Files.delete(json);
        assertTrue(assertThrows(AotArtifactError.class, () -> GpuAotMetadata.read(dir)).getMessage().contains("is not a tfjit GPU artifact"));

        AotMetadataTest.sample().write(dir); // a CPU artifact: each reader names the other's loader
        String cpu = assertThrows(AotArtifactError.class, () -> GpuAotMetadata.read(dir)).getMessage();
        assertTrue(cpu.contains("it holds a CPU artifact: load it with AotFunction.load"), cpu);
        Files.delete(dir.resolve(AotMetadata.FILE));
        new GpuAotMetadata("f", "dev", "llvm", new GpuAotMetadata.Target("sm_90", "nvptx64-nvidia-cuda", "8.0"),
                new GpuAotMetadata.Assembler("ptxas", null, false, "none"), "none", List.of(), List.of()).write(dir);
        String gpu = assertThrows(AotArtifactError.class, () -> AotMetadata.read(dir)).getMessage();
        assertTrue(gpu.contains("it holds a GPU artifact: load it with GpuAotFunction.load"), gpu);
    }
}
