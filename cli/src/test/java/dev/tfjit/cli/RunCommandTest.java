package dev.tfjit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code tfjit run FILE.java} behaves as {@code java FILE.java} did: output, arguments, the
 * program's own exit status, and an exception's report and status. Run in a child JVM started
 * the way the ./tfjit script starts it.
 */
class RunCommandTest {
    @TempDir Path dir;

    private record Run(int exit, String out) {}

    private Run tfjitRun(String program, String... args) throws Exception {
        Path file = dir.resolve("Prog.java");
        Files.writeString(file, program);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--add-exports", "jdk.compiler/com.sun.tools.javac.launcher=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), TfjitCli.class.getName(), "run", file.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out);
    }

    @Test
    void runsASingleFileProgramWithTfjitOnTheClassPath() throws Exception {
        Run r = tfjitRun("""
                import dev.tfjit.tracer.*;
                public class Prog {
                    public static void main(String[] args) {
                        System.out.println(args[0] + " " + args[1] + " " + Tf.constant(new float[] {1, 2}).add(Tf.constant(1f)));
                    }
                }
                """, "--flag", "x");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("--flag x tf.Tensor([2. 3.], shape=(2,), dtype=float32)"), r.out());
    }

    @Test
    void theProgramsExitStatusAndExceptionsAreItsOwn() throws Exception {
        Run exits = tfjitRun("public class Prog { public static void main(String[] a) { System.exit(3); } }");
        assertEquals(3, exits.exit(), exits.out());
        Run fails = tfjitRun("public class Prog { public static void main(String[] a) { throw new IllegalStateException(\"boom\"); } }");
        assertEquals(1, fails.exit(), fails.out());
        assertTrue(fails.out().contains("Exception in thread \"main\" java.lang.IllegalStateException: boom"), fails.out());
        assertTrue(fails.out().contains("at Prog.main(Prog.java:1)"), fails.out());
        Run broken = tfjitRun("public class Prog { public static void main(String[] a) { int x = \"no\"; } }");
        assertEquals(1, broken.exit(), broken.out());
        assertTrue(broken.out().contains("error: incompatible types"), broken.out());
    }
}
