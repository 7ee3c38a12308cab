package dev.tfjit.runtime.cuda;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.SourceLocation;
import dev.tfjit.ir.TensorType;
import dev.tfjit.runtime.aot.AotArtifactError;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * A {@link GpuProgram} on disk, for ahead-of-time use: {@code <name>.ptx}, one
 * {@code const<i>.bin} per constant, and a properties manifest listing the types, the scratch
 * size, the steps and the error sites. Reading needs only the JDK; a {@code <name>.cubin} that
 * {@code ptxas} made for the same target may sit beside the PTX ({@link #cubin}).
 */
public final class GpuProgramFiles {
    public static final String FILE = "tfjit-gpu-program.properties";
    /** Bumped when the keys or the kernels' parameter conventions change (2: loops and branches). */
    public static final int FORMAT = 2;

    private GpuProgramFiles() {}

    public static void write(GpuProgram p, Path dir) {
        Properties props = new Properties();
        props.setProperty("format", Integer.toString(FORMAT));
        props.setProperty("name", p.name());
        props.setProperty("target", p.target());
        props.setProperty("ptx", p.name() + ".ptx");
        props.setProperty("scratch.bytes", Long.toString(p.scratchBytes()));
        types(props, "param", p.params());
        types(props, "result", p.results());
        props.setProperty("constants", Integer.toString(p.constants().size()));
        List<String> lines = new ArrayList<>();
        stepLines(p.steps(), lines);
        props.setProperty("steps", Integer.toString(p.steps().size()));
        props.setProperty("step.lines", Integer.toString(lines.size()));
        for (int i = 0; i < lines.size(); i++) props.setProperty("step." + i, lines.get(i));
        props.setProperty("errors", Integer.toString(p.errors().size()));
        for (int i = 0; i < p.errors().size(); i++) {
            GpuProgram.ErrorSite e = p.errors().get(i);
            props.setProperty("error." + i + ".op", e.op());
            props.setProperty("error." + i + ".file", e.location().file());
            props.setProperty("error." + i + ".line", Integer.toString(e.location().line()));
            props.setProperty("error." + i + ".message", e.message());
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(p.name() + ".ptx"), p.ptx(), StandardCharsets.UTF_8);
            for (int i = 0; i < p.constants().size(); i++) Files.write(dir.resolve("const" + i + ".bin"), p.constants().get(i));
            try (Writer w = Files.newBufferedWriter(dir.resolve(FILE), StandardCharsets.UTF_8)) {
                props.store(w, "tfjit GPU program");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the GPU program to " + dir, e);
        }
    }

    public static GpuProgram read(Path dir) {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve(FILE), StandardCharsets.UTF_8)) {
            props.load(r);
        } catch (NoSuchFileException e) {
            throw new AotArtifactError(dir + " is not a tfjit GPU program: it has no " + FILE);
        } catch (IOException | IllegalArgumentException e) {
            throw new AotArtifactError("cannot read the GPU program in " + dir + ": " + e.getMessage());
        }
        try {
            int format = Integer.parseInt(get(props, "format"));
            if (format != FORMAT) {
                throw new AotArtifactError("the GPU program in " + dir + " has format " + format + ", this tfjit reads format " + FORMAT);
            }
            String name = get(props, "name");
            String ptx = Files.readString(dir.resolve(get(props, "ptx")), StandardCharsets.UTF_8);
            List<byte[]> constants = new ArrayList<>();
            int nConst = Integer.parseInt(get(props, "constants"));
            for (int i = 0; i < nConst; i++) constants.add(Files.readAllBytes(dir.resolve("const" + i + ".bin")));
            int nLines = Integer.parseInt(get(props, "step.lines"));
            List<String> lines = new ArrayList<>(nLines);
            for (int i = 0; i < nLines; i++) lines.add(get(props, "step." + i));
            int[] cursor = {0};
            List<GpuProgram.Step> steps = parseSteps(lines, cursor, Integer.parseInt(get(props, "steps")));
            if (cursor[0] != nLines) throw new IllegalArgumentException((nLines - cursor[0]) + " step lines belong to no step");
            List<GpuProgram.ErrorSite> errors = new ArrayList<>();
            int nErr = Integer.parseInt(get(props, "errors"));
            for (int i = 0; i < nErr; i++) {
                errors.add(new GpuProgram.ErrorSite(get(props, "error." + i + ".op"),
                        new SourceLocation(get(props, "error." + i + ".file"), Integer.parseInt(get(props, "error." + i + ".line"))),
                        get(props, "error." + i + ".message")));
            }
            return new GpuProgram(name, get(props, "target"), ptx, types(props, "param"), types(props, "result"),
                    Long.parseLong(get(props, "scratch.bytes")), constants, steps, errors);
        } catch (IOException e) {
            throw new AotArtifactError("cannot read the GPU program in " + dir + ": " + e);
        } catch (IllegalArgumentException e) {
            throw new AotArtifactError("malformed GPU program in " + dir + ": " + e.getMessage());
        }
    }

    /** The cubin beside the PTX, when {@code ptxas} made one for {@code sm} (e.g. {@code sm_90}). */
    public static Path cubin(Path dir, String name, String sm) { return dir.resolve(name + "." + sm + ".cubin"); }

    /**
     * The steps in pre-order, one line each: {@code launch K grid=X,Y,Z block=B stride=true
     * args=arg0+0,scratch+256}, {@code copy DST SRC BYTES}, {@code while pred=REF cond=N body=M}
     * and {@code cond pred=REF then=N else=M}, where N and M count the lines of the nested steps
     * that follow (each line a step, a nested loop or branch with its own lines after it).
     */
    static void stepLines(List<GpuProgram.Step> steps, List<String> out) {
        for (GpuProgram.Step s : steps) {
            switch (s) {
                case GpuProgram.Launch l -> out.add("launch " + l.kernel() + " grid=" + l.gridX() + "," + l.gridY() + "," + l.gridZ()
                        + " block=" + l.block() + " stride=" + l.gridStride() + " args="
                        + String.join(",", l.args().stream().map(GpuProgram.Ref::toString).toList()));
                case GpuProgram.Copy c -> out.add("copy " + c.dst() + " " + c.src() + " " + c.bytes());
                case GpuProgram.While w -> {
                    out.add("while pred=" + w.predicate() + " cond=" + w.cond().size() + " body=" + w.body().size());
                    stepLines(w.cond(), out);
                    stepLines(w.body(), out);
                }
                case GpuProgram.Cond c -> {
                    out.add("cond pred=" + c.predicate() + " then=" + c.then().size() + " else=" + c.otherwise().size());
                    stepLines(c.then(), out);
                    stepLines(c.otherwise(), out);
                }
            }
        }
    }

    /** {@code count} steps from {@code lines[cursor]} on, advancing the cursor past their nested lines. */
    static List<GpuProgram.Step> parseSteps(List<String> lines, int[] cursor, int count) {
        List<GpuProgram.Step> out = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            if (cursor[0] >= lines.size()) throw new IllegalArgumentException("the steps end early: " + count + " expected");
            String text = lines.get(cursor[0]++);
            String[] w = text.trim().split(" ");
            if (w[0].equals("while") && w.length == 4 && w[1].startsWith("pred=") && w[2].startsWith("cond=") && w[3].startsWith("body=")) {
                GpuProgram.Ref pred = GpuProgram.Ref.parse(w[1].substring(5));
                List<GpuProgram.Step> cond = parseSteps(lines, cursor, count(w[2].substring(5)));
                out.add(new GpuProgram.While(cond, pred, parseSteps(lines, cursor, count(w[3].substring(5)))));
            } else if (w[0].equals("cond") && w.length == 4 && w[1].startsWith("pred=") && w[2].startsWith("then=")
                    && w[3].startsWith("else=")) {
                GpuProgram.Ref pred = GpuProgram.Ref.parse(w[1].substring(5));
                List<GpuProgram.Step> then = parseSteps(lines, cursor, count(w[2].substring(5)));
                out.add(new GpuProgram.Cond(pred, then, parseSteps(lines, cursor, count(w[3].substring(5)))));
            } else {
                out.add(parseStep(text));
            }
        }
        return out;
    }

    private static int count(String s) {
        int n = Integer.parseInt(s);
        if (n < 0) throw new IllegalArgumentException("negative step count " + n);
        return n;
    }

    /** One launch or copy line. */
    static GpuProgram.Step parseStep(String text) {
        String[] w = text.trim().split(" ");
        if (w[0].equals("copy") && w.length == 4) {
            return new GpuProgram.Copy(GpuProgram.Ref.parse(w[1]), GpuProgram.Ref.parse(w[2]), Long.parseLong(w[3]));
        }
        if (w[0].equals("launch") && w.length == 6 && w[2].startsWith("grid=") && w[3].startsWith("block=")
                && w[4].startsWith("stride=") && w[5].startsWith("args=")) {
            String[] g = w[2].substring(5).split(",");
            String args = w[5].substring(5);
            List<GpuProgram.Ref> refs = args.isEmpty() ? List.of() : Arrays.stream(args.split(",")).map(GpuProgram.Ref::parse).toList();
            return new GpuProgram.Launch(w[1], Long.parseLong(g[0]), Integer.parseInt(g[1]), Integer.parseInt(g[2]),
                    Integer.parseInt(w[3].substring(6)), Boolean.parseBoolean(w[4].substring(7)), refs);
        }
        throw new IllegalArgumentException("not a step: " + text);
    }

    private static void types(Properties p, String key, List<TensorType> types) {
        p.setProperty(key + "s", Integer.toString(types.size()));
        for (int i = 0; i < types.size(); i++) p.setProperty(key + "." + i, types.get(i).toString());
    }

    private static List<TensorType> types(Properties p, String key) {
        int n = Integer.parseInt(get(p, key + "s"));
        List<TensorType> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(parseType(get(p, key + "." + i)));
        return out;
    }

    /** {@code f32[2,3]}, {@code i64[]}: concrete dims only. */
    static TensorType parseType(String s) {
        int open = s.indexOf('[');
        if (open <= 0 || !s.endsWith("]")) throw new IllegalArgumentException("not a tensor type: " + s);
        DType dtype = DType.fromShortName(s.substring(0, open));
        String inner = s.substring(open + 1, s.length() - 1);
        if (inner.isEmpty()) return new TensorType(dtype, Shape.SCALAR);
        int[] dims = Arrays.stream(inner.split(",")).mapToInt(d -> Integer.parseInt(d.trim())).toArray();
        for (int d : dims) if (d < 0) throw new IllegalArgumentException("a GPU program's shapes are concrete, got " + s);
        return new TensorType(dtype, Shape.of(dims));
    }

    private static String get(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) throw new IllegalArgumentException("missing key " + key);
        return v;
    }
}
