package dev.tfjit.codegen.llvm;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The C client tests' harness: builds a C program against an AOT artifact's header and library with gcc, and runs it. */
final class CClient {
    private CClient() {}

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    /**
     * Compiles {@code source} (strict C11) against {@code lib<library>.so} in {@code artifact} into
     * {@code dir/main}, runs it and returns what it printed; a build error or a nonzero exit fails the test.
     */
    static String buildAndRun(Path dir, Path artifact, Path source, String library) throws IOException, InterruptedException {
        Path exe = dir.resolve("main");
        Process cc = new ProcessBuilder("gcc", "-std=c11", "-Wall", "-Werror", "-I", artifact.toString(), source.toString(), "-o", exe.toString(),
                "-L", artifact.toString(), "-l" + library, "-Wl,-rpath," + artifact).redirectErrorStream(true).start();
        String ccOut = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(cc.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, cc.exitValue(), ccOut);
        Process run = new ProcessBuilder(exe.toString()).redirectErrorStream(true).start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(run.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, run.exitValue(), out);
        return out;
    }
}
