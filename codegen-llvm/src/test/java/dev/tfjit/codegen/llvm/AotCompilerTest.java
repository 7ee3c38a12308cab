package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.IrPrinter;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.TfException;
import dev.tfjit.runtime.Interpreter;
import dev.tfjit.runtime.aot.AotArtifact;
import dev.tfjit.runtime.aot.AotArtifactError;
import dev.tfjit.runtime.aot.AotManifest;
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

import static org.junit.jupiter.api.Assertions.*;

/**
 * Ahead-of-time artifacts: a graph compiled to {@code lib<name>.so} plus manifest runs through
 * {@link AotArtifact} exactly like the interpreter, in this JVM and in one without LLVM.
 */
class AotCompilerTest {
    @TempDir Path dir;

    private static final String AFFINE = """
            func @affine(%x: f32[?,3], %w: f32[3,2]) -> f32[?,2] {
              %0 = matmul %x, %w : f32[?,2]
              %1 = exp %0 : f32[?,2]
              %2 = sub %1, %0 : f32[?,2]
              return %2
            }
            """;

    private static final Buffer X = Buffer.ofFloats(Shape.of(2, 3), 1, 2, 3, -1, 0, 0.5f);
    private static final Buffer W = Buffer.ofFloats(Shape.of(3, 2), 0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.25f);

    @Test
    void anArtifactComputesWhatTheInterpreterComputes() {
        Graph g = Oracle.parse(AFFINE);
        AotManifest m = AotCompiler.compile(g, List.of(Shape.of(2, 3), Shape.of(3, 2)), "affine", dir);
        assertTrue(Files.isRegularFile(dir.resolve("libaffine.so")));
        assertEquals("tfjit_aot_affine", m.symbol());
        assertEquals("f32[2,3]", m.params().get(0).toString(), "the manifest records the concrete signature");
        assertEquals("f32[2,2]", m.results().get(0).toString());

        AotArtifact a = AotArtifact.load(dir);
        List<Buffer> want = Interpreter.run(g, List.of(X, W));
        List<Buffer> got = a.run(List.of(X, W));
        assertArrayEquals(want.get(0).toFloatArray(), got.get(0).toFloatArray(), 1e-5f);
        assertEquals(a.manifest(), AotManifest.read(dir), "the manifest reads back as written");
        assertEquals(IrPrinter.print(g), IrPrinter.print(a.graph()), "the artifact keeps its graph");
    }

    @Test
    void argumentsAreCheckedInJavaBeforeTheNativeCall() {
        AotCompiler.compile(Oracle.parse(AFFINE), List.of(Shape.of(2, 3), Shape.of(3, 2)), "checked", dir);
        AotArtifact a = AotArtifact.load(dir);
        ShapeError shape = assertThrows(ShapeError.class,
                () -> a.run(List.of(Buffer.allocate(DType.FLOAT32, Shape.of(4, 3)), W)));
        assertTrue(shape.getMessage().contains("argument 0 should have shape [2,3], got [4,3]"), shape.getMessage());
        DTypeError dtype = assertThrows(DTypeError.class,
                () -> a.run(List.of(Buffer.allocate(DType.FLOAT64, Shape.of(2, 3)), W)));
        assertTrue(dtype.getMessage().contains("argument 0 should be"), dtype.getMessage());
        assertThrows(RuntimeException.class, () -> a.run(List.of(X)), "too few arguments");
    }

    @Test
    void runTimeErrorsKeepTheirOpAndLocation() {
        Graph g = Oracle.parse("""
                func @div0(%x: i32[?], %y: i32[?]) -> i32[?] {
                  %0 = floor_div %x, %y : i32[?] loc(Model.java:42)
                  return %0
                }
                """);
        AotCompiler.compile(g, List.of(Shape.of(3), Shape.of(3)), "div0", dir);
        AotArtifact a = AotArtifact.load(dir);
        assertArrayEquals(new int[] {-4, 3, 0}, a.run(List.of(Buffer.ofInts(Shape.of(3), -7, 7, 0),
                Buffer.ofInts(Shape.of(3), 2, 2, 5))).get(0).toIntArray(), "floor division rounds toward -inf");
        InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> a.run(List.of(Buffer.ofInts(Shape.of(3), 1, 2, 3),
                Buffer.ofInts(Shape.of(3), 1, 0, 1))));
        assertTrue(e.getMessage().contains("Integer division by zero"), e.getMessage());
        assertTrue(e.getMessage().contains("floor_div") && e.getMessage().contains("Model.java:42"), e.getMessage());
    }

    @Test
    void anIndexOutOfRangeInAnArtifactNamesTheRunTimeIndexAsTheInterpreterDoes() {
        Graph g = Oracle.parse("""
                func @lookup(%p: f32[?,2], %i: i64[?]) -> f32[?,2] {
                  %0 = gather %p, %i {axis=0} : f32[?,2] loc(Embed.java:7)
                  return %0
                }
                """);
        AotCompiler.compile(g, List.of(Shape.of(3, 2), Shape.of(4)), "lookup", dir);
        AotArtifact a = AotArtifact.load(dir);
        List<Buffer> bad = List.of(X.reshaped(Shape.of(3, 2)), Buffer.ofLongs(Shape.of(4), 0, 2, 5, -1));
        InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> a.run(bad));
        TfException want = assertThrows(TfException.class, () -> Interpreter.run(g, bad));
        assertEquals(want.getMessage(), e.getMessage());
        assertTrue(e.getMessage().contains("indices[2] = 5 is not in [0, 3)"), e.getMessage());
    }

    @Test
    void theCompilerRefusesSignaturesThatAreNotConcreteOrDoNotFit() {
        Graph g = Oracle.parse(AFFINE);
        assertThrows(ShapeError.class, () -> AotCompiler.compile(g, List.of(Shape.of(-1, 3), Shape.of(3, 2)), "x", dir));
        assertThrows(ShapeError.class, () -> AotCompiler.compile(g, List.of(Shape.of(2, 4), Shape.of(3, 2)), "x", dir));
        assertThrows(ShapeError.class, () -> AotCompiler.compile(g, List.of(Shape.of(2, 3)), "x", dir));
        assertThrows(RuntimeException.class, () -> AotCompiler.compile(g, List.of(Shape.of(2, 3), Shape.of(3, 2)), "not-a-c-name", dir));
    }

    @Test
    void aCorruptedOrMissingArtifactIsRefusedWithoutMappingIt() throws IOException {
        AotArtifactError none = assertThrows(AotArtifactError.class, () -> AotArtifact.load(dir));
        assertTrue(none.getMessage().contains("is not a tfjit artifact"), none.getMessage());

        AotCompiler.compile(Oracle.parse(AFFINE), List.of(Shape.of(2, 3), Shape.of(3, 2)), "corrupt", dir);
        Path lib = dir.resolve("libcorrupt.so");
        byte[] bytes = Files.readAllBytes(lib);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(lib, bytes);
        AotArtifactError bad = assertThrows(AotArtifactError.class, () -> AotArtifact.load(dir));
        assertTrue(bad.getMessage().contains("is corrupted"), bad.getMessage());

        Path manifest = dir.resolve(AotManifest.FILE);
        Files.writeString(manifest, Files.readString(manifest).replace("format=1", "format=99"));
        AotArtifactError format = assertThrows(AotArtifactError.class, () -> AotArtifact.load(dir));
        assertTrue(format.getMessage().contains("format 99"), format.getMessage());
    }

    /** The point of AOT: the artifact runs in a JVM whose class path has no LLVM and no code generator. */
    @Test
    void aJvmWithoutLlvmRunsTheArtifact() throws Exception {
        AotCompiler.compile(Oracle.parse(AFFINE), List.of(Shape.of(2, 3), Shape.of(3, 2)), "childaffine", dir.resolve("art"));
        float[] want = Interpreter.run(Oracle.parse(AFFINE), List.of(X, W)).get(0).toFloatArray();
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("bytedeco") && !e.contains("codegen-llvm") && !e.contains("javacpp"))
                .collect(Collectors.joining(File.pathSeparator));
        Path source = dir.resolve("Child.java");
        Files.writeString(source, """
                import dev.tfjit.ir.*;
                import dev.tfjit.runtime.aot.AotArtifact;
                import java.nio.file.Path;
                import java.util.*;
                public class Child {
                    public static void main(String[] a) {
                        try { Class.forName("org.bytedeco.llvm.global.LLVM"); System.out.println("LLVM present"); }
                        catch (ClassNotFoundException e) { System.out.println("no LLVM"); }
                        try { Class.forName("dev.tfjit.codegen.llvm.AotCompiler"); System.out.println("codegen present"); }
                        catch (ClassNotFoundException e) { System.out.println("no codegen"); }
                        long t0 = System.nanoTime();
                        AotArtifact art = AotArtifact.load(Path.of(a[0]));
                        long t1 = System.nanoTime();
                        AotArtifact.load(Path.of(a[0]));
                        System.out.printf("aot artifact load in a fresh JVM: first %.2f ms, again %.2f ms%n", (t1 - t0) / 1e6,
                                (System.nanoTime() - t1) / 1e6);
                        Buffer x = Buffer.ofFloats(Shape.of(2, 3), 1, 2, 3, -1, 0, 0.5f);
                        Buffer w = Buffer.ofFloats(Shape.of(3, 2), 0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.25f);
                        System.out.println("result " + Arrays.toString(art.run(List.of(x, w)).get(0).toFloatArray()));
                    }
                }
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", classPath, source.toString(),
                dir.resolve("art").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("no LLVM") && out.contains("no codegen"), out);
        System.out.println(out.lines().filter(l -> l.startsWith("aot artifact load")).findFirst().orElse(""));
        float[] got = parseFloats(out.substring(out.indexOf("result ") + 7).strip());
        assertArrayEquals(want, got, 1e-5f, out);
    }

    /** A C program includes the generated header, links the library and gets the interpreter's numbers. */
    @Test
    void aCProgramCallsTheArtifactThroughItsHeader() throws Exception {
        Path art = dir.resolve("c");
        AotCompiler.compile(Oracle.parse(AFFINE), List.of(Shape.of(2, 3), Shape.of(3, 2)), "caffine", art);
        String header = Files.readString(art.resolve("caffine.h"));
        assertTrue(header.contains("int32_t tfjit_aot_caffine(void **args, void **results, void *scratch);"), header);
        assertTrue(header.contains("#define TFJIT_AOT_CAFFINE_ARG0_ELEMENTS 6"), header);
        Path main = dir.resolve("main.c");
        Files.writeString(main, """
                #include <stdio.h>
                #include <stdlib.h>
                #include <string.h>
                #include "caffine.h"
                static void *buffer(size_t bytes) { return aligned_alloc(TFJIT_AOT_CAFFINE_ALIGNMENT, (bytes + 63) / 64 * 64 + 64); }
                int main(void) {
                    float x[] = {1, 2, 3, -1, 0, 0.5f}, w[] = {0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.25f};
                    void *args[2] = {buffer(TFJIT_AOT_CAFFINE_ARG0_BYTES), buffer(TFJIT_AOT_CAFFINE_ARG1_BYTES)};
                    memcpy(args[0], x, sizeof x);
                    memcpy(args[1], w, sizeof w);
                    float *out = buffer(TFJIT_AOT_CAFFINE_RESULT0_BYTES);
                    void *results[1] = {out};
                    void *scratch = TFJIT_AOT_CAFFINE_SCRATCH_BYTES ? buffer(TFJIT_AOT_CAFFINE_SCRATCH_BYTES) : NULL;
                    int status = tfjit_aot_caffine(args, results, scratch);
                    for (int i = 0; i < TFJIT_AOT_CAFFINE_RESULT0_ELEMENTS; i++) printf("%.9g\\n", out[i]);
                    return status;
                }
                """);
        Path exe = dir.resolve("main");
        Process cc = new ProcessBuilder("cc", "-std=c11", "-Wall", "-Werror", "-I", art.toString(), main.toString(), "-o", exe.toString(),
                "-L", art.toString(), "-lcaffine", "-Wl,-rpath," + art).redirectErrorStream(true).start();
        String ccOut = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(cc.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, cc.exitValue(), ccOut);
        Process run = new ProcessBuilder(exe.toString()).redirectErrorStream(true).start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(run.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, run.exitValue(), out);
        float[] got = parseFloats("[" + String.join(",", out.strip().split("\\s+")) + "]");
        float[] want = Interpreter.run(Oracle.parse(AFFINE), List.of(X, W)).get(0).toFloatArray();
        assertArrayEquals(want, got, 1e-5f, out);
    }

    private static float[] parseFloats(String list) {
        String[] parts = list.substring(1, list.length() - 1).split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = Float.parseFloat(parts[i].strip());
        return out;
    }
}
