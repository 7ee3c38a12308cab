package dev.tfjit.runtime.aot;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two kinds of artifact metadata file ({@link AotMetadata} and {@link GpuAotMetadata}) and
 * what writing and reading them shares: the common header, the file itself, the format check,
 * the errors a loader gives, and typed access to the parsed JSON. Plain loops and no lambdas on
 * the success path, for the reason {@link Json} gives: a loader must start in milliseconds.
 */
enum MetadataFile {
    CPU("artifact", "a CPU artifact", AotMetadata.FILE, AotMetadata.FORMAT, "AotFunction"),
    GPU("GPU artifact", "a GPU artifact", GpuAotMetadata.FILE, GpuAotMetadata.FORMAT, "GpuAotFunction");

    /** How this kind's own messages name it ("artifact" alone is a CPU one, as the CLI says it). */
    private final String artifact;
    /** How the other kind's reader names it when it finds this kind's file instead of its own. */
    private final String aKind;
    private final String file;
    private final int format;
    private final String loader;

    MetadataFile(String artifact, String aKind, String file, int format, String loader) {
        this.artifact = artifact;
        this.aKind = aKind;
        this.file = file;
        this.format = format;
        this.loader = loader;
    }

    private MetadataFile other() { return this == CPU ? GPU : CPU; }

    // ---- writing ----

    /** The members every metadata file starts with; the caller adds its own after them. */
    Map<String, Object> root(String name, String tfjitVersion, String compiler) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", (long) format);
        root.put("name", name);
        root.put("tfjit_version", tfjitVersion);
        root.put("compiler", compiler);
        return root;
    }

    void write(Path dir, Map<String, Object> root) {
        try {
            Files.writeString(dir.resolve(file), Json.write(root), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the " + artifact + " metadata in " + dir, e);
        }
    }

    /** {@code variable_values}, as both kinds of artifact write it. */
    static List<Object> variableValuesJson(List<AotMetadata.VariableValue> values) {
        List<Object> vs = new ArrayList<>();
        for (AotMetadata.VariableValue v : values) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", v.name());
            m.put("file", v.file());
            vs.add(m);
        }
        return vs;
    }

    // ---- reading ----

    /**
     * Reads and parses {@code dir}'s file and checks its format. A missing file (naming the other
     * kind when that is what {@code dir} holds), an unreadable or unparsable one, or another
     * format is an {@link AotArtifactError}; the caller reads the members under {@link #malformed}.
     */
    Map<String, Object> readRoot(Path dir) {
        File f = new File(dir.toFile(), file);
        String text;
        try (FileInputStream in = new FileInputStream(f)) { // java.io: NIO's first use costs milliseconds
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (FileNotFoundException e) {
            if (!f.exists()) throw notThisKind(dir);
            throw unreadable(dir, e);
        } catch (IOException e) {
            throw unreadable(dir, e);
        }
        Map<String, Object> root;
        long found;
        try {
            root = object(Json.parse(text), "the file");
            found = number(root, "format");
        } catch (IllegalArgumentException e) {
            throw malformed(dir, e);
        }
        if (found != format) {
            throw new AotArtifactError("the " + artifact + " in " + dir + " has format " + found + " (tfjit " + root.get("tfjit_version")
                    + "), this tfjit reads format " + format + ": compile it again with this version");
        }
        return root;
    }

    private AotArtifactError notThisKind(Path dir) {
        MetadataFile o = other();
        String hint = new File(dir.toFile(), o.file).exists() ? " (it holds " + o.aKind + ": load it with " + o.loader + ".load)" : "";
        return new AotArtifactError(dir + " is not a tfjit " + artifact + ": it has no " + file + hint);
    }

    private AotArtifactError unreadable(Path dir, IOException e) {
        return new AotArtifactError("cannot read the metadata of the " + artifact + " in " + dir + ": " + e.getMessage());
    }

    /** What a reader throws when a member is missing or wrong ({@link IllegalArgumentException} and the like). */
    AotArtifactError malformed(Path dir, RuntimeException e) {
        return new AotArtifactError("malformed metadata in " + dir.resolve(file) + ": " + e.getMessage());
    }

    /** Reads {@code variable_values}; each file must lie inside the artifact. */
    static List<AotMetadata.VariableValue> variableValues(Map<String, Object> root) {
        List<AotMetadata.VariableValue> values = new ArrayList<>();
        for (Object o : list(root, "variable_values")) {
            Map<String, Object> m = object(o, "a variable value");
            values.add(new AotMetadata.VariableValue(string(m, "name"), insideArtifact(string(m, "file"))));
        }
        return values;
    }

    /** A path inside the artifact: relative, without {@code ..}, so that metadata cannot point a loader elsewhere. */
    static String insideArtifact(String path) {
        boolean inside = !path.isEmpty() && path.charAt(0) != '/' && path.indexOf('\\') < 0;
        for (int start = 0; inside && start <= path.length(); ) { // no ".." segment; plain loops: see Json
            int end = path.indexOf('/', start);
            if (end < 0) end = path.length();
            if (end - start == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.') inside = false;
            start = end + 1;
        }
        if (!inside) throw new IllegalArgumentException("\"" + path + "\" is not a path inside the artifact");
        return path;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object o, String what) {
        if (o instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw new IllegalArgumentException(what + " is not a JSON object");
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> m, String key) {
        if (m.get(key) instanceof List<?> l) return (List<Object>) l;
        throw missing(key, "an array");
    }

    static String string(Map<String, Object> m, String key) {
        if (m.get(key) instanceof String s) return s;
        throw missing(key, "a string");
    }

    static String optionalString(Map<String, Object> m, String key) {
        if (!m.containsKey(key)) throw missing(key, "a string or null");
        return m.get(key) == null ? null : string(m, key);
    }

    static long number(Map<String, Object> m, String key) {
        if (m.get(key) instanceof Long n) return n;
        throw missing(key, "a number");
    }

    static boolean bool(Map<String, Object> m, String key) {
        if (m.get(key) instanceof Boolean b) return b;
        throw missing(key, "a boolean");
    }

    static List<String> strings(Map<String, Object> m, String key) {
        List<String> out = new ArrayList<>();
        for (Object o : list(m, key)) {
            if (!(o instanceof String s)) throw missing(key, "an array of strings");
            out.add(s);
        }
        return out;
    }

    private static IllegalArgumentException missing(String key, String what) {
        return new IllegalArgumentException("member \"" + key + "\" is missing or not " + what);
    }
}
