package dev.tfjit.cli;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Shape;
import dev.tfjit.runtime.aot.AotArtifactError;
import dev.tfjit.runtime.aot.AotFunction;
import dev.tfjit.runtime.aot.AotMetadata;
import dev.tfjit.runtime.aot.GpuAotFunction;
import dev.tfjit.runtime.aot.GpuAotMetadata;
import dev.tfjit.runtime.cuda.CudaDriver;
import dev.tfjit.tracer.Npy;
import dev.tfjit.tracer.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.tfjit.cli.TfjitCliTest.tfjit;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code tfjit compile --target sm_90}: PTX per signature, a cubin from ptxas when it is there
 * (and metadata saying so when it is not), checksummed files, the intermediate forms, and an
 * artifact that a JVM with only the ir and runtime modules reads and, without a GPU, refuses with
 * an error naming the driver it looked for.
 */
class GpuCompileTest {
    @TempDir Path dir;

    private static final String MODELS = Models.class.getName();

    private static boolean ptxasInstalled() {
        try {
            Process p = new ProcessBuilder("ptxas", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Compiles Models.dense (frozen variables become device constants) for two batch sizes. */
    private Path compileDense(String... extra) {
        Path art = dir.resolve("dense");
        List<String> args = new java.util.ArrayList<>(List.of("compile", "--class", MODELS, "--method", "dense", "--signature", "f32[?,3]",
                "--batch", "2,4", "--target", "sm_90", "-o", art.toString()));
        args.addAll(List.of(extra));
        TfjitCliTest.Result c = tfjit(args.toArray(String[]::new));
        assertEquals(0, c.exit(), c.err());
        return art;
    }

    @Test
    void compilesPtxPerSignatureWithCubinsAndChecksummedMetadata() throws IOException {
        assumeTrue(ptxasInstalled(), "ptxas is not on the PATH (the CUDA toolkit): no cubins to check");
        Path art = compileDense("--emit", "ptx,ir,optimized-ir,llvm,dot");
        GpuAotMetadata m = GpuAotMetadata.read(art);
        assertEquals("dense", m.name());
        assertEquals("sm_90", m.target().sm());
        assertEquals("nvptx64-nvidia-cuda", m.target().triple());
        assertTrue(m.target().ptxIsa().matches("\\d+\\.\\d+"), m.target().ptxIsa());
        assertTrue(m.compiler().contains("llvm"), m.compiler());
        assertTrue(m.assembler().cubins(), "ptxas accepted every program");
        assertTrue(m.assembler().version().contains("release"), m.assembler().version());
        assertEquals("freeze", m.variables());
        assertEquals(List.of("[f32[2,3]]", "[f32[4,3]]"), m.programs().stream()
                .map(p -> p.params().stream().map(AotMetadata.Slot::type).toList().toString()).toList());
        assertEquals(List.of("[f32[2,2]]", "[f32[4,2]]"), m.programs().stream()
                .map(p -> p.results().stream().map(AotMetadata.Slot::type).toList().toString()).toList());
        for (GpuAotMetadata.Program p : m.programs()) {
            assertEquals("f32[?,3]", p.signature());
            assertFalse(p.kernels().isEmpty());
            byte[] cubin = Files.readAllBytes(art.resolve(p.cubin()));
            assertArrayEquals(new byte[] {0x7f, 'E', 'L', 'F'}, Arrays.copyOf(cubin, 4), "a cubin is an ELF image");
            String ptx = Files.readString(art.resolve(p.directory()).resolve(p.directory() + ".ptx"));
            assertTrue(ptx.contains(".target sm_90"), "PTX for the target SM");
            assertTrue(p.files().stream().anyMatch(f -> f.path().equals(p.cubin())), "the cubin is checksummed too");
        }
        for (String f : List.of("dense.0.ptx", "dense.1.ptx", "dense.0.traced.ir", "dense.0.ir", "dense.0.ll", "dense.0.opt.ll", "dense.0.dot")) {
            assertTrue(Files.isRegularFile(art.resolve(f)), f);
        }
        assertTrue(Files.readString(art.resolve("dense.0.ll")).contains("ptx_kernel"), "the NVPTX IR");

        GpuAotFunction.Contents read = GpuAotFunction.read(art); // every check but the GPU's, without a GPU
        assertEquals(2, read.programs().size());
        assertNotNull(read.cubins().get(0));

        Path ptx = art.resolve(m.programs().get(1).directory()).resolve(m.programs().get(1).directory() + ".ptx");
        Files.writeString(ptx, Files.readString(ptx).replace(".target sm_90", ".target sm_80"));
        AotArtifactError corrupted = assertThrows(AotArtifactError.class, () -> GpuAotFunction.read(art));
        assertTrue(corrupted.getMessage().contains("dense_1.ptx is corrupted"), corrupted.getMessage());
        AotArtifactError cpu = assertThrows(AotArtifactError.class, () -> AotFunction.load(art));
        assertTrue(cpu.getMessage().contains("holds a GPU artifact"), cpu.getMessage());
    }

    @Test
    void withoutPtxasThereIsNoCubinAndTheMetadataSaysWhy() {
        String before = System.getProperty("tfjit.ptxas");
        System.setProperty("tfjit.ptxas", dir.resolve("no-such-ptxas").toString());
        try {
            Path art = compileDense();
            GpuAotMetadata m = GpuAotMetadata.read(art);
            assertFalse(m.assembler().cubins());
            assertNull(m.assembler().version());
            assertTrue(m.assembler().note().contains("ptxas was not found") && m.assembler().note().contains("driver compiles the PTX"),
                    m.assembler().note());
            for (GpuAotMetadata.Program p : m.programs()) assertNull(p.cubin());
            assertEquals(2, GpuAotFunction.read(art).programs().size());
        } finally {
            if (before == null) System.clearProperty("tfjit.ptxas");
            else System.setProperty("tfjit.ptxas", before);
        }
    }

    /** The class path of a JVM that has only the ir and runtime modules: no LLVM, no code generators, no tracer. */
    private static String runtimeOnlyClassPath() {
        String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> e.matches(".*/(ir|runtime)/target/classes/?") || e.matches(".*/tfjit-(ir|runtime)-[^/]*\\.jar"))
                .collect(Collectors.joining(File.pathSeparator));
        assertEquals(2, cp.split(File.pathSeparator).length, "the ir and runtime modules on " + System.getProperty("java.class.path"));
        return cp;
    }

    private String runChild(Path art) throws Exception {
        Path source = dir.resolve("Child.java");
        Files.writeString(source, """
                import dev.tfjit.ir.*;
                import dev.tfjit.runtime.aot.GpuAotFunction;
                import dev.tfjit.runtime.cuda.CudaError;
                import java.nio.file.Path;
                import java.util.*;
                public class Child {
                    public static void main(String[] a) {
                        for (String c : List.of("org.bytedeco.llvm.global.LLVM", "dev.tfjit.codegen.llvm.AotCompiler",
                                "dev.tfjit.codegen.ptx.PtxCompiler", "dev.tfjit.tracer.Tensor")) {
                            try { Class.forName(c); System.out.println("present " + c); } catch (ClassNotFoundException e) { }
                        }
                        System.out.println("programs " + GpuAotFunction.read(Path.of(a[0])).programs().size());
                        try (GpuAotFunction f = GpuAotFunction.load(Path.of(a[0]))) {
                            Buffer x = Buffer.ofFloats(Shape.of(2, 3), 1, 2, 3, -1, 0, 4);
                            System.out.println("result " + Arrays.toString(f.run(x).get(0).toFloatArray()));
                        } catch (CudaError e) {
                            System.out.println("cuda error: " + e.getMessage());
                        }
                    }
                }
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", runtimeOnlyClassPath(), source.toString(),
                art.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertFalse(out.contains("present "), "only the ir and runtime modules: " + out);
        assertTrue(out.contains("programs 2"), out);
        return out;
    }

    @Test
    void aJvmWithOnlyTheRuntimeReadsTheArtifactAndWithoutADriverSaysWhatItLookedFor() throws Exception {
        assumeFalse(CudaDriver.isAvailable(), "this machine has a CUDA driver: the gpu-tagged test runs the artifact instead");
        String out = runChild(compileDense());
        assertTrue(out.contains("cuda error: cannot run the GPU artifact in ") && out.contains("(compiled for sm_90)"), out);
        assertTrue(out.contains(CudaDriver.LIBRARY), "names the driver library looked for: " + out);

        Path x = dir.resolve("x.npy");
        Npy.write(x, Buffer.ofFloats(Shape.of(2, 3), 1, 2, 3, -1, 0, 4));
        TfjitCliTest.Result r = tfjit("run-artifact", dir.resolve("dense").toString(), "--inputs", x.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("tfjit run-artifact: cannot run the GPU artifact") && r.err().contains(CudaDriver.LIBRARY), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Tag("gpu")
    @Test
    void onAGpuTheArtifactRunsInAJvmWithOnlyTheRuntime() throws Exception {
        assumeTrue(CudaDriver.isAvailable(), () -> "no GPU: " + CudaDriver.unavailableReason().orElse(""));
        String out = runChild(compileDense());
        Buffer x = Buffer.ofFloats(Shape.of(2, 3), 1, 2, 3, -1, 0, 4);
        float[] want = Models.dense(Tensor.of(x)).buffer().toFloatArray();
        String line = out.lines().filter(l -> l.startsWith("result [")).findFirst().orElseThrow(() -> new AssertionError(out));
        String[] parts = line.substring(8, line.length() - 1).split(", ");
        float[] got = new float[parts.length];
        for (int i = 0; i < got.length; i++) got[i] = Float.parseFloat(parts[i]);
        assertArrayEquals(want, got, 1e-5f, out);
    }
}
