package dev.tfjit.runtime.aot;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.tfjit.runtime.aot.MetadataFile.list;
import static dev.tfjit.runtime.aot.MetadataFile.number;
import static dev.tfjit.runtime.aot.MetadataFile.object;
import static dev.tfjit.runtime.aot.MetadataFile.optionalString;
import static dev.tfjit.runtime.aot.MetadataFile.string;
import static dev.tfjit.runtime.aot.MetadataFile.strings;

/**
 * The metadata beside an ahead-of-time artifact's shared library ({@value #FILE}): everything a
 * loader needs to call the entry points safely without LLVM (each entry's concrete argument and
 * result types, scratch size and run-time error sites) and to refuse an artifact it cannot run
 * (format, architecture, CPU features, checksum). JSON, so people and other tools read it too.
 *
 * <p>The library embeds {@link #abi()}, the part of this file the native code relies on; the
 * loader compares the two, so an edited or mismatched metadata file cannot make Java hand the
 * native code buffers of sizes it was not compiled for.
 *
 * @param name the artifact's name, a C identifier: the library is {@code lib<name>.so}
 * @param tfjitVersion the tfjit that compiled it (informative: compatibility is {@link #FORMAT})
 * @param compiler the code generator and LLVM versions
 * @param libraryCrc32 CRC-32 of the library (8 hex digits), checked before it is mapped
 * @param variables how the function's variables were compiled: {@code none}, {@code freeze} or {@code args}
 * @param variableValues with {@code args}: files holding each variable's value at compile time
 */
public record AotMetadata(String name, String tfjitVersion, String compiler, Target target, String libraryCrc32,
                          long libraryBytes, String variables, List<Entry> entries, List<VariableValue> variableValues) {
    /**
     * Bumped whenever this file's members, the entry points' calling convention or the JNI glue
     * in the library change: a loader refuses any other format before it maps the library.
     */
    public static final int FORMAT = 3;
    public static final String FILE = "tfjit-artifact.json";

    /**
     * What the code was compiled for. {@code requiredCpuFeatures} are the instruction set
     * extensions the library checks for (its {@code _cpu_supported} function) before any entry runs.
     */
    public record Target(String name, String arch, String triple, String cpu, String features, List<String> requiredCpuFeatures) {
        public Target {
            requiredCpuFeatures = List.copyOf(requiredCpuFeatures);
        }
    }

    /** What a parameter or result is: a tensor argument, a variable (with {@code --variables args}), or an output. */
    public enum Kind {
        ARGUMENT("argument"), VARIABLE("variable"), OUTPUT("output");

        final String jsonName;

        Kind(String jsonName) { this.jsonName = jsonName; }

        static Kind of(String s) {
            for (Kind k : values()) if (k.jsonName.equals(s)) return k;
            throw new IllegalArgumentException("unknown kind \"" + s + "\"");
        }
    }

    /** One parameter or result of an entry point: a dense, row-major buffer of {@code type}. */
    public record Slot(String name, Kind kind, TensorType type) {
        public long bytes() { return type.shape().numElements() * type.dtype().byteSize(); }
    }

    /** A run-time error the native code signals with one bit of its status word (bit i = site i). */
    public record ErrorSite(String op, String file, int line, String message) {}

    /**
     * The random stream a random op of an entry draws from (its name, as
     * {@code dev.tfjit.ir.kernels.random.RandomStream} gives it, and its seeds). The caller passes
     * the stream's state, a {@code PhiloxState} block, after the arguments; entries that name the
     * same stream share one state, as the JIT's specializations of one function do.
     */
    public record Generator(String stream, long seed, long seed2) {}

    /**
     * One entry point: {@code int32_t symbol(void **args, void **results, void *scratch)}, where
     * {@code args} holds the parameters' buffers and then one state per generator.
     *
     * @param signature the signature as declared (it may have {@code ?} dims), for people
     * @param graphFile the IR text of the compiled graph, beside the library; null unless compiled with {@code --emit optimized-ir}
     */
    public record Entry(String symbol, String signature, String graphFile, List<Slot> params, List<Slot> results,
                        long scratchBytes, List<ErrorSite> errors, List<Generator> generators) {
        public Entry {
            params = List.copyOf(params);
            results = List.copyOf(results);
            errors = List.copyOf(errors);
            generators = List.copyOf(generators);
        }

        /** An entry without random ops. */
        public Entry(String symbol, String signature, String graphFile, List<Slot> params, List<Slot> results,
                     long scratchBytes, List<ErrorSite> errors) {
            this(symbol, signature, graphFile, params, results, scratchBytes, errors, List.of());
        }

        public List<TensorType> paramTypes() { return types(params); }

        public List<TensorType> resultTypes() { return types(results); }

        private static List<TensorType> types(List<Slot> slots) {
            List<TensorType> out = new ArrayList<>(slots.size());
            for (Slot s : slots) out.add(s.type());
            return out;
        }
    }

    /** With {@code --variables args}: where a variable's value at compile time was saved ({@code .npy}). */
    public record VariableValue(String name, String file) {}

    public AotMetadata {
        entries = List.copyOf(entries);
        variableValues = List.copyOf(variableValues);
    }

    public String libraryFile() { return "lib".concat(name).concat(".so"); }

    /** The library's function returning 1 when this CPU has every extension in {@link Target#requiredCpuFeatures}. */
    public String cpuCheckSymbol() { return new StringBuilder("tfjit_aot_").append(name).append("_cpu_supported").toString(); }

    /** The library's NUL-terminated copy of {@link #abi()}. */
    public String abiSymbol() { return new StringBuilder("tfjit_aot_").append(name).append("_abi").toString(); }

    /**
     * What the native code assumes, one line per entry: symbol, argument and result types,
     * scratch bytes, and the number of generator states it takes after the arguments. The compiler embeds this text in the library and the loader compares it with
     * the metadata it read.
     */
    public String abi() {
        StringBuilder sb = new StringBuilder("tfjit-aot-abi ").append(FORMAT).append('\n');
        for (Entry e : entries) {
            sb.append(e.symbol()).append('(');
            slots(sb, e.params());
            sb.append(")->(");
            slots(sb, e.results());
            sb.append(") scratch=").append(e.scratchBytes());
            if (!e.generators().isEmpty()) sb.append(" generators=").append(e.generators().size());
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void slots(StringBuilder sb, List<Slot> slots) {
        for (int i = 0; i < slots.size(); i++) {
            if (i > 0) sb.append(',');
            typeString(sb, slots.get(i).type());
        }
    }

    /** {@code f32[2,3]}: {@link TensorType#toString()}'s form, built without string concatenation (see {@link Json}). */
    static StringBuilder typeString(StringBuilder sb, TensorType t) {
        sb.append(t.dtype().shortName()).append('[');
        for (int i = 0; i < t.shape().rank(); i++) {
            if (i > 0) sb.append(',');
            sb.append(t.shape().dim(i));
        }
        return sb.append(']');
    }

    // ---- writing ----

    public void write(Path dir) {
        Map<String, Object> root = MetadataFile.CPU.root(name, tfjitVersion, compiler);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", target.name());
        t.put("arch", target.arch());
        t.put("triple", target.triple());
        t.put("cpu", target.cpu());
        t.put("features", target.features());
        t.put("required_cpu_features", new ArrayList<Object>(target.requiredCpuFeatures()));
        root.put("target", t);
        Map<String, Object> lib = new LinkedHashMap<>();
        lib.put("file", libraryFile());
        lib.put("bytes", libraryBytes);
        lib.put("crc32", libraryCrc32);
        root.put("library", lib);
        root.put("variables", variables);
        List<Object> es = new ArrayList<>();
        for (Entry e : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("symbol", e.symbol());
            m.put("signature", e.signature());
            m.put("graph", e.graphFile());
            m.put("params", slotsJson(e.params()));
            m.put("results", slotsJson(e.results()));
            m.put("scratch_bytes", e.scratchBytes());
            List<Object> errs = new ArrayList<>();
            for (ErrorSite s : e.errors()) {
                Map<String, Object> em = new LinkedHashMap<>();
                em.put("op", s.op());
                em.put("file", s.file());
                em.put("line", (long) s.line());
                em.put("message", s.message());
                errs.add(em);
            }
            m.put("errors", errs);
            List<Object> gens = new ArrayList<>();
            for (Generator g : e.generators()) {
                Map<String, Object> gm = new LinkedHashMap<>();
                gm.put("stream", g.stream());
                gm.put("seed", g.seed());
                gm.put("seed2", g.seed2());
                gens.add(gm);
            }
            m.put("generators", gens);
            es.add(m);
        }
        root.put("entries", es);
        root.put("variable_values", MetadataFile.variableValuesJson(variableValues));
        MetadataFile.CPU.write(dir, root);
    }

    static List<Object> slotsJson(List<Slot> slots) {
        List<Object> out = new ArrayList<>();
        for (Slot s : slots) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("kind", s.kind().jsonName);
            m.put("dtype", s.type().dtype().shortName());
            List<Object> dims = new ArrayList<>();
            for (int i = 0; i < s.type().shape().rank(); i++) dims.add((long) s.type().shape().dim(i));
            m.put("shape", dims);
            m.put("bytes", s.bytes());
            out.add(m);
        }
        return out;
    }

    // ---- reading ----

    /** Reads {@code dir}'s metadata; a missing, unreadable, malformed or other-format file is an {@link AotArtifactError}. */
    public static AotMetadata read(Path dir) {
        Map<String, Object> root = MetadataFile.CPU.readRoot(dir);
        try {
            Map<String, Object> t = object(root.get("target"), "target");
            Target target = new Target(string(t, "name"), string(t, "arch"), string(t, "triple"), string(t, "cpu"),
                    string(t, "features"), strings(t, "required_cpu_features"));
            Map<String, Object> lib = object(root.get("library"), "library");
            String name = string(root, "name");
            List<Entry> entries = new ArrayList<>();
            for (Object o : list(root, "entries")) {
                Map<String, Object> m = object(o, "an entry");
                List<ErrorSite> errors = new ArrayList<>();
                for (Object eo : list(m, "errors")) {
                    Map<String, Object> em = object(eo, "an error site");
                    errors.add(new ErrorSite(string(em, "op"), string(em, "file"), (int) number(em, "line"), string(em, "message")));
                }
                List<Generator> generators = new ArrayList<>();
                for (Object go : list(m, "generators")) {
                    Map<String, Object> gm = object(go, "a generator");
                    generators.add(new Generator(string(gm, "stream"), number(gm, "seed"), number(gm, "seed2")));
                }
                entries.add(new Entry(string(m, "symbol"), string(m, "signature"), optionalString(m, "graph"), slots(m, "params"),
                        slots(m, "results"), number(m, "scratch_bytes"), errors, generators));
            }
            if (entries.isEmpty()) throw new IllegalArgumentException("no entries");
            List<VariableValue> values = MetadataFile.variableValues(root);
            AotMetadata md = new AotMetadata(name, string(root, "tfjit_version"), string(root, "compiler"), target,
                    string(lib, "crc32"), number(lib, "bytes"), string(root, "variables"), entries, values);
            if (!md.libraryFile().equals(string(lib, "file"))) throw new IllegalArgumentException("library.file does not match the name");
            return md;
        } catch (IllegalArgumentException | ClassCastException | ArithmeticException e) {
            throw MetadataFile.CPU.malformed(dir, e);
        }
    }

    static List<Slot> slots(Map<String, Object> m, String key) {
        List<Slot> out = new ArrayList<>();
        for (Object o : list(m, key)) {
            Map<String, Object> s = object(o, key);
            List<Object> dims = list(s, "shape");
            int[] d = new int[dims.size()];
            for (int i = 0; i < d.length; i++) {
                if (!(dims.get(i) instanceof Long n) || n < 0 || n > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("an artifact's shapes are concrete sizes, got " + dims);
                }
                d[i] = (int) (long) n;
            }
            Slot slot = new Slot(string(s, "name"), Kind.of(string(s, "kind")),
                    new TensorType(DType.fromShortName(string(s, "dtype")), Shape.of(d)));
            if (slot.type().dtype() == DType.STRING) throw new IllegalArgumentException("string tensors cannot be artifact buffers");
            if (slot.bytes() != number(s, "bytes")) throw new IllegalArgumentException("bytes does not match dtype and shape");
            out.add(slot);
        }
        return out;
    }
}
