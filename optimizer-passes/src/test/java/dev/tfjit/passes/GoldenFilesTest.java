package dev.tfjit.passes;

import dev.tfjit.ir.Graph;
import dev.tfjit.ir.IrParser;
import dev.tfjit.ir.Verifier;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * IR text in, IR text out: each {@code golden/*.ir} file names the passes to run
 * ({@code # passes: simplify dce}, or {@code pipeline} for the fixed-point pipeline), then holds
 * the input function, a {@code # expect} line and the expected function. Other {@code #} lines
 * are comments. Every intermediate graph must pass the verifier.
 */
class GoldenFilesTest {
    @TestFactory
    Stream<DynamicTest> everyGoldenFileGivesItsExpectedIr() throws IOException, URISyntaxException {
        Path dir = Path.of(GoldenFilesTest.class.getResource("/golden").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".ir")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no golden files in " + dir);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(Files.readString(f))));
    }

    private static void check(String text) {
        List<String> passNames = new ArrayList<>();
        StringBuilder input = new StringBuilder(), expected = new StringBuilder();
        StringBuilder current = input;
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("# passes:")) passNames.addAll(List.of(line.substring("# passes:".length()).trim().split("\\s+")));
            else if (line.equals("# expect")) current = expected;
            else if (!line.startsWith("#")) current.append(line).append('\n');
        }
        Graph in = IrParser.parse(input.toString().strip() + "\n");
        Verifier.verify(in);
        assertEquals(input.toString().strip() + "\n", in.toString(), "the input must be in canonical printed form");
        Graph out = in;
        for (String name : passNames) {
            out = name.equals("pipeline")
                    ? PassManager.simplification().withVerifier(Verifier::verify).run(out)
                    : pass(name).run(out);
            Verifier.verify(out);
        }
        assertEquals(expected.toString().strip() + "\n", out.toString());
    }

    private static Pass pass(String name) {
        if (name.equals("fusion")) return new FusionPass(); // not in the pipeline: the code generator runs it
        return PassManager.simplification().passes().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown pass '" + name + "'"));
    }
}
