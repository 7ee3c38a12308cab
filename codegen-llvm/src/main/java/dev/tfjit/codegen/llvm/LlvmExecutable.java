package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Shape;
import dev.tfjit.runtime.Arguments;
import dev.tfjit.runtime.Executable;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A graph compiled by the LLVM CPU backend. The graph may have unknown dims; native code is
 * generated per concrete signature (the argument shapes) on first use through the process-wide
 * {@link LlvmKernels} cache (memory and disk), so each signature is compiled once even when
 * threads race for it, and remembered here so later calls skip building the cache key.
 */
final class LlvmExecutable implements Executable {
    private final Graph graph;
    private final ConcurrentMap<List<Shape>, NativeKernel> kernels = new ConcurrentHashMap<>();

    LlvmExecutable(Graph graph) { this.graph = graph; }

    @Override
    public Graph graph() { return graph; }

    @Override
    public List<Buffer> run(List<Buffer> args) {
        Arguments.checkBuffers(graph, args);
        List<Shape> signature = args.stream().map(Buffer::shape).toList();
        NativeKernel k = kernels.get(signature);
        if (k == null) { // the shared cache compiles (or loads) each key once; this map only skips building the key
            k = LlvmKernels.kernel(graph, signature);
            kernels.putIfAbsent(signature, k);
        }
        return k.run(args);
    }

    /** How many signatures have been compiled (for tests of the cache). */
    int compiledSignatures() { return kernels.size(); }
}
