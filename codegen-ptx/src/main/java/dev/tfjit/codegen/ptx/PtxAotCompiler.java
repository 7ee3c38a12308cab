package dev.tfjit.codegen.ptx;

import dev.tfjit.codegen.llvm.AotCompiler;
import dev.tfjit.codegen.llvm.AotEmit;
import dev.tfjit.codegen.llvm.AotEntry;
import dev.tfjit.codegen.llvm.AotRequest;
import dev.tfjit.codegen.llvm.AotTarget;
import dev.tfjit.codegen.llvm.GpuAotCompiler;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.runtime.aot.AotFunction;
import dev.tfjit.runtime.aot.AotMetadata;
import dev.tfjit.runtime.aot.GpuAotMetadata;
import dev.tfjit.runtime.cuda.GpuProgram;
import dev.tfjit.runtime.cuda.GpuProgramFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code tfjit compile --target sm_90}: each entry point becomes a GPU program
 * ({@link PtxCompiler}) in its own directory ({@link GpuProgramFiles}: PTX, constants, launch
 * plan), assembled into a cubin by {@code ptxas} when it is installed, and the artifact's
 * metadata ({@link GpuAotMetadata}) records signatures, types, versions, the SM and every
 * file's checksum. Everything is compiled (and assembled) before anything is written, so a
 * refused function leaves no partial artifact. The runtime module alone runs the result
 * ({@code GpuAotFunction}).
 */
public final class PtxAotCompiler implements GpuAotCompiler {
    private static final Pattern PTX_VERSION = Pattern.compile("(?m)^\\.version (\\d+\\.\\d+)");

    @Override
    public boolean handles(AotTarget target) { return target.gpu(); }

    @Override
    public GpuAotMetadata compile(AotRequest request, Path outDir) {
        String name = request.name(), sm = request.target().name();
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new TfException("an artifact name must be a C identifier (letters, digits, _), got '" + name + "'");
        }
        if (request.entries().isEmpty()) throw new TfException("an artifact needs at least one signature");
        if (!PtxCompiler.targets().contains(sm)) {
            throw new InvalidArgumentError("--target " + sm + ": the ptx-gpu backend generates code for " + String.join(", ", PtxCompiler.targets()));
        }
        if (request.emit().contains(AotEmit.ASM)) {
            throw new InvalidArgumentError("--emit asm is a CPU target's assembly; for --target " + sm + " use --emit ptx (and llvm for the NVPTX IR)");
        }
        boolean keepOptimized = request.emit().contains(AotEmit.LLVM);
        List<PtxCompiler.Compiled> compiled = new ArrayList<>();
        for (int k = 0; k < request.entries().size(); k++) {
            AotEntry e = request.entries().get(k);
            compiled.add(PtxCompiler.compile(e.graph(), e.shapes(), sm, true, programName(name, k), keepOptimized));
        }
        boolean assemble = Ptxas.isInstalled();
        List<byte[]> cubins = new ArrayList<>();
        for (PtxCompiler.Compiled c : compiled) cubins.add(assemble ? Ptxas.cubin(c.program().ptx(), sm) : null);
        GpuAotMetadata.Assembler assembler = assemble
                ? new GpuAotMetadata.Assembler("ptxas", Ptxas.version().orElseThrow(), true, null)
                : new GpuAotMetadata.Assembler("ptxas", null, false, "ptxas was not found ('" + Ptxas.binary() + "' on the PATH; it comes "
                        + "with the CUDA toolkit): no cubins, the driver compiles the PTX when the artifact is loaded");
        try {
            Files.createDirectories(outDir);
            List<GpuAotMetadata.Program> programs = new ArrayList<>();
            for (int k = 0; k < compiled.size(); k++) {
                programs.add(write(request, k, compiled.get(k).program(), cubins.get(k), outDir));
                writeEmitted(request, k, compiled.get(k), outDir);
            }
            String ptxIsa = ptxVersion(compiled.getFirst().program().ptx());
            GpuAotMetadata m = new GpuAotMetadata(name, AotCompiler.tfjitVersion(), AotCompiler.compilerVersion() + " nvptx",
                    new GpuAotMetadata.Target(sm, NvptxTarget.TRIPLE, ptxIsa), assembler, request.variables(), programs,
                    request.variableValues());
            m.write(outDir);
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the GPU artifact to " + outDir, e);
        }
    }

    /** Entry {@code k}'s program (and directory) name. */
    static String programName(String artifact, int k) { return artifact + "_" + k; }

    private static GpuAotMetadata.Program write(AotRequest request, int k, GpuProgram p, byte[] cubin, Path outDir) throws IOException {
        AotEntry e = request.entries().get(k);
        String dirName = p.name();
        Path dir = outDir.resolve(dirName);
        if (Files.isDirectory(dir)) { // files of an earlier compile (another signature count, constants) must not linger
            try (Stream<Path> old = Files.list(dir)) {
                for (Path f : old.toList()) Files.delete(f);
            }
        }
        GpuProgramFiles.write(p, dir);
        String cubinPath = null;
        if (cubin != null) {
            Path c = GpuProgramFiles.cubin(dir, p.name(), p.target());
            Files.write(c, cubin);
            cubinPath = dirName + "/" + c.getFileName();
        }
        List<GpuAotMetadata.FileSum> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.sorted().toList()) {
                byte[] bytes = Files.readAllBytes(f);
                files.add(new GpuAotMetadata.FileSum(dirName + "/" + f.getFileName(), bytes.length, AotFunction.crc32(bytes)));
            }
        }
        String graphFile = request.emit().contains(AotEmit.OPTIMIZED_IR) ? request.name() + "." + k + ".ir" : null;
        return new GpuAotMetadata.Program(dirName, e.signature(), graphFile, slots(e.params(), p.params()), slots(e.results(), p.results()),
                p.scratchBytes(), p.kernels(), cubinPath, files);
    }

    private static List<AotMetadata.Slot> slots(List<AotEntry.Named> names, List<TensorType> types) {
        List<AotMetadata.Slot> out = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) out.add(new AotMetadata.Slot(names.get(i).name(), names.get(i).kind(), types.get(i)));
        return out;
    }

    /** {@code --emit}: the graph forms, {@code .ll}/{@code .opt.ll} (NVPTX LLVM IR before and after O3) and {@code .ptx}. */
    private static void writeEmitted(AotRequest request, int k, PtxCompiler.Compiled c, Path outDir) throws IOException {
        String prefix = request.name() + "." + k;
        AotCompiler.writeGraphForms(request.entries().get(k), request.emit(), prefix, outDir);
        if (request.emit().contains(AotEmit.LLVM)) {
            Files.writeString(outDir.resolve(prefix + ".ll"), c.ir(), StandardCharsets.UTF_8);
            Files.writeString(outDir.resolve(prefix + ".opt.ll"), c.optimizedIr(), StandardCharsets.UTF_8);
        }
        if (request.emit().contains(AotEmit.PTX)) {
            Files.writeString(outDir.resolve(prefix + ".ptx"), c.program().ptx(), StandardCharsets.UTF_8);
        }
    }

    /** The PTX ISA version the module declares ({@code .version 7.8}). */
    static String ptxVersion(String ptx) {
        Matcher m = PTX_VERSION.matcher(ptx);
        if (!m.find()) throw new IllegalStateException("the PTX declares no .version");
        return m.group(1);
    }
}
