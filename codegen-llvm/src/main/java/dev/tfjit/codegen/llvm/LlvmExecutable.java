package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.runtime.Executable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A graph compiled by the LLVM CPU backend. The graph may have unknown dims; native code is
 * generated per concrete signature (the argument shapes) on first use and kept in a
 * thread-safe map, so each signature is compiled once even when threads race for it.
 */
final class LlvmExecutable implements Executable {
    private static final AtomicLong SYMBOLS = new AtomicLong();

    private final Graph graph;
    private final ConcurrentMap<List<Shape>, NativeKernel> kernels = new ConcurrentHashMap<>();

    LlvmExecutable(Graph graph) { this.graph = graph; }

    @Override
    public Graph graph() { return graph; }

    @Override
    public List<Buffer> run(List<Buffer> args) {
        checkArgs(args);
        List<Shape> signature = args.stream().map(Buffer::shape).toList();
        return kernels.computeIfAbsent(signature, this::compile).run(args);
    }

    /** How many signatures have been compiled (for tests of the cache). */
    int compiledSignatures() { return kernels.size(); }

    private void checkArgs(List<Buffer> args) {
        List<TensorType> params = graph.paramTypes();
        if (args.size() != params.size()) {
            throw new TfException("@" + graph.name() + " takes " + params.size() + " arguments, got " + args.size());
        }
        for (int i = 0; i < args.size(); i++) {
            TensorType p = params.get(i);
            Buffer a = args.get(i);
            if (a.dtype() != p.dtype()) {
                throw new DTypeError("@" + graph.name() + " argument " + i + " should be " + p.dtype() + ", got " + a.dtype());
            }
            if (!p.shape().accepts(a.shape())) {
                throw new ShapeError("@" + graph.name() + " argument " + i + " should have shape " + p.shape().irString()
                        + ", got " + a.shape().irString());
            }
        }
    }

    private NativeKernel compile(List<Shape> signature) {
        ConcreteTypes types = ConcreteTypes.infer(graph, signature);
        FusionPlan plan = FusionPlan.of(graph, types);
        String symbol = "tfjit_" + graph.name().replaceAll("[^A-Za-z0-9_]", "_") + "_" + SYMBOLS.getAndIncrement();
        NativeJit jit = NativeJit.get();
        FunctionEmitter.Emitted emitted = FunctionEmitter.emit(graph, types, plan, symbol, jit.moduleHeader());
        Path dumpDir = dumpDir();
        NativeJit.Compiled compiled = jit.compile(emitted.ir(), symbol, dumpDir != null);
        if (dumpDir != null) dump(dumpDir, symbol, compiled.stages());
        List<TensorType> results = graph.results().stream().map(types::of).toList();
        return new NativeKernel(compiled.address(), results, emitted.scratchBytes(), emitted.errors());
    }

    /** {@code -Dtfjit.dump=DIR}: the same switch the optimizer passes use for their dumps. */
    private static Path dumpDir() {
        String d = System.getProperty("tfjit.dump");
        return d == null || d.isBlank() ? null : Path.of(d);
    }

    private static void dump(Path dir, String symbol, NativeJit.Stages stages) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(symbol + ".ll"), stages.input());
            Files.writeString(dir.resolve(symbol + ".opt.ll"), stages.optimized());
            Files.writeString(dir.resolve(symbol + ".s"), stages.assembly());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the LLVM dump to " + dir, e);
        }
    }
}
