package dev.tfjit.tests.agent;

import dev.tfjit.autograph.agent.TfjitAgent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java agent in real JVMs: the tfjit-autograph jar Maven packaged is passed as
 * {@code -javaagent}, as {@code ./tfjit run} does. Runs in the integration-test phase, after
 * the jar is built ({@code mvn verify}).
 */
class AgentIT {

    private static Path agentJar() throws IOException {
        Path p;
        try {
            p = Path.of(TfjitAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        assertTrue(Files.isRegularFile(p) && p.toString().endsWith(".jar"),
                "the autograph module is on the class path as " + p + ", not as its packaged jar: run mvn verify");
        try (JarFile jar = new JarFile(p.toFile())) {
            assertEquals("dev.tfjit.autograph.agent.TfjitAgent", jar.getManifest().getMainAttributes().getValue("Premain-Class"));
        }
        return p;
    }

    private static String run(boolean agent, String... mainAndArgs) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Dtfjit.cache.dir=" + System.getProperty("tfjit.cache.dir", "target/tfjit-kernel-cache"));
        if (agent) cmd.add("-javaagent:" + agentJar());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.addAll(List.of(mainAndArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "timed out:\n" + out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static List<String> lines(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix)).toList();
    }

    @Test
    void annotatedMethodsRunTheirFunctionsUnderTheAgentAndGiveWhatJavaGives() throws Exception {
        String with = run(true, AgentProgram.class.getName());
        String without = run(false, AgentProgram.class.getName());
        assertTrue(with.contains("agent on"), with);
        assertTrue(without.contains("agent off"), without);
        assertEquals(lines(without, "result"), lines(with, "result"), "the functions compute what the plain Java computes");
        // addUntil: 3 + 3 + 3 = 9 <= 10, then 10 and 11 <= 11.5 with x = 1.
        assertTrue(with.contains("result addUntil 3 total 9.0") && with.contains("result addUntil 2 total 11.0"), with);
        assertTrue(with.contains("traces addUntil 1 scaled 1 sumSquares 1"), "one trace per method under the agent:\n" + with);
        assertTrue(with.contains("backend sumSquares llvm-cpu"), with);
        assertTrue(without.contains("traces addUntil 0 scaled 0 sumSquares 0"), "without the agent the calls are plain Java:\n" + without);
    }

    @Test
    void theExampleRunsWithTheAgentAsTfjitRunStartsIt() throws Exception {
        String out = run(true, Path.of("..", "examples", "AutoGraph.java").toString());
        assertTrue(out.contains("agent: on, calls of @TfFunction methods run their functions"), out);
        assertTrue(out.contains("fit stopped early after 12 steps; w = 2.989"), out);
        assertTrue(out.contains("predict([10, 20]) = [29.89, 59.79]"), out);
        assertTrue(out.contains("collatz(27) = 111 steps, on llvm-cpu"), out);
        assertTrue(out.contains("fit traces: 1, predict traces: 1"), out);
    }
}
