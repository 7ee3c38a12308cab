package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.IrPrinter;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.runtime.DiskKernelStore;
import dev.tfjit.runtime.KernelCache;
import dev.tfjit.runtime.KernelKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one process-wide cache of native kernels, shared by every {@link LlvmExecutable}: a
 * function traced twice, or two functions with the same graph, compile once; and through the
 * disk store a later JVM links the stored object without running LLVM's optimizer or code
 * generator. Since a kernel's symbol is derived from its key and a symbol can be linked only
 * once per process, this must stay the only cache that links LLVM kernels.
 */
final class LlvmKernels {
    private static final KernelCache<NativeKernel> CACHE = new KernelCache<>(DiskKernelStore.configured());

    private LlvmKernels() {}

    static KernelCache<NativeKernel> cache() { return CACHE; }

    /** The key of {@code graph} specialized to concrete {@code signature} shapes on this host. */
    static KernelKey key(Graph graph, List<Shape> signature) {
        NativeJit jit = NativeJit.get();
        List<TensorType> params = graph.paramTypes();
        List<TensorType> args = new ArrayList<>(params.size());
        for (int i = 0; i < params.size(); i++) args.add(new TensorType(params.get(i).dtype(), signature.get(i)));
        return new KernelKey(IrPrinter.print(graph), args, Buffer.ALIGNMENT, jit.triple(), jit.cpu(), jit.features(),
                CompilerVersion.get());
    }

    /** The kernel of {@code graph} for {@code signature}: cached, loaded from disk or compiled. */
    static NativeKernel kernel(Graph graph, List<Shape> signature) {
        KernelKey key = key(graph, signature);
        String symbol = "tfjit_" + graph.name().replaceAll("[^A-Za-z0-9_]", "_") + "_" + key.digest().substring(0, 16);
        return CACHE.get(key, new KernelCache.Compiler<>() {
            @Override
            public KernelCache.Compiled<NativeKernel> compile() { return LlvmKernels.compile(graph, signature, symbol); }

            @Override
            public NativeKernel load(byte[] entry) {
                KernelObject o = KernelObject.fromBytes(entry);
                if (!o.symbol().equals(symbol)) throw new IllegalArgumentException("entry defines " + o.symbol() + ", not " + symbol);
                long address = NativeJit.get().link(o.objects(), o.symbol());
                return new NativeKernel(address, graph.params().size(), RandomSites.streams(graph), resultTypes(graph, ConcreteTypes.infer(graph, signature)), o.scratchBytes(), o.errors());
            }

            @Override
            public boolean reuseDiskEntry() { return dumpDir() == null; } // a dump needs the compile's IR stages

        });
    }

    private static KernelCache.Compiled<NativeKernel> compile(Graph graph, List<Shape> signature, String symbol) {
        ConcreteTypes types = ConcreteTypes.infer(graph, signature);
        FusionPlan plan = FusionPlan.of(graph, types);
        NativeJit jit = NativeJit.get();
        FunctionEmitter.Emitted emitted = FunctionEmitter.emit(graph, types, plan, symbol, jit.moduleHeader(), NativeJit.SECTIONS);
        Path dumpDir = dumpDir();
        List<NativeJit.ObjectCode> code = jit.compileSections(emitted.modules(), symbol, dumpDir != null);
        if (dumpDir != null) dump(dumpDir, symbol, code, emitted);
        List<byte[]> objects = code.stream().map(NativeJit.ObjectCode::object).toList();
        long address = jit.link(objects, symbol);
        NativeKernel kernel = new NativeKernel(address, graph.params().size(), RandomSites.streams(graph), resultTypes(graph, types), emitted.scratchBytes(), emitted.errors());
        byte[] entry = new KernelObject(symbol, emitted.scratchBytes(), emitted.errors(), objects).toBytes();
        return new KernelCache.Compiled<>(kernel, entry);
    }

    private static List<TensorType> resultTypes(Graph graph, ConcreteTypes types) {
        return graph.results().stream().map(types::of).toList();
    }

    /** One stage of every section's module, each after a line that names it. */
    private static String joined(List<NativeJit.ObjectCode> sections, java.util.function.Function<NativeJit.Stages, String> stage) {
        if (sections.size() == 1) return stage.apply(sections.getFirst().stages());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sections.size(); i++) {
            sb.append("; ---- module ").append(i + 1).append(" of ").append(sections.size())
                    .append(i == 0 ? " (the entry)" : " (section " + i + ")").append('\n').append(stage.apply(sections.get(i).stages()));
        }
        return sb.toString();
    }

    /** {@code -Dtfjit.dump=DIR}: the same switch the optimizer passes use for their dumps. */
    private static Path dumpDir() {
        String d = System.getProperty("tfjit.dump");
        return d == null || d.isBlank() ? null : Path.of(d);
    }

    /**
     * Writes {@code <symbol>.ll}, {@code .opt.ll} and {@code .s}, and {@code <symbol>.fusion.txt}:
     * this backend's own fusion and buffer decisions ({@link FusionReport}), which are what the
     * code does (optimizer-passes' FusionPass dump describes a graph rewrite this backend does not use).
     */
    private static void dump(Path dir, String symbol, List<NativeJit.ObjectCode> sections, FunctionEmitter.Emitted emitted) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(symbol + ".ll"), "; scratch " + emitted.scratchBytes() + " bytes per call\n"
                    + joined(sections, NativeJit.Stages::input));
            Files.writeString(dir.resolve(symbol + ".fusion.txt"), emitted.fusion().text());
            Files.writeString(dir.resolve(symbol + ".opt.ll"), joined(sections, NativeJit.Stages::optimized));
            Files.writeString(dir.resolve(symbol + ".s"), joined(sections, NativeJit.Stages::assembly));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the LLVM dump to " + dir, e);
        }
    }
}
