package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * -Dtfjit.dump=DIR writes the LLVM IR before and after O3, the assembly (the hot loop is vectorized) and
 * the backend's fusion report ({@link FusionReportTest} checks its contents).
 */
class DumpTest {
    @Test
    void dumpsShowIrBeforeAndAfterO3AndVectorizedAssembly(@TempDir Path dir) throws IOException {
        String old = System.getProperty("tfjit.dump");
        System.setProperty("tfjit.dump", dir.toString());
        try {
            Oracle.compiled("""
                    func @triad(%a: f32[?], %b: f32[?], %c: f32[?]) -> f32[?] {
                      %0 = mul %a, %b : f32[?]
                      %1 = add %0, %c : f32[?]
                      return %1
                    }
                    """, buf(), buf(), buf());
        } finally {
            if (old == null) System.clearProperty("tfjit.dump");
            else System.setProperty("tfjit.dump", old);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().startsWith("tfjit_triad_")).sorted().toList();
        }
        assertEquals(4, files.size(), files.toString());
        String before = read(files, ".ll"), after = read(files, ".opt.ll"), asm = read(files, ".s"), fusion = read(files, ".fusion.txt");
        assertTrue(fusion.contains("%0 = mul f32[1024]: inlined into %1"), fusion);
        assertTrue(before.contains("fmul float"), before);
        assertTrue(after.contains("x float>"), "O3 should vectorize the fused loop:\n" + after);
        assertTrue(asm.contains("zmm") || asm.contains("ymm") || asm.contains("xmm"), asm); // AVX-512, AVX2 or SSE vectors
    }

    private static Buffer buf() { return TestData.uniform(DType.FLOAT32, Shape.of(1024), 1, 1, false); }

    private static String read(List<Path> files, String suffix) throws IOException {
        Path p = files.stream().filter(f -> f.toString().endsWith(suffix) && !(suffix.equals(".ll") && f.toString().endsWith(".opt.ll")))
                .findFirst().orElseThrow();
        return Files.readString(p);
    }
}
