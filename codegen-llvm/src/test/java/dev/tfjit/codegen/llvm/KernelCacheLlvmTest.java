package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Shape;
import dev.tfjit.runtime.KernelCache;
import dev.tfjit.runtime.KernelKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The llvm-cpu backend's kernels go through one shared cache: equal graphs compile once per
 * JVM, and a fresh JVM links the stored object instead of running LLVM's optimizer.
 */
class KernelCacheLlvmTest {
    @TempDir Path dir;

    @Test
    void twoExecutablesOfTheSameGraphShareOneCompiledKernel() {
        String ir = """
                func @shared_twice(%a: f32[?]) -> f32[?] {
                  %0 = exp %a : f32[?]
                  %1 = sub %0, %a : f32[?]
                  return %1
                }
                """;
        KernelCache.Stats before = LlvmKernels.cache().stats();
        Buffer a = Buffer.ofFloats(Shape.of(3), 0, 1, -1);
        float[] first = Oracle.compile(ir).run(List.of(a)).get(0).toFloatArray();
        float[] second = Oracle.compile(ir).run(List.of(a)).get(0).toFloatArray();
        KernelCache.Stats after = LlvmKernels.cache().stats();
        assertArrayEquals(first, second);
        assertEquals(1f, first[0]);
        assertEquals(1, after.memoryHits() - before.memoryHits(), "the second executable found the kernel in memory");
        assertEquals(1, (after.compiles() + after.diskHits()) - (before.compiles() + before.diskHits()));
    }

    @Test
    void theKeyFollowsShapesConstantsAndTheHost() {
        Graph g = Oracle.parse("""
                func @keyed(%a: f32[?]) -> f32[?] {
                  %c = constant {value=dense<f32[]: 2.0>} : f32[]
                  %0 = mul %a, %c : f32[?]
                  return %0
                }
                """);
        Graph other = Oracle.parse("""
                func @keyed(%a: f32[?]) -> f32[?] {
                  %c = constant {value=dense<f32[]: 3.0>} : f32[]
                  %0 = mul %a, %c : f32[?]
                  return %0
                }
                """);
        KernelKey k4 = LlvmKernels.key(g, List.of(Shape.of(4)));
        assertEquals(k4, LlvmKernels.key(g, List.of(Shape.of(4))));
        assertNotEquals(k4.digest(), LlvmKernels.key(g, List.of(Shape.of(5))).digest());
        assertNotEquals(k4.digest(), LlvmKernels.key(other, List.of(Shape.of(4))).digest());
        NativeJit jit = NativeJit.get();
        assertEquals(jit.cpu(), k4.cpu());
        assertEquals(jit.features(), k4.cpuFeatures());
        assertEquals(64, k4.alignment());
        assertTrue(k4.compilerVersion().contains("llvm " + NativeJit.llvmVersion()), k4.compilerVersion());
        assertTrue(k4.graphIr().contains("2.0"), k4.graphIr());
    }

    /**
     * Three fresh JVMs on one cache directory: the first compiles and stores its three kernels, the
     * second only loads them (same results, same error message with its source line), and
     * after one entry is corrupted the third warns, recompiles that one and loads the others.
     */
    @Test
    void aFreshJvmLinksStoredObjectsWithoutCompiling() throws Exception {
        Child first = runChild();
        assertEquals(0, first.exit(), first.out() + first.err());
        assertTrue(first.out().contains("poly [2.0, 2.0, 0.75, 12.0]"), first.out());
        assertTrue(first.out().contains("error floor_div: Integer division by zero (at Model.java:42)"), first.out());
        assertTrue(first.out().contains("stats 0 0 4"), first.out());
        assertHeavyMatchesTheInterpreter(first.out());
        List<Path> entries = entries();
        assertEquals(4, entries.size());

        Child second = runChild();
        assertEquals(0, second.exit(), second.out() + second.err());
        assertEquals(lines(first.out(), "poly"), lines(second.out(), "poly"));
        assertEquals(lines(first.out(), "error"), lines(second.out(), "error"));
        assertEquals(lines(first.out(), "heavy"), lines(second.out(), "heavy")); // linked from its two stored objects
        assertTrue(second.out().contains("stats 0 4 0"), "no compile in the second JVM: " + second.out());
        System.out.println("kernel cache, fresh JVM: " + lines(first.out(), "timing") + " (compiled) / "
                + lines(second.out(), "timing") + " (disk hit)");

        byte[] bytes = Files.readAllBytes(entries.get(0));
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(entries.get(0), bytes);
        Child third = runChild();
        assertEquals(0, third.exit(), third.out() + third.err());
        assertEquals(lines(first.out(), "poly"), lines(third.out(), "poly"));
        assertTrue(third.out().contains("stats 0 3 1"), third.out());
        assertTrue(third.err().contains("corrupt kernel cache entry " + entries.get(0)), third.err());
        assertTrue(runChild().out().contains("stats 0 4 0"), "the recompile repaired the entry");
    }

    /** Two JVMs started together on an empty directory both compile and store the same keys; neither breaks the other's entries. */
    @Test
    void twoJvmsCompilingTheSameKernelsAtOnceLeaveValidEntries() throws Exception {
        Started a = startChild(), b = startChild();
        for (Child c : List.of(a.await(), b.await())) {
            assertEquals(0, c.exit(), c.out() + c.err());
            assertTrue(c.out().contains("poly [2.0, 2.0, 0.75, 12.0]"), c.out());
            assertEquals("", c.err());
        }
        assertEquals(4, entries().size());
        Child after = runChild();
        assertTrue(after.out().contains("stats 0 4 0"), after.out() + after.err());
        assertEquals("", after.err());
    }

    /** The child's sectioned function computed what the interpreter computes, bit for bit. */
    private static void assertHeavyMatchesTheInterpreter(String out) {
        String line = lines(out, "heavy");
        String[] halves = line.substring("heavy ".length()).split(" interpreter ");
        assertEquals(2, halves.length, line);
        assertEquals(halves[1], halves[0], line);
    }

    record Child(int exit, String out, String err) {}

    /** A running child JVM and the files its output goes to. */
    record Started(Process process, Path out, Path err) {
        Child await() throws IOException, InterruptedException {
            try {
                assertTrue(process.waitFor(180, TimeUnit.SECONDS), "the child JVM hangs");
                return new Child(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                process.destroy();
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        }
    }

    private Child runChild() throws IOException, InterruptedException { return startChild().await(); }

    private Started startChild() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path out = Files.createTempFile("tfjit-child", ".out");
        Path err = Files.createTempFile("tfjit-child", ".err");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Dtfjit.cache.dir=" + dir,
                "-cp", System.getProperty("java.class.path"), DiskCacheChildMain.class.getName())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new Started(p, out, err);
    }

    private List<Path> entries() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".kernel")).sorted().toList();
        }
    }

    private static String lines(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix + " ")).findFirst().orElse("(no " + prefix + " line)");
    }
}
