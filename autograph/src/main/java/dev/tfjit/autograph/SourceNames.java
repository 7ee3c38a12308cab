package dev.tfjit.autograph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Local variable names for programs run by the JDK's source launcher ({@code ./tfjit run}),
 * which compiles without a local variable table: when the launched file is the class's source
 * file, the line that stores the local usually names it ({@code Tensor v = x;}, {@code v = ...},
 * {@code for (Tensor row : t)}). Only a line with exactly one such name is trusted.
 */
final class SourceNames {
    private SourceNames() {}

    private static final Pattern ASSIGNED = Pattern.compile("(?<![\\w$.])([A-Za-z_$][\\w$]*)\\s*(?:[-+*/%&|^]|<<|>>>?)?=(?!=)");
    private static final Pattern FOR_EACH = Pattern.compile("\\bfor\\s*\\([^:;()]*?([A-Za-z_$][\\w$]*)\\s*:(?!:)");
    private static final Map<Path, List<String>> FILES = new ConcurrentHashMap<>();

    /** The name stored at {@code line} of {@code sourceFile}, or null when it cannot be told. */
    static String at(String sourceFile, int line) {
        String launched = System.getProperty("jdk.launcher.sourcefile");
        if (launched == null || sourceFile == null || line <= 0) return null;
        Path path = Path.of(launched);
        if (path.getFileName() == null || !path.getFileName().toString().equals(sourceFile)) return null;
        List<String> lines = FILES.computeIfAbsent(path, p -> {
            try {
                return Files.readAllLines(p);
            } catch (IOException | RuntimeException e) {
                return List.of();
            }
        });
        if (line > lines.size()) return null;
        String text = lines.get(line - 1).replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"").replaceAll("//.*", "");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = ASSIGNED.matcher(text);
        while (m.find()) names.add(m.group(1));
        Matcher f = FOR_EACH.matcher(text);
        while (f.find()) names.add(f.group(1));
        return names.size() == 1 ? names.iterator().next() : null;
    }
}
