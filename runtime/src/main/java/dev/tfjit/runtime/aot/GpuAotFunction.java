package dev.tfjit.runtime.aot;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.runtime.cuda.CudaDevice;
import dev.tfjit.runtime.cuda.CudaError;
import dev.tfjit.runtime.cuda.GpuExecutable;
import dev.tfjit.runtime.cuda.GpuProgram;
import dev.tfjit.runtime.cuda.GpuProgramFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A function compiled ahead of time for a GPU ({@code tfjit compile --target sm_90}), loaded
 * with the runtime module alone: no LLVM, no code generator, no CUDA toolkit, only the NVIDIA
 * driver ({@code libcuda.so.1}). One object per artifact directory, one program per compiled
 * signature; {@link #run} picks the one the arguments fit.
 *
 * <p>{@link #read} checks the files without a GPU (format, every file's size and CRC-32, each
 * program's types against the metadata); {@link #load} then opens the GPU, where a machine
 * without a driver or without a GPU is an error naming the library looked for or the devices
 * the driver reports. A cubin is used on a GPU of exactly its SM; elsewhere the driver compiles
 * the PTX, which needs a GPU at least as new as the target.
 */
public final class GpuAotFunction implements AutoCloseable {
    /** An artifact's programs as read and checked from disk, with each program's cubin (or null). */
    public record Contents(Path dir, GpuAotMetadata metadata, List<GpuProgram> programs, List<byte[]> cubins) {}

    private final Contents contents;
    private final CudaDevice device;
    private final List<GpuExecutable> executables;

    private GpuAotFunction(Contents contents, CudaDevice device, List<GpuExecutable> executables) {
        this.contents = contents;
        this.device = device;
        this.executables = executables;
    }

    /** Reads and checks the artifact in {@code dir} without touching a GPU. */
    public static Contents read(Path dir) {
        GpuAotMetadata m = GpuAotMetadata.read(dir);
        List<GpuProgram> programs = new ArrayList<>();
        List<byte[]> cubins = new ArrayList<>();
        for (GpuAotMetadata.Program p : m.programs()) {
            for (GpuAotMetadata.FileSum f : p.files()) checkFile(dir, f);
            GpuProgram program = GpuProgramFiles.read(dir.resolve(p.directory()));
            if (!program.target().equals(m.target().sm())) {
                throw new AotArtifactError("the program in " + dir.resolve(p.directory()) + " is for " + program.target() + ", the artifact says "
                        + m.target().sm());
            }
            List<TensorType> params = p.params().stream().map(AotMetadata.Slot::type).toList();
            List<TensorType> results = p.results().stream().map(AotMetadata.Slot::type).toList();
            if (!program.params().equals(params) || !program.results().equals(results) || program.scratchBytes() != p.scratchBytes()) {
                throw new AotArtifactError("the program in " + dir.resolve(p.directory()) + " computes " + program.params() + " -> "
                        + program.results() + ", the metadata says " + params + " -> " + results);
            }
            programs.add(program);
            cubins.add(p.cubin() == null ? null : readAll(dir.resolve(p.cubin())));
        }
        return new Contents(dir, m, programs, cubins);
    }

    /** Loads the artifact on GPU 0. */
    public static GpuAotFunction load(Path dir) { return load(dir, 0); }

    /** Loads the artifact on GPU {@code ordinal}; see the class comment for what is checked. */
    public static GpuAotFunction load(Path dir, int ordinal) {
        Contents c = read(dir);
        String sm = c.metadata().target().sm();
        CudaDevice gpu;
        try {
            gpu = CudaDevice.get(ordinal);
        } catch (CudaError e) {
            throw new CudaError(e.code(), "cannot run the GPU artifact in " + dir + " (compiled for " + sm + "): " + e.getMessage());
        }
        int want = Integer.parseInt(sm.replaceAll("[^0-9]", ""));
        if (gpu.computeCapability() < want) {
            throw new AotArtifactError("the GPU artifact in " + dir + " was compiled for " + sm + ", " + gpu + " cannot run it: compile it "
                    + "with --target " + gpu.smTarget());
        }
        List<GpuExecutable> loaded = new ArrayList<>();
        try {
            for (int i = 0; i < c.programs().size(); i++) {
                byte[] cubin = sm.equals(gpu.smTarget()) ? c.cubins().get(i) : null;
                loaded.add(new GpuExecutable(gpu, c.programs().get(i), null, cubin));
            }
        } catch (RuntimeException e) {
            loaded.forEach(GpuExecutable::close);
            throw e;
        }
        return new GpuAotFunction(c, gpu, List.copyOf(loaded));
    }

    public GpuAotMetadata metadata() { return contents.metadata(); }

    public Path directory() { return contents.dir(); }

    public CudaDevice device() { return device; }

    public List<Buffer> run(Buffer... args) { return run(Arrays.asList(args)); }

    /** Runs the program whose parameter types are the arguments' (dtypes and shapes); host buffers in and out. */
    public List<Buffer> run(List<Buffer> args) {
        List<TensorType> types = args.stream().map(Buffer::type).toList();
        for (GpuExecutable e : executables) if (e.program().params().equals(types)) return e.run(args);
        List<String> signatures = contents.programs().stream().map(p -> p.params().toString()).toList();
        throw new TfException("the GPU artifact " + contents.metadata().name() + " has no entry for arguments " + types
                + "; it was compiled for " + String.join(", ", signatures));
    }

    @Override
    public void close() { executables.forEach(GpuExecutable::close); }

    private static void checkFile(Path dir, GpuAotMetadata.FileSum f) {
        byte[] bytes = readAll(dir.resolve(f.path()));
        String crc = AotFunction.crc32(bytes);
        if (bytes.length != f.bytes() || !crc.equals(f.crc32())) {
            throw new AotArtifactError(dir.resolve(f.path()) + " is corrupted: " + bytes.length + " bytes with CRC-32 " + crc
                    + ", the metadata says " + f.bytes() + " bytes with CRC-32 " + f.crc32());
        }
    }

    private static byte[] readAll(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new AotArtifactError("the GPU artifact lacks " + p + " (" + e.getMessage() + ")");
        }
    }
}
