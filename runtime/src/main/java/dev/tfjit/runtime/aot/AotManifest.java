package dev.tfjit.runtime.aot;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.SourceLocation;
import dev.tfjit.ir.TensorType;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The text manifest beside an ahead-of-time artifact's shared library: everything a loader
 * needs to call the entry point safely without LLVM (the concrete argument and result types,
 * the scratch size, the run-time error sites) and what it needs to refuse an artifact it cannot
 * run (format, architecture, checksum). A properties file, so that reading it needs nothing
 * beyond the JDK and a person can read it too.
 *
 * @param name the function's name, also the library's ({@code lib<name>.so})
 * @param symbol the entry point: {@code int symbol(void **args, void **results, void *scratch)}
 * @param librarySha256 hex SHA-256 of the library, checked on load so a corrupted file is refused before it is mapped
 */
public record AotManifest(String name, String symbol, String tfjitVersion, String compiler, String arch, String targetTriple,
                          String targetCpu, String librarySha256, long scratchBytes, List<TensorType> params,
                          List<TensorType> results, List<ErrorSite> errors) {
    /** Bumped when the keys below or the entry point's calling convention change. */
    public static final int FORMAT = 1;
    public static final String FILE = "tfjit-artifact.properties";
    /** The graph's IR text, kept beside the library for {@link AotArtifact#graph()} and for people. */
    public static final String GRAPH_FILE = "graph.ir";

    /** A run-time error the native code signals with one bit of its status word (bit i = site i). */
    public record ErrorSite(String op, SourceLocation location, String message) {}

    public AotManifest {
        params = List.copyOf(params);
        results = List.copyOf(results);
        errors = List.copyOf(errors);
    }

    public String libraryFile() { return "lib" + name + ".so"; }

    public void write(Path dir) {
        Properties p = new Properties();
        p.setProperty("format", Integer.toString(FORMAT));
        p.setProperty("name", name);
        p.setProperty("symbol", symbol);
        p.setProperty("library", libraryFile());
        p.setProperty("library.sha256", librarySha256);
        p.setProperty("tfjit.version", tfjitVersion);
        p.setProperty("compiler", compiler);
        p.setProperty("target.arch", arch);
        p.setProperty("target.triple", targetTriple);
        p.setProperty("target.cpu", targetCpu);
        p.setProperty("scratch.bytes", Long.toString(scratchBytes));
        writeTypes(p, "param", params);
        writeTypes(p, "result", results);
        p.setProperty("errors", Integer.toString(errors.size()));
        for (int i = 0; i < errors.size(); i++) {
            ErrorSite e = errors.get(i);
            p.setProperty("error." + i + ".op", e.op());
            p.setProperty("error." + i + ".file", e.location().file());
            p.setProperty("error." + i + ".line", Integer.toString(e.location().line()));
            p.setProperty("error." + i + ".message", e.message());
        }
        try (Writer w = Files.newBufferedWriter(dir.resolve(FILE), StandardCharsets.UTF_8)) {
            p.store(w, "tfjit ahead-of-time artifact");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the artifact manifest in " + dir, e);
        }
    }

    /** Reads {@code dir}'s manifest; a missing, unreadable or malformed one is an {@link AotArtifactError}. */
    public static AotManifest read(Path dir) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve(FILE), StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new AotArtifactError(dir + " is not a tfjit artifact: it has no " + FILE);
        } catch (IOException | IllegalArgumentException e) {
            throw new AotArtifactError("cannot read the manifest of the artifact in " + dir + ": " + e.getMessage());
        }
        try {
            int format = Integer.parseInt(get(p, "format"));
            if (format != FORMAT) {
                throw new AotArtifactError("the artifact in " + dir + " has format " + format + ", this tfjit reads format " + FORMAT
                        + ": compile it again with this version");
            }
            int nErrors = Integer.parseInt(get(p, "errors"));
            List<ErrorSite> errors = new ArrayList<>(nErrors);
            for (int i = 0; i < nErrors; i++) {
                errors.add(new ErrorSite(get(p, "error." + i + ".op"),
                        new SourceLocation(get(p, "error." + i + ".file"), Integer.parseInt(get(p, "error." + i + ".line"))),
                        get(p, "error." + i + ".message")));
            }
            AotManifest m = new AotManifest(get(p, "name"), get(p, "symbol"), get(p, "tfjit.version"), get(p, "compiler"),
                    get(p, "target.arch"), get(p, "target.triple"), get(p, "target.cpu"), get(p, "library.sha256"),
                    Long.parseLong(get(p, "scratch.bytes")), readTypes(p, "param"), readTypes(p, "result"), errors);
            if (!m.libraryFile().equals(get(p, "library"))) throw new IllegalArgumentException("library does not match name");
            return m;
        } catch (IllegalArgumentException e) { // NumberFormatException included
            throw new AotArtifactError("malformed manifest in " + dir + ": " + e.getMessage());
        }
    }

    private static void writeTypes(Properties p, String key, List<TensorType> types) {
        p.setProperty(key + "s", Integer.toString(types.size()));
        for (int i = 0; i < types.size(); i++) p.setProperty(key + "." + i, types.get(i).toString());
    }

    private static List<TensorType> readTypes(Properties p, String key) {
        int n = Integer.parseInt(get(p, key + "s"));
        List<TensorType> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(parseType(get(p, key + "." + i)));
        return out;
    }

    /** Parses {@link TensorType#toString()}'s form, e.g. {@code f32[2,3]} or {@code i64[]}; dims must be known. */
    static TensorType parseType(String s) {
        int open = s.indexOf('[');
        if (open <= 0 || !s.endsWith("]")) throw new IllegalArgumentException("not a tensor type: " + s);
        DType dtype = DType.fromShortName(s.substring(0, open));
        String inner = s.substring(open + 1, s.length() - 1);
        if (inner.isEmpty()) return new TensorType(dtype, Shape.SCALAR);
        String[] parts = inner.split(",");
        int[] dims = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            dims[i] = Integer.parseInt(parts[i].trim());
            if (dims[i] < 0) throw new IllegalArgumentException("an artifact's shapes are concrete, got " + s);
        }
        return new TensorType(dtype, Shape.of(dims));
    }

    private static String get(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) throw new IllegalArgumentException("missing key " + key);
        return v;
    }
}
