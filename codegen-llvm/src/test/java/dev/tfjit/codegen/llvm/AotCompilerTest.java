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
import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.runtime.Interpreter;
import dev.tfjit.runtime.aot.AotArtifactError;
import dev.tfjit.runtime.aot.AotFunction;
import dev.tfjit.runtime.aot.AotMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Ahead-of-time artifacts: graphs compiled to {@code lib<name>.so} plus metadata run through
 * {@link AotFunction} exactly like the interpreter, in this JVM, in one without LLVM and from C.
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

    private static AotMetadata compile(String ir, String name, Path out, List<Shape>... signatures) {
        Graph g = Oracle.parse(ir);
        List<AotEntry> entries = Arrays.stream(signatures).map(s -> AotEntry.of(g, s)).toList();
        return AotCompiler.compile(new AotRequest(name, AotTarget.parse("host"), entries, Set.of(), "none", List.of()), out);
    }

    @SafeVarargs
    private static AotMetadata compileAffine(String name, Path out, List<Shape>... signatures) {
        return compile(AFFINE, name, out, signatures);
    }

    @Test
    void anArtifactComputesWhatTheInterpreterComputes() {
        Graph g = Oracle.parse(AFFINE);
        AotMetadata m = AotCompiler.compile(new AotRequest("affine", AotTarget.parse("host"),
                List.of(AotEntry.of(g, List.of(Shape.of(2, 3), Shape.of(3, 2)))), Set.of(AotEmit.OPTIMIZED_IR), "none", List.of()), dir);
        assertTrue(Files.isRegularFile(dir.resolve("libaffine.so")));
        AotMetadata.Entry e = m.entries().get(0);
        assertEquals("tfjit_aot_affine_0", e.symbol());
        assertEquals("f32[?,3], f32[3,2]", e.signature());
        assertEquals("[f32[2,3], f32[3,2]]", e.paramTypes().toString(), "the metadata records the concrete signature");
        assertEquals("x", e.params().get(0).name());
        assertEquals("[f32[2,2]]", e.resultTypes().toString());

        AotFunction a = AotFunction.load(dir);
        List<Buffer> want = Interpreter.run(g, List.of(X, W));
        assertArrayEquals(want.get(0).toFloatArray(), a.run(X, W).get(0).toFloatArray(), 1e-5f);
        assertEquals(a.metadata(), AotMetadata.read(dir), "the metadata reads back as written");
        assertEquals(IrPrinter.print(g), IrPrinter.print(a.entries().get(0).graph()), "--emit optimized-ir keeps the graph");
    }

    @Test
    void oneEntryPointPerSignatureAndCallsPickTheOneTheArgumentsFit() {
        AotMetadata m = compileAffine("batches", dir, List.of(Shape.of(2, 3), Shape.of(3, 2)), List.of(Shape.of(5, 3), Shape.of(3, 2)));
        assertEquals(List.of("tfjit_aot_batches_0", "tfjit_aot_batches_1"), m.entries().stream().map(AotMetadata.Entry::symbol).toList());
        AotFunction a = AotFunction.load(dir);
        Buffer x5 = Buffer.ofFloats(Shape.of(5, 3), 1, 2, 3, -1, 0, 0.5f, 2, 2, 2, 0, 0, 0, -3, 1, 0.25f);
        for (Buffer x : List.of(X, x5)) {
            float[] want = Interpreter.run(Oracle.parse(AFFINE), List.of(x, W)).get(0).toFloatArray();
            assertArrayEquals(want, a.run(x, W).get(0).toFloatArray(), 1e-5f);
        }
        ShapeError none = assertThrows(ShapeError.class, () -> a.run(Buffer.allocate(DType.FLOAT32, Shape.of(4, 3)), W));
        assertTrue(none.getMessage().contains("has no entry point for arguments (f32[4,3], f32[3,2])"), none.getMessage());
        assertTrue(none.getMessage().contains("[f32[2,3], f32[3,2]]; [f32[5,3], f32[3,2]]"), none.getMessage());
    }

    @Test
    void argumentsAreCheckedInJavaBeforeTheNativeCall() {
        compileAffine("checked", dir, List.of(Shape.of(2, 3), Shape.of(3, 2)));
        AotFunction a = AotFunction.load(dir);
        ShapeError shape = assertThrows(ShapeError.class, () -> a.run(Buffer.allocate(DType.FLOAT32, Shape.of(4, 3)), W));
        assertTrue(shape.getMessage().contains("argument 0 should have shape [2,3], got [4,3]"), shape.getMessage());
        DTypeError dtype = assertThrows(DTypeError.class, () -> a.run(Buffer.allocate(DType.FLOAT64, Shape.of(2, 3)), W));
        assertTrue(dtype.getMessage().contains("argument 0 should be"), dtype.getMessage());
        TfException count = assertThrows(TfException.class, () -> a.run(X));
        assertTrue(count.getMessage().contains("takes 2 arguments, got 1"), count.getMessage());
    }

    @Test
    void runTimeErrorsKeepTheirOpAndLocation() {
        compile("""
                func @div0(%x: i32[?], %y: i32[?]) -> i32[?] {
                  %0 = floor_div %x, %y : i32[?] loc(Model.java:42)
                  return %0
                }
                """, "div0", dir, List.of(Shape.of(3), Shape.of(3)));
        AotFunction a = AotFunction.load(dir);
        assertArrayEquals(new int[] {-4, 3, 0}, a.run(Buffer.ofInts(Shape.of(3), -7, 7, 0), Buffer.ofInts(Shape.of(3), 2, 2, 5))
                .get(0).toIntArray(), "floor division rounds toward -inf");
        InvalidArgumentError e = assertThrows(InvalidArgumentError.class,
                () -> a.run(Buffer.ofInts(Shape.of(3), 1, 2, 3), Buffer.ofInts(Shape.of(3), 1, 0, 1)));
        assertEquals("floor_div: Integer division by zero (at Model.java:42)", e.getMessage());
    }

    @Test
    void theCompilerRefusesSignaturesThatAreNotConcreteOrDoNotFitAndOpsItCannotLower() {
        assertThrows(ShapeError.class, () -> compileAffine("x", dir, List.of(Shape.of(-1, 3), Shape.of(3, 2))));
        assertThrows(ShapeError.class, () -> compileAffine("x", dir, List.of(Shape.of(2, 4), Shape.of(3, 2))));
        assertThrows(ShapeError.class, () -> compileAffine("x", dir, List.of(Shape.of(2, 3))));
        TfException name = assertThrows(TfException.class, () -> compileAffine("not-a-c-name", dir, List.of(Shape.of(2, 3), Shape.of(3, 2))));
        assertTrue(name.getMessage().contains("must be a C identifier"), name.getMessage());
        UnimplementedError op = assertThrows(UnimplementedError.class, () -> compile("""
                func @top(%x: bool[4]) -> i64[?,1] {
                  %0 = where %x : i64[?,1] loc(Net.java:7)
                  return %0
                }
                """, "top", dir, List.of(Shape.of(4))));
        assertTrue(op.getMessage().startsWith("where: the llvm-cpu backend does not lower 'where' yet: its output shape"), op.getMessage());
        assertTrue(op.getMessage().endsWith("(at Net.java:7)"), op.getMessage());
        assertFalse(Files.exists(dir.resolve("libtop.so")), "nothing is written for a refused function");
    }

    @Test
    void anIndexOutOfRangeInAnArtifactNamesTheRunTimeIndexAsTheInterpreterDoes() {
        String ir = """
                func @lookup(%p: f32[?,2], %i: i64[?]) -> f32[?,2] {
                  %0 = gather %p, %i {axis=0} : f32[?,2] loc(Embed.java:7)
                  return %0
                }
                """;
        compile(ir, "lookup", dir, List.of(Shape.of(3, 2), Shape.of(4)));
        AotFunction a = AotFunction.load(dir);
        List<Buffer> bad = List.of(X.reshaped(Shape.of(3, 2)), Buffer.ofLongs(Shape.of(4), 0, 2, 5, -1));
        InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> a.run(bad));
        TfException want = assertThrows(TfException.class, () -> Interpreter.run(Oracle.parse(ir), bad));
        assertEquals(want.getMessage(), e.getMessage());
        assertTrue(e.getMessage().contains("indices[2] = 5 is not in [0, 3)"), e.getMessage());
    }

    @Test
    void portableTargetsCheckTheCpuAndGpuTargetsWaitForTheirBackend() {
        AotTarget v3 = AotTarget.parse("x86-64-v3");
        assertEquals("x86-64-v3", v3.cpu());
        assertTrue(v3.requiredCpuFeatures().containsAll(List.of("avx2", "fma", "sse4.2")), v3.requiredCpuFeatures().toString());
        Graph g = Oracle.parse(AFFINE);
        AotMetadata m = AotCompiler.compile(new AotRequest("v3", v3, List.of(AotEntry.of(g, List.of(Shape.of(2, 3), Shape.of(3, 2)))),
                Set.of(), "none", List.of()), dir.resolve("v3"));
        assertEquals("x86-64-v3", m.target().name());
        assumeTrue(hostHas("avx2") && hostHas("fma"), "this CPU has no AVX2/FMA, so x86-64-v3 code cannot run here");
        float[] want = Interpreter.run(g, List.of(X, W)).get(0).toFloatArray();
        assertArrayEquals(want, AotFunction.load(dir.resolve("v3")).run(X, W).get(0).toFloatArray(), 1e-5f);

        // This module's tests have no GPU code generator on the class path (codegen-ptx registers one).
        UnimplementedError gpu = assertThrows(UnimplementedError.class, () -> AotCompiler.compileGpu(new AotRequest("g",
                AotTarget.parse("sm_90"), List.of(AotEntry.of(g, List.of(Shape.of(2, 3), Shape.of(3, 2)))), Set.of(), "none",
                List.of()), dir.resolve("gpu")));
        assertTrue(gpu.getMessage().contains("--target sm_90: no GPU code generator on the class path"), gpu.getMessage());
        TfException unknown = assertThrows(TfException.class, () -> AotTarget.parse("pentium"));
        assertTrue(unknown.getMessage().contains("unknown --target 'pentium'; choose one of host, x86-64"), unknown.getMessage());
    }

    /** A library whose code needs an extension this CPU lacks is refused before any of it runs. */
    @Test
    void anArtifactForACpuThisMachineIsNotIsRefused() {
        assumeTrue(!hostHas("avx512_fp16"), "this CPU has AVX512-FP16; the test needs an extension the CPU lacks");
        AotTarget future = new AotTarget("future", false, "x86-64", "", List.of("sse4.2", "avx512fp16"));
        Graph g = Oracle.parse(AFFINE);
        AotCompiler.compile(new AotRequest("future", future, List.of(AotEntry.of(g, List.of(Shape.of(2, 3), Shape.of(3, 2)))),
                Set.of(), "none", List.of()), dir);
        AotArtifactError e = assertThrows(AotArtifactError.class, () -> AotFunction.load(dir));
        assertTrue(e.getMessage().contains("this CPU lacks instruction set extensions"), e.getMessage());
        assertTrue(e.getMessage().contains("needs sse4.2 avx512fp16"), e.getMessage());
    }

    @Test
    void emitWritesTheIntermediateFormsBesideTheArtifact() throws IOException {
        Graph g = Oracle.parse(AFFINE);
        AotCompiler.compile(new AotRequest("emitted", AotTarget.parse("host"), List.of(AotEntry.of(g, List.of(Shape.of(2, 3),
                Shape.of(3, 2)))), AotEmit.parse("ir,optimized-ir,llvm,asm,dot"), "none", List.of()), dir);
        assertTrue(Files.readString(dir.resolve("emitted.0.traced.ir")).startsWith("func @affine("));
        assertTrue(Files.readString(dir.resolve("emitted.0.ir")).contains("matmul"));
        assertTrue(Files.readString(dir.resolve("emitted.0.ll")).contains("define i32 @tfjit_aot_emitted_0("));
        assertTrue(Files.readString(dir.resolve("emitted.0.opt.ll")).contains("@tfjit_aot_emitted_0("));
        String fusion = Files.readString(dir.resolve("emitted.0.fusion.txt"));
        assertTrue(fusion.contains("matmul") && fusion.contains("epilogue"), fusion);
        Matcher scratch = Pattern.compile("_SCRATCH_BYTES (\\d+)").matcher(Files.readString(dir.resolve("emitted.h")));
        assertTrue(scratch.find());
        assertTrue(fusion.endsWith("scratch block: " + scratch.group(1) + " bytes per call\n"), fusion); // the header's scratch size
        assertTrue(Files.readString(dir.resolve("emitted.0.s")).contains("tfjit_aot_emitted_0:"));
        assertTrue(Files.readString(dir.resolve("emitted.0.dot")).startsWith("digraph"));
        TfException ptx = assertThrows(TfException.class, () -> AotCompiler.compile(new AotRequest("p", AotTarget.parse("host"),
                List.of(AotEntry.of(g, List.of(Shape.of(2, 3), Shape.of(3, 2)))), AotEmit.parse("ptx"), "none", List.of()), dir));
        assertTrue(ptx.getMessage().contains("--emit ptx needs a GPU target"), ptx.getMessage());
        TfException unknown = assertThrows(TfException.class, () -> AotEmit.parse("ir,bitcode"));
        assertTrue(unknown.getMessage().contains("unknown --emit form 'bitcode'"), unknown.getMessage());
    }

    @Test
    void aCorruptedOrMismatchedArtifactIsRefusedWithoutRunningIt() throws IOException {
        AotArtifactError none = assertThrows(AotArtifactError.class, () -> AotFunction.load(dir));
        assertTrue(none.getMessage().contains("is not a tfjit artifact"), none.getMessage());

        Path corrupt = dir.resolve("corrupt");
        compileAffine("corrupt", corrupt, List.of(Shape.of(2, 3), Shape.of(3, 2)));
        Path lib = corrupt.resolve("libcorrupt.so");
        byte[] bytes = Files.readAllBytes(lib);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(lib, bytes);
        AotArtifactError bad = assertThrows(AotArtifactError.class, () -> AotFunction.load(corrupt));
        assertTrue(bad.getMessage().contains("is corrupted"), bad.getMessage());

        Path metadata = corrupt.resolve(AotMetadata.FILE);
        Files.writeString(metadata, Files.readString(metadata).replace("\"format\": " + AotMetadata.FORMAT, "\"format\": 99"));
        AotArtifactError format = assertThrows(AotArtifactError.class, () -> AotFunction.load(corrupt));
        assertTrue(format.getMessage().contains("has format 99"), format.getMessage());

        // Metadata edited consistently (shape and byte count) still disagrees with what the library was compiled for.
        Path edited = dir.resolve("edited");
        compileAffine("edited", edited, List.of(Shape.of(2, 3), Shape.of(3, 2)));
        Path md = edited.resolve(AotMetadata.FILE);
        Files.writeString(md, Files.readString(md).replace("\"shape\": [2, 3],\n          \"bytes\": 24", "\"shape\": [64, 3],\n          \"bytes\": 768"));
        AotArtifactError abi = assertThrows(AotArtifactError.class, () -> AotFunction.load(edited));
        assertTrue(abi.getMessage().contains("does not describe its library"), abi.getMessage());
        assertTrue(abi.getMessage().contains("tfjit_aot_edited_0(f32[2,3],f32[3,2])"), abi.getMessage());
    }

    @Test
    void aJvmCannotSwapALibraryItAlreadyLoaded() {
        Path same = dir.resolve("same");
        compileAffine("swap", same, List.of(Shape.of(2, 3), Shape.of(3, 2)));
        AotFunction.load(same);
        AotFunction.load(same); // the same library again is fine
        compileAffine("swap", same, List.of(Shape.of(5, 3), Shape.of(3, 2)));
        AotArtifactError e = assertThrows(AotArtifactError.class, () -> AotFunction.load(same));
        assertTrue(e.getMessage().contains("a different library was already loaded from"), e.getMessage());
    }

    /** The point of AOT: the artifact runs in a JVM whose class path has no LLVM and no code generator. */
    @Test
    void aJvmWithoutLlvmRunsTheArtifact() throws Exception {
        compileAffine("childaffine", dir.resolve("art"), List.of(Shape.of(2, 3), Shape.of(3, 2)));
        float[] want = Interpreter.run(Oracle.parse(AFFINE), List.of(X, W)).get(0).toFloatArray();
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("bytedeco") && !e.contains("codegen-llvm") && !e.contains("javacpp"))
                .collect(Collectors.joining(File.pathSeparator));
        Path source = dir.resolve("Child.java");
        Files.writeString(source, """
                import dev.tfjit.ir.*;
                import dev.tfjit.runtime.aot.AotFunction;
                import java.nio.file.Path;
                import java.util.*;
                public class Child {
                    public static void main(String[] a) {
                        try { Class.forName("org.bytedeco.llvm.global.LLVM"); System.out.println("LLVM present"); }
                        catch (ClassNotFoundException e) { System.out.println("no LLVM"); }
                        try { Class.forName("dev.tfjit.codegen.llvm.AotCompiler"); System.out.println("codegen present"); }
                        catch (ClassNotFoundException e) { System.out.println("no codegen"); }
                        AotFunction f = AotFunction.load(Path.of(a[0]));
                        Buffer x = Buffer.ofFloats(Shape.of(2, 3), 1, 2, 3, -1, 0, 0.5f);
                        Buffer w = Buffer.ofFloats(Shape.of(3, 2), 0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.25f);
                        System.out.println("result " + Arrays.toString(f.run(x, w).get(0).toFloatArray()));
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
        assertFalse(out.contains("WARNING"), "native access is granted, nothing is restricted: " + out);
        float[] got = parseFloats(out.substring(out.indexOf("result ") + 7).strip());
        assertArrayEquals(want, got, 1e-5f, out);
    }

    /** A C program includes the generated header, links the library and gets the interpreter's numbers from both entries. */
    @Test
    void aCProgramCallsTheArtifactThroughItsHeader() throws Exception {
        assumeTrue(CClient.onPath("gcc"), "gcc is not installed: skipping the C client test");
        Path art = dir.resolve("c");
        compileAffine("caffine", art, List.of(Shape.of(2, 3), Shape.of(3, 2)), List.of(Shape.of(1, 3), Shape.of(3, 2)));
        String header = Files.readString(art.resolve("caffine.h"));
        assertTrue(header.contains("int32_t tfjit_aot_caffine_0(void **args, void **results, void *scratch);"), header);
        assertTrue(header.contains("int32_t tfjit_aot_caffine_1(void **args, void **results, void *scratch);"), header);
        assertTrue(header.contains("#define TFJIT_AOT_CAFFINE_0_ARG0_ELEMENTS 6"), header);
        assertTrue(header.contains("#define TFJIT_AOT_CAFFINE_1_ARG0_ELEMENTS 3"), header);
        Path main = dir.resolve("main.c");
        Files.writeString(main, """
                #include <stdio.h>
                #include <stdlib.h>
                #include <string.h>
                #include "caffine.h"
                static void *buffer(size_t bytes) { return aligned_alloc(TFJIT_AOT_CAFFINE_ALIGNMENT, (bytes + 63) / 64 * 64 + 64); }
                int main(void) {
                    if (!tfjit_aot_caffine_cpu_supported()) { fprintf(stderr, "unsupported CPU\\n"); return 2; }
                    float x[] = {1, 2, 3, -1, 0, 0.5f}, w[] = {0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.25f};
                    void *args[2] = {buffer(TFJIT_AOT_CAFFINE_0_ARG0_BYTES), buffer(TFJIT_AOT_CAFFINE_0_ARG1_BYTES)};
                    memcpy(args[0], x, sizeof x);
                    memcpy(args[1], w, sizeof w);
                    float *out = buffer(TFJIT_AOT_CAFFINE_0_RESULT0_BYTES);
                    void *results[1] = {out};
                    void *scratch = TFJIT_AOT_CAFFINE_0_SCRATCH_BYTES ? buffer(TFJIT_AOT_CAFFINE_0_SCRATCH_BYTES) : NULL;
                    int status = tfjit_aot_caffine_0(args, results, scratch);
                    for (int i = 0; i < TFJIT_AOT_CAFFINE_0_RESULT0_ELEMENTS; i++) printf("%.9g\\n", out[i]);
                    /* the second entry: the first row alone */
                    void *scratch1 = TFJIT_AOT_CAFFINE_1_SCRATCH_BYTES ? buffer(TFJIT_AOT_CAFFINE_1_SCRATCH_BYTES) : NULL;
                    float *out1 = buffer(TFJIT_AOT_CAFFINE_1_RESULT0_BYTES);
                    void *results1[1] = {out1};
                    status |= tfjit_aot_caffine_1(args, results1, scratch1);
                    for (int i = 0; i < TFJIT_AOT_CAFFINE_1_RESULT0_ELEMENTS; i++) printf("%.9g\\n", out1[i]);
                    return status;
                }
                """);
        String out = CClient.buildAndRun(dir, art, main, "caffine");
        float[] got = parseFloats("[" + String.join(",", out.strip().split("\\s+")) + "]");
        float[] want = Interpreter.run(Oracle.parse(AFFINE), List.of(X, W)).get(0).toFloatArray();
        float[] all = Arrays.copyOf(want, 6);
        System.arraycopy(want, 0, all, 4, 2); // entry 1 computes the first row again
        assertArrayEquals(all, got, 1e-5f, out);
    }

    /** Whether /proc/cpuinfo lists {@code flag} (Linux's name for an extension). */
    static boolean hostHas(String flag) {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> Arrays.asList(l.substring(l.indexOf(':') + 1).strip().split("\\s+")).contains(flag)).orElse(false);
        } catch (IOException e) {
            return false;
        }
    }

    private static float[] parseFloats(String list) {
        String[] parts = list.substring(1, list.length() - 1).split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = Float.parseFloat(parts[i].strip());
        return out;
    }
}
