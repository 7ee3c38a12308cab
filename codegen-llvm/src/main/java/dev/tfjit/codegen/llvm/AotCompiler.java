package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Graph;
import dev.tfjit.ir.IrPrinter;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.ops.JavaCallOps;
import dev.tfjit.runtime.aot.AotArtifact;
import dev.tfjit.runtime.aot.AotManifest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Ahead-of-time compilation, after XLA's tfcompile: a graph specialized to one concrete
 * signature becomes a directory holding {@code lib<name>.so} (position-independent code linked
 * with {@code cc -shared}), the manifest {@link AotManifest}, a C header and the graph's IR. The library's
 * entry point has the JIT kernels' calling convention, so {@link AotArtifact} runs it with only
 * the runtime module on the class path.
 */
public final class AotCompiler {
    private AotCompiler() {}

    /**
     * Compiles {@code graph} for the argument shapes {@code signature} (fully known, one per
     * parameter) into {@code outDir} (created if missing; earlier files of the same name are
     * replaced) and returns the manifest written there.
     */
    public static AotManifest compile(Graph graph, List<Shape> signature, String name, Path outDir) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new TfException("an artifact name must be a C identifier (letters, digits, _), got '" + name + "'");
        }
        JavaCallOps.requireNoJavaCallbacks(graph, "an AOT artifact");
        Lowerability.check(graph);
        List<TensorType> params = concreteParams(graph, signature);
        ConcreteTypes types = ConcreteTypes.infer(graph, signature);
        FusionPlan plan = FusionPlan.of(graph, types);
        NativeJit jit = NativeJit.get();
        String symbol = "tfjit_aot_" + name;
        FunctionEmitter.Emitted emitted = FunctionEmitter.emit(graph, types, plan, symbol, jit.moduleHeader());
        byte[] object = jit.compileToPicObject(emitted.ir(), symbol);
        try {
            Files.createDirectories(outDir);
            Path library = outDir.resolve("lib" + name + ".so");
            linkSharedLibrary(object, jit.runtimePicObject(), library);
            Files.writeString(outDir.resolve(AotManifest.GRAPH_FILE), IrPrinter.print(graph), StandardCharsets.UTF_8);
            List<TensorType> results = graph.results().stream().map(types::of).toList();
            List<AotManifest.ErrorSite> errors = emitted.errors().sites().stream()
                    .map(s -> new AotManifest.ErrorSite(s.op(), s.location(), s.message())).toList();
            AotManifest manifest = new AotManifest(name, symbol, tfjitVersion(), CompilerVersion.get(), System.getProperty("os.arch"),
                    jit.triple(), jit.cpu(), AotArtifact.sha256(library), emitted.scratchBytes(), params, results, errors);
            manifest.write(outDir);
            Files.writeString(outDir.resolve(name + ".h"), AotHeader.of(manifest), StandardCharsets.UTF_8);
            return manifest;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the artifact to " + outDir, e);
        }
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

    /**
     * {@code cc -shared}: the system linker, with libm (exp, log, ...) and pthreads (threaded
     * matmul); {@code runtime} (the worker pool kernels split loops with, or null) is linked in.
     */
    private static void linkSharedLibrary(byte[] object, byte[] runtime, Path library) throws IOException {
        Path obj = Files.createTempFile("tfjit-aot", ".o");
        Path rt = Files.createTempFile("tfjit-aot-runtime", ".o");
        Path log = Files.createTempFile("tfjit-aot", ".log");
        try {
            Files.write(obj, object);
            List<String> command = new ArrayList<>(List.of("cc", "-shared", "-o", library.toString(), obj.toString()));
            if (runtime != null) {
                Files.write(rt, runtime);
                command.add(rt.toString());
            }
            command.addAll(List.of("-lm", "-lpthread"));
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new TfException("cc -shared did not finish in 120 s linking " + library);
            }
            if (p.exitValue() != 0) {
                throw new TfException("cc -shared failed (exit " + p.exitValue() + ") linking " + library + ": " + Files.readString(log).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TfException("interrupted while linking " + library, e);
        } finally {
            Files.deleteIfExists(obj);
            Files.deleteIfExists(rt);
            Files.deleteIfExists(log);
        }
    }

    private static String tfjitVersion() {
        String v = AotCompiler.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
