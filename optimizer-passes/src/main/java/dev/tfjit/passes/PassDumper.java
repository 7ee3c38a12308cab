package dev.tfjit.passes;

import dev.tfjit.ir.Graph;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the IR after each pass as {@code DIR/<function>.<NN>.<pass>.ir}, numbered in the order
 * the passes ran ({@code 00.input} is the graph before any pass), so a directory listing reads as
 * the history of one compilation.
 */
final class PassDumper {
    /** The system property that turns dumps on: {@code -Dtfjit.dump=DIR}. */
    static final String PROPERTY = "tfjit.dump";

    private final Path dir;
    private int counter;

    PassDumper(Path dir) { this.dir = dir; }

    /** A dumper for the directory named by {@code -Dtfjit.dump}, or null when it is not set. */
    static PassDumper fromSystemProperty() {
        String d = System.getProperty(PROPERTY);
        return d == null || d.isBlank() ? null : new PassDumper(Path.of(d));
    }

    void dump(Graph g, String step) {
        String file = String.format("%s.%02d.%s.ir", safe(g.name()), counter++, step);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(file), g.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the IR dump " + dir.resolve(file), e);
        }
    }

    /**
     * Writes a side file such as {@code fusion.txt} for a pass that runs outside a manager
     * (the code generator runs fusion itself), numbered after the dumps already in the
     * directory for that function so the listing still reads in order.
     */
    void dumpText(String function, String step, String text) {
        String prefix = safe(function) + ".";
        int next = 0;
        try {
            Files.createDirectories(dir);
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    String f = p.getFileName().toString();
                    if (!f.startsWith(prefix)) continue;
                    String rest = f.substring(prefix.length());
                    int dot = rest.indexOf('.');
                    if (dot > 0 && rest.substring(0, dot).chars().allMatch(Character::isDigit)) {
                        next = Math.max(next, Integer.parseInt(rest.substring(0, dot)) + 1);
                    }
                }
            }
            Files.writeString(dir.resolve(String.format("%s%02d.%s", prefix, next, step)), text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the dump " + step + " to " + dir, e);
        }
    }

    /** Function names come from user code; keep them from escaping the dump directory. */
    private static String safe(String name) { return name.replaceAll("[^A-Za-z0-9_.-]", "_"); }
}
