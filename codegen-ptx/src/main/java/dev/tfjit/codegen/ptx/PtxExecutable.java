package dev.tfjit.codegen.ptx;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.runtime.Executable;
import dev.tfjit.runtime.cuda.CudaDevice;
import dev.tfjit.runtime.cuda.GpuExecutable;
import dev.tfjit.runtime.cuda.GpuProgram;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A graph compiled by the GPU backend: PTX is generated per concrete signature (the argument
 * shapes) on first use, for the device's SM, and loaded once; later calls with the same shapes
 * reuse the loaded kernels.
 */
final class PtxExecutable implements Executable {
    private final Graph graph;
    private final CudaDevice device;
    private final String target;
    private final ConcurrentMap<List<Shape>, GpuExecutable> loaded = new ConcurrentHashMap<>();

    PtxExecutable(Graph graph, CudaDevice device) {
        this.graph = graph;
        this.device = device;
        this.target = PtxCompiler.targetFor(device.computeCapability());
    }

    @Override
    public Graph graph() { return graph; }

    @Override
    public List<Buffer> run(List<Buffer> args) {
        checkArgs(args);
        List<Shape> signature = args.stream().map(Buffer::shape).toList();
        GpuExecutable exe = loaded.computeIfAbsent(signature, s -> {
            GpuProgram p = PtxCompiler.compile(graph, s, target);
            return new GpuExecutable(device, p, graph);
        });
        return exe.run(args);
    }

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
}
