package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.DotPrinter;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.IrPrinter;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.SourceLocation;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.ir.kernels.random.RandomStream;
import dev.tfjit.ir.ops.JavaCallOps;
import dev.tfjit.runtime.aot.AotFunction;
import dev.tfjit.runtime.aot.AotMetadata;
import dev.tfjit.runtime.aot.GpuAotMetadata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Ahead-of-time compilation, after XLA's tfcompile: graphs specialized to concrete signatures
 * become a directory holding {@code lib<name>.so} (position-independent code linked with
 * {@code cc -shared}) with one entry point per signature, the metadata {@link AotMetadata}, a C
 * header ({@link AotHeader}) and, when asked for, the intermediate forms ({@link AotEmit}). The
 * entry points have the JIT kernels' calling convention, and the library carries the JNI glue
 * ({@link AotGlue}) through which {@link AotFunction} runs it with only the runtime module on the
 * class path.
 */
public final class AotCompiler {
    private AotCompiler() {}

    /** The symbol of entry {@code k} of the artifact {@code name}. */
    public static String symbol(String name, int k) { return "tfjit_aot_" + name + "_" + k; }

    /**
     * Compiles {@code request} into {@code outDir} (created if missing; files of the same name
     * are replaced) and returns the metadata written there. Every entry is compiled before
     * anything is written, so a refused function leaves no partial artifact.
     */
    public static AotMetadata compile(AotRequest request, Path outDir) {
        String name = request.name();
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new TfException("an artifact name must be a C identifier (letters, digits, _), got '" + name + "'");
        }
        if (request.entries().isEmpty()) throw new TfException("an artifact needs at least one signature");
        if (request.target().gpu()) {
            throw new TfException("--target " + request.target().name() + " is a GPU target: AotCompiler.compileGpu compiles it");
        }
        if (request.emit().contains(AotEmit.PTX)) {
            throw new TfException("--emit ptx needs a GPU target (--target sm_80 or sm_90), not " + request.target().name());
        }
        boolean keepStages = request.emit().contains(AotEmit.LLVM) || request.emit().contains(AotEmit.ASM);
        NativeJit jit = NativeJit.get();
        List<Compiled> compiled = new ArrayList<>();
        for (int k = 0; k < request.entries().size(); k++) {
            compiled.add(compileEntry(request.entries().get(k), symbol(name, k), request.target(), keepStages, jit));
            GrowableTypes.requireStaticResults(request.entries().get(k).graph(), compiled.getLast().results());
        }
        AotMetadata.Target target = new AotMetadata.Target(request.target().name(), System.getProperty("os.arch"), jit.triple(),
                request.target().cpu(), request.target().features(), request.target().requiredCpuFeatures());
        List<AotMetadata.Entry> entries = new ArrayList<>();
        for (int k = 0; k < compiled.size(); k++) {
            String graphFile = request.emit().contains(AotEmit.OPTIMIZED_IR) ? name + "." + k + ".ir" : null;
            entries.add(compiled.get(k).metadata(request.entries().get(k), graphFile));
        }
        // The library's checksum is not known until it is linked: the glue only needs what comes before it.
        AotMetadata draft = new AotMetadata(name, tfjitVersion(), CompilerVersion.get(), target, "", 0, request.variables(), entries,
                request.variableValues());
        try {
            Files.createDirectories(outDir);
            Path library = outDir.resolve(draft.libraryFile());
            List<byte[]> objects = new ArrayList<>();
            for (Compiled c : compiled) objects.add(c.code().object());
            // The worker pool that kernels split large loops with, built for the artifact's target.
            byte[] workerPool = NativeJit.get().runtimeLibraryObject(target.cpu(), target.features());
            if (workerPool != null) objects.add(workerPool);
            AotLinker.link(objects, AotGlue.source(draft), library);
            byte[] bytes = Files.readAllBytes(library);
            AotMetadata metadata = new AotMetadata(name, draft.tfjitVersion(), draft.compiler(), target, AotFunction.crc32(bytes),
                    bytes.length, request.variables(), entries, request.variableValues());
            metadata.write(outDir);
            Files.writeString(outDir.resolve(name + ".h"), AotHeader.of(metadata), StandardCharsets.UTF_8);
            writeEmitted(request, compiled, outDir);
            return metadata;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the artifact to " + outDir, e);
        }
    }

    /** One entry's object code and what the metadata records about it. */
    private record Compiled(NativeJit.ObjectCode code, List<TensorType> params, List<TensorType> results, long scratchBytes,
                            List<ErrorSites.Site> errors, String symbol, List<RandomStream> streams, FusionReport fusion) {
        AotMetadata.Entry metadata(AotEntry e, String graphFile) {
            List<AotMetadata.Slot> ps = new ArrayList<>();
            for (int i = 0; i < params.size(); i++) ps.add(new AotMetadata.Slot(e.params().get(i).name(), e.params().get(i).kind(), params.get(i)));
            List<AotMetadata.Slot> rs = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) rs.add(new AotMetadata.Slot(e.results().get(i).name(), e.results().get(i).kind(), results.get(i)));
            List<AotMetadata.ErrorSite> sites = new ArrayList<>();
            for (ErrorSites.Site s : errors) {
                SourceLocation at = s.location() == null ? SourceLocation.UNKNOWN : s.location();
                sites.add(new AotMetadata.ErrorSite(s.op(), at.file(), at.line(), s.message()));
            }
            List<AotMetadata.Generator> generators = new ArrayList<>();
            for (RandomStream r : streams) generators.add(new AotMetadata.Generator(r.name(), r.seed(), r.seed2()));
            return new AotMetadata.Entry(symbol, e.signature(), graphFile, ps, rs, scratchBytes, sites, generators);
        }
    }

    private static Compiled compileEntry(AotEntry e, String symbol, AotTarget target, boolean keepStages, NativeJit jit) {
        Graph graph = e.graph();
        JavaCallOps.requireNoJavaCallbacks(graph, "an AOT artifact");
        Lowerability.check(graph);
        List<TensorType> params = concreteParams(graph, e.shapes());
        ConcreteTypes types = ConcreteTypes.infer(graph, e.shapes());
        FusionPlan plan = FusionPlan.of(graph, types);
        FunctionEmitter.Emitted emitted = FunctionEmitter.emit(graph, types, plan, symbol, jit.moduleHeader());
        NativeJit.ObjectCode code = jit.compileForLibrary(emitted.ir(), symbol, target.cpu(), target.features(), keepStages);
        List<TensorType> results = graph.results().stream().map(types::of).toList();
        return new Compiled(code, params, results, emitted.scratchBytes(), emitted.errors().sites(), symbol, RandomSites.streams(graph),
                emitted.fusion());
    }

    private static List<TensorType> concreteParams(Graph graph, List<Shape> signature) {
        List<TensorType> params = graph.paramTypes();
        if (signature.size() != params.size()) {
            throw new ShapeError("@" + graph.name() + " takes " + params.size() + " arguments, the signature gives " + signature.size());
        }
        List<TensorType> out = new ArrayList<>(params.size());
        for (int i = 0; i < params.size(); i++) {
            Shape s = signature.get(i);
            if (!s.isFullyKnown()) {
                throw new ShapeError("@" + graph.name() + " argument " + i + ": an artifact needs a concrete shape, got " + s.irString());
            }
            if (!params.get(i).shape().accepts(s)) {
                throw new ShapeError("@" + graph.name() + " argument " + i + " has shape " + params.get(i).shape().irString()
                        + ", the signature gives " + s.irString());
            }
            out.add(new TensorType(params.get(i).dtype(), s));
        }
        return out;
    }

    private static void writeEmitted(AotRequest request, List<Compiled> compiled, Path outDir) throws IOException {
        String name = request.name();
        for (int k = 0; k < compiled.size(); k++) {
            AotEntry e = request.entries().get(k);
            String prefix = name + "." + k;
            writeGraphForms(e, request.emit(), prefix, outDir);
            NativeJit.Stages stages = compiled.get(k).code().stages();
            if (request.emit().contains(AotEmit.LLVM)) {
                Files.writeString(outDir.resolve(prefix + ".ll"), stages.input(), StandardCharsets.UTF_8);
                Files.writeString(outDir.resolve(prefix + ".opt.ll"), stages.optimized(), StandardCharsets.UTF_8);
                Files.writeString(outDir.resolve(prefix + ".fusion.txt"), compiled.get(k).fusion().text(), StandardCharsets.UTF_8);
            }
            if (request.emit().contains(AotEmit.ASM)) {
                Files.writeString(outDir.resolve(prefix + ".s"), stages.assembly(), StandardCharsets.UTF_8);
            }
        }
    }

    /**
     * The graph forms {@code emit} asks for, every target alike: {@code <prefix>.traced.ir},
     * {@code <prefix>.ir} (the compiled graph) and {@code <prefix>.dot}.
     */
    public static void writeGraphForms(AotEntry e, Set<AotEmit> emit, String prefix, Path outDir) throws IOException {
        if (emit.contains(AotEmit.IR)) {
            Graph traced = e.traced() != null ? e.traced() : e.graph();
            Files.writeString(outDir.resolve(prefix + ".traced.ir"), IrPrinter.print(traced), StandardCharsets.UTF_8);
        }
        if (emit.contains(AotEmit.OPTIMIZED_IR)) {
            Files.writeString(outDir.resolve(prefix + ".ir"), IrPrinter.print(e.graph()), StandardCharsets.UTF_8);
        }
        if (emit.contains(AotEmit.DOT)) {
            Files.writeString(outDir.resolve(prefix + ".dot"), DotPrinter.print(e.graph()), StandardCharsets.UTF_8);
        }
    }

    /**
     * How big the code generated for {@code entry} is, for {@code tfjit explain}: lines of LLVM IR
     * as generated and after O3, machine instructions, object bytes and scratch bytes.
     */
    public record CodeSize(String symbol, List<TensorType> params, int llvmLines, int optimizedLines, int instructions,
                           int objectBytes, long scratchBytes) {}

    public static CodeSize codeSize(AotEntry entry, AotTarget target, String symbol) {
        if (target.gpu()) throw new UnimplementedError("code sizes for --target " + target.name() + " need the GPU backend");
        Compiled c = compileEntry(entry, symbol, target, true, NativeJit.get());
        NativeJit.Stages st = c.code().stages();
        int instructions = 0;
        for (String line : st.assembly().split("\n")) {
            String t = line.strip();
            // An instruction line: not a label, directive or comment.
            if (!t.isEmpty() && !t.startsWith(".") && !t.startsWith("#") && !t.endsWith(":")) instructions++;
        }
        return new CodeSize(symbol, c.params(), (int) st.input().lines().count(), (int) st.optimized().lines().count(), instructions,
                c.code().object().length, c.scratchBytes());
    }

    /**
     * Compiles {@code request} for its GPU target ({@code sm_80}, {@code sm_90}) into
     * {@code outDir} through the {@link GpuAotCompiler} on the class path (the codegen-ptx
     * module); without one the error says so.
     */
    public static GpuAotMetadata compileGpu(AotRequest request, Path outDir) {
        if (!request.target().gpu()) {
            throw new TfException("--target " + request.target().name() + " is not a GPU target (sm_80, sm_90, ...)");
        }
        for (GpuAotCompiler c : ServiceLoader.load(GpuAotCompiler.class)) {
            if (c.handles(request.target())) return c.compile(request, outDir);
        }
        throw new UnimplementedError("--target " + request.target().name() + ": no GPU code generator on the class path (the "
                + "codegen-ptx module registers a " + GpuAotCompiler.class.getSimpleName() + "); compile for host or x86-64-v3");
    }

    /** The code generator's version (tfjit, a fingerprint of its classes, LLVM), as artifacts record it. */
    public static String compilerVersion() { return CompilerVersion.get(); }

    /** tfjit's version (the jar's implementation version, {@code dev} in a build tree). */
    public static String tfjitVersion() {
        String v = AotCompiler.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
