package dev.tfjit.runtime.aot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.tfjit.runtime.aot.MetadataFile.bool;
import static dev.tfjit.runtime.aot.MetadataFile.insideArtifact;
import static dev.tfjit.runtime.aot.MetadataFile.list;
import static dev.tfjit.runtime.aot.MetadataFile.number;
import static dev.tfjit.runtime.aot.MetadataFile.object;
import static dev.tfjit.runtime.aot.MetadataFile.optionalString;
import static dev.tfjit.runtime.aot.MetadataFile.string;
import static dev.tfjit.runtime.aot.MetadataFile.strings;

/**
 * The metadata of a GPU artifact ({@value #FILE}), which {@code tfjit compile --target sm_90}
 * writes beside one directory per entry point, each a {@code dev.tfjit.runtime.cuda.GpuProgramFiles}
 * program (PTX, constants, launch plan, and a cubin when {@code ptxas} was there). It records
 * what a loader checks before anything reaches the driver (format, target SM, each file's size
 * and CRC-32, each entry's argument and result types) and what people want to know (signatures,
 * versions, whether {@code ptxas} made cubins and why not). JSON, like {@link AotMetadata}.
 *
 * @param compiler the code generator and LLVM versions that made the PTX
 * @param variables how the function's variables were compiled: {@code none}, {@code freeze} or {@code args}
 */
public record GpuAotMetadata(String name, String tfjitVersion, String compiler, Target target, Assembler assembler, String variables,
                             List<Program> programs, List<AotMetadata.VariableValue> variableValues) {
    /** Bumped whenever the members of this file or the program files' format change. */
    public static final int FORMAT = 1;
    public static final String FILE = "tfjit-gpu-artifact.json";

    /**
     * What the code is for: the SM ({@code sm_90}), the LLVM triple and the PTX ISA version the
     * PTX declares, which decides the oldest driver that loads it.
     */
    public record Target(String sm, String triple, String ptxIsa) {}

    /**
     * What {@code ptxas} did: with {@code cubins}, each program has a cubin for the target SM
     * (loaded as it is on a GPU of exactly that SM); otherwise {@code note} says why not, and
     * the driver compiles the PTX when the artifact is loaded.
     */
    public record Assembler(String tool, String version, boolean cubins, String note) {}

    /** One file of a program, relative to the artifact directory, with its size and CRC-32 (8 hex digits). */
    public record FileSum(String path, long bytes, String crc32) {}

    /**
     * One entry point: the program in {@code directory}, the signature as declared (it may have
     * {@code ?} dims), the concrete parameter and result slots, the kernels, and every file.
     *
     * @param graphFile the IR of the compiled graph beside the artifact ({@code --emit optimized-ir}), or null
     * @param cubin the cubin's path relative to the artifact, or null
     */
    public record Program(String directory, String signature, String graphFile, List<AotMetadata.Slot> params,
                          List<AotMetadata.Slot> results, long scratchBytes, List<String> kernels, String cubin, List<FileSum> files) {
        public Program {
            params = List.copyOf(params);
            results = List.copyOf(results);
            kernels = List.copyOf(kernels);
            files = List.copyOf(files);
        }
    }

    public GpuAotMetadata {
        programs = List.copyOf(programs);
        variableValues = List.copyOf(variableValues);
    }

    /** Whether {@code dir} holds a GPU artifact (its metadata file exists). */
    public static boolean isGpuArtifact(Path dir) { return Files.isRegularFile(dir.resolve(FILE)); }

    public void write(Path dir) {
        Map<String, Object> root = MetadataFile.GPU.root(name, tfjitVersion, compiler);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("sm", target.sm());
        t.put("triple", target.triple());
        t.put("ptx_isa", target.ptxIsa());
        root.put("target", t);
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("tool", assembler.tool());
        a.put("version", assembler.version());
        a.put("cubins", assembler.cubins());
        a.put("note", assembler.note());
        root.put("assembler", a);
        root.put("variables", variables);
        List<Object> ps = new ArrayList<>();
        for (Program p : programs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("directory", p.directory());
            m.put("signature", p.signature());
            m.put("graph", p.graphFile());
            m.put("params", AotMetadata.slotsJson(p.params()));
            m.put("results", AotMetadata.slotsJson(p.results()));
            m.put("scratch_bytes", p.scratchBytes());
            m.put("kernels", new ArrayList<Object>(p.kernels()));
            m.put("cubin", p.cubin());
            List<Object> fs = new ArrayList<>();
            for (FileSum f : p.files()) {
                Map<String, Object> fm = new LinkedHashMap<>();
                fm.put("path", f.path());
                fm.put("bytes", f.bytes());
                fm.put("crc32", f.crc32());
                fs.add(fm);
            }
            m.put("files", fs);
            ps.add(m);
        }
        root.put("programs", ps);
        root.put("variable_values", MetadataFile.variableValuesJson(variableValues));
        MetadataFile.GPU.write(dir, root);
    }

    /** Reads {@code dir}'s metadata; a missing, malformed or other-format file is an {@link AotArtifactError}. */
    public static GpuAotMetadata read(Path dir) {
        Map<String, Object> root = MetadataFile.GPU.readRoot(dir);
        try {
            Map<String, Object> t = object(root.get("target"), "target");
            Target target = new Target(string(t, "sm"), string(t, "triple"), string(t, "ptx_isa"));
            Map<String, Object> a = object(root.get("assembler"), "assembler");
            Assembler assembler = new Assembler(string(a, "tool"), optionalString(a, "version"), bool(a, "cubins"),
                    optionalString(a, "note"));
            List<Program> programs = new ArrayList<>();
            for (Object o : list(root, "programs")) {
                Map<String, Object> m = object(o, "a program");
                List<FileSum> files = new ArrayList<>();
                for (Object fo : list(m, "files")) {
                    Map<String, Object> fm = object(fo, "a file");
                    files.add(new FileSum(insideArtifact(string(fm, "path")), number(fm, "bytes"), string(fm, "crc32")));
                }
                String cubin = optionalString(m, "cubin");
                programs.add(new Program(insideArtifact(string(m, "directory")), string(m, "signature"),
                        optionalString(m, "graph"), AotMetadata.slots(m, "params"), AotMetadata.slots(m, "results"),
                        number(m, "scratch_bytes"), strings(m, "kernels"), cubin == null ? null : insideArtifact(cubin),
                        files));
            }
            if (programs.isEmpty()) throw new IllegalArgumentException("no programs");
            List<AotMetadata.VariableValue> values = MetadataFile.variableValues(root);
            return new GpuAotMetadata(string(root, "name"), string(root, "tfjit_version"),
                    string(root, "compiler"), target, assembler, string(root, "variables"), programs, values);
        } catch (IllegalArgumentException | ClassCastException | ArithmeticException e) {
            throw MetadataFile.GPU.malformed(dir, e);
        }
    }
}
