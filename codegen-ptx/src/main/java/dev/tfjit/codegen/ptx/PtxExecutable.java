package dev.tfjit.codegen.ptx;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.runtime.Arguments;
import dev.tfjit.runtime.DeviceExecutable;
import dev.tfjit.runtime.DeviceValue;
import dev.tfjit.runtime.cuda.CudaDevice;
import dev.tfjit.runtime.cuda.CudaValue;
import dev.tfjit.runtime.cuda.DeviceBuffer;
import dev.tfjit.runtime.cuda.GpuExecutable;
import dev.tfjit.runtime.cuda.GpuProgram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A graph compiled by the GPU backend: PTX is generated per concrete signature (the argument
 * shapes) on first use, for the device's SM, and loaded once; later calls with the same shapes
 * reuse the loaded kernels. {@link #run} copies host buffers in and out; {@link #runOnDevice}
 * takes and returns values in the GPU's memory.
 */
final class PtxExecutable implements DeviceExecutable {
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
        Arguments.checkBuffers(graph, args);
        return executable(args.stream().map(Buffer::shape).toList()).run(args);
    }

    @Override
    public List<DeviceValue> runOnDevice(List<DeviceValue> args) {
        Arguments.checkTypes(graph, args.stream().map(DeviceValue::type).toList());
        List<DeviceBuffer> buffers = new ArrayList<>(args.size());
        for (int i = 0; i < args.size(); i++) {
            if (!(args.get(i) instanceof CudaValue v) || v.cudaDevice() != device) {
                throw new TfException("@" + graph.name() + " argument " + i + " is on " + args.get(i).device() + ", the program runs on gpu:"
                        + device.ordinal() + ": copy it there first");
            }
            buffers.add(v.buffer());
        }
        GpuExecutable exe = executable(args.stream().map(v -> v.type().shape()).toList());
        List<DeviceBuffer> out = exe.runOnDevice(buffers);
        List<DeviceValue> results = new ArrayList<>(out.size());
        List<TensorType> types = exe.program().results();
        for (int i = 0; i < out.size(); i++) results.add(new CudaValue(device, out.get(i), types.get(i)));
        return results;
    }

    private GpuExecutable executable(List<Shape> signature) {
        return loaded.computeIfAbsent(signature, s -> {
            GpuProgram p = PtxCompiler.compile(graph, s, target);
            return new GpuExecutable(device, p, graph);
        });
    }
}
