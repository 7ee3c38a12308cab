package dev.tfjit.autograph;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Names of locals from the launched source file, for classes the source launcher compiled without a variable table. */
class SourceNamesTest {
    @Test
    void theOneNameStoredOnALine(@TempDir Path dir) throws IOException {
        Path src = dir.resolve("Prog.java");
        Files.writeString(src, String.join("\n",
                "Tensor v = x;",
                "    v = v.add(1f);  // v += 1",
                "total += x.item();",
                "for (Tensor row : data) {",
                "a = b = c;",
                "if (x == y) print(\"z = 1\");"));
        String before = System.getProperty("jdk.launcher.sourcefile");
        System.setProperty("jdk.launcher.sourcefile", src.toString());
        try {
            assertEquals("v", SourceNames.at("Prog.java", 1));
            assertEquals("v", SourceNames.at("Prog.java", 2));
            assertEquals("total", SourceNames.at("Prog.java", 3));
            assertEquals("row", SourceNames.at("Prog.java", 4));
            assertNull(SourceNames.at("Prog.java", 5), "two names: not trusted");
            assertNull(SourceNames.at("Prog.java", 6), "a comparison and a string are not stores");
            assertNull(SourceNames.at("Other.java", 1), "another file than the launched one");
        } finally {
            if (before == null) System.clearProperty("jdk.launcher.sourcefile");
            else System.setProperty("jdk.launcher.sourcefile", before);
        }
    }
}
