package dev.tfjit.runtime.cuda;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.runtime.ErrorDetails;
import dev.tfjit.runtime.Executable;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A {@link GpuProgram} loaded on one GPU: its module, its kernels and its constants, ready to
 * run. {@link #run} takes and returns host buffers (copied in, run, copied out, on this
 * executable's own stream); {@link #runOnDevice} keeps everything on the device; {@link #enqueue}
 * only queues the steps, for timing. Runs are serialized per executable. {@link #close()}
 * unloads the module and frees the constants.
 */
public final class GpuExecutable implements Executable, AutoCloseable {
    private final CudaDevice device;
    private final GpuProgram program;
    private final Graph graph;
    private final MemorySegment module;
    private final Map<String, MemorySegment> functions = new HashMap<>();
    private final List<DeviceBuffer> constants = new ArrayList<>();
    private final MemorySegment stream;
    private boolean closed;

    /**
     * Loads {@code program} on {@code device}: a cubin {@code image} when given (it must be for
     * this device's SM), else the PTX, which the driver compiles for the device.
     */
    public GpuExecutable(CudaDevice device, GpuProgram program, Graph graph, byte[] cubin) {
        this.device = device;
        this.program = program;
        this.graph = graph;
        CudaDriver d = device.driver();
        device.makeCurrent();
        byte[] image = cubin != null ? cubin : program.ptx().getBytes(StandardCharsets.UTF_8);
        this.module = d.loadModule(image, cubin == null);
        try {
            for (String k : program.kernels()) functions.put(k, d.function(module, k));
            for (byte[] c : program.constants()) {
                DeviceBuffer b = device.allocate(c.length);
                constants.add(b);
                if (c.length > 0) {
                    try (Arena a = Arena.ofConfined()) {
                        MemorySegment host = a.allocate(c.length, 64);
                        MemorySegment.copy(c, 0, host, ValueLayout.JAVA_BYTE, 0, c.length);
                        d.copyHostToDevice(b.address(), host, c.length);
                    }
                }
            }
            this.stream = d.createStream();
        } catch (RuntimeException e) {
            constants.forEach(DeviceBuffer::close);
            d.unloadModule(module);
            throw e;
        }
    }

    public GpuExecutable(CudaDevice device, GpuProgram program, Graph graph) { this(device, program, graph, null); }

    @Override
    public Graph graph() {
        if (graph == null) throw new IllegalStateException("the GPU program " + program.name() + " was loaded without its graph");
        return graph;
    }

    public GpuProgram program() { return program; }

    public CudaDevice device() { return device; }

    /** Copies the arguments to the device, runs, and returns the results as host buffers. */
    @Override
    public synchronized List<Buffer> run(List<Buffer> args) {
        checkOpen();
        checkTypes(args.stream().map(Buffer::type).toList());
        CudaDriver d = device.driver();
        List<DeviceBuffer> devArgs = new ArrayList<>(), devResults = new ArrayList<>();
        DeviceBuffer scratch = null;
        try (Arena a = Arena.ofConfined()) {
            device.makeCurrent();
            for (Buffer b : args) {
                long bytes = b.size() * b.dtype().byteSize();
                DeviceBuffer db = device.allocate(bytes);
                devArgs.add(db);
                if (bytes > 0) d.copyHostToDeviceAsync(db.address(), b.segment(), bytes, stream);
            }
            for (TensorType t : program.results()) devResults.add(device.allocate(t.shape().numElements() * t.dtype().byteSize()));
            scratch = device.allocate(program.scratchBytes());
            enqueue(devArgs, devResults, scratch, stream);
            List<Buffer> out = new ArrayList<>();
            for (int i = 0; i < devResults.size(); i++) {
                TensorType t = program.results().get(i);
                Buffer host = Buffer.allocateUninitialized(t.dtype(), t.shape());
                long bytes = host.size() * t.dtype().byteSize();
                if (bytes > 0) d.copyDeviceToHostAsync(host.segment(), devResults.get(i).address(), bytes, stream);
                out.add(host);
            }
            MemorySegment status = a.allocate(ValueLayout.JAVA_INT);
            d.copyDeviceToHostAsync(status, scratch.address(), 4, stream);
            d.synchronize(stream);
            throwIfFailed(status.get(ValueLayout.JAVA_INT, 0), scratch);
            return out;
        } finally {
            devArgs.forEach(DeviceBuffer::close);
            devResults.forEach(DeviceBuffer::close);
            if (scratch != null) scratch.close();
        }
    }

    /**
     * Runs on device buffers (each of its parameter's type) and returns device result buffers
     * that the caller closes. Waits for the run, so that errors are reported here.
     */
    public synchronized List<DeviceBuffer> runOnDevice(List<DeviceBuffer> args) {
        checkOpen();
        if (args.size() != program.params().size()) {
            throw new TfException(program.name() + " takes " + program.params().size() + " arguments, got " + args.size());
        }
        for (int i = 0; i < args.size(); i++) {
            TensorType t = program.params().get(i);
            long need = t.shape().numElements() * t.dtype().byteSize();
            if (args.get(i).bytes() < need) {
                throw new ShapeError(program.name() + " argument " + i + " should be " + t + " (" + need + " bytes), got a device buffer of "
                        + args.get(i).bytes() + " bytes");
            }
        }
        List<DeviceBuffer> results = new ArrayList<>();
        try (DeviceBuffer scratch = device.allocate(program.scratchBytes()); Arena a = Arena.ofConfined()) {
            for (TensorType t : program.results()) results.add(device.allocate(t.shape().numElements() * t.dtype().byteSize()));
            enqueue(args, results, scratch, stream);
            MemorySegment status = a.allocate(ValueLayout.JAVA_INT);
            device.driver().copyDeviceToHostAsync(status, scratch.address(), 4, stream);
            device.driver().synchronize(stream);
            throwIfFailed(status.get(ValueLayout.JAVA_INT, 0), scratch);
            return results;
        } catch (RuntimeException e) {
            results.forEach(DeviceBuffer::close);
            throw e;
        }
    }

    /**
     * Queues one run on {@code stream}: the status word is zeroed, then every step. Without
     * loops or branches nothing waits (for timing loops); a {@code while} or {@code cond} waits
     * for the stream at each predicate it reads back ({@link StepWalker}). The buffers must stay
     * open until the stream has finished.
     */
    public void enqueue(List<DeviceBuffer> args, List<DeviceBuffer> results, DeviceBuffer scratch, MemorySegment stream) {
        checkOpen();
        CudaDriver d = device.driver();
        device.makeCurrent();
        d.fillWordsAsync(scratch.address(), 0, 1, stream);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment readBack = a.allocate(8, 8); // the status word, then a predicate
            StepWalker.run(program.steps(), new StepWalker.Device() {
                @Override
                public void launch(GpuProgram.Launch l) {
                    try (Arena la = Arena.ofConfined()) { // per launch: a loop may launch many times
                        int n = l.args().size();
                        MemorySegment values = la.allocate(ValueLayout.JAVA_LONG, Math.max(1, n));
                        MemorySegment pointers = la.allocate(ValueLayout.ADDRESS, Math.max(1, n));
                        for (int i = 0; i < n; i++) {
                            values.setAtIndex(ValueLayout.JAVA_LONG, i, address(l.args().get(i), args, results, scratch));
                            pointers.setAtIndex(ValueLayout.ADDRESS, i, values.asSlice(i * 8L, 8));
                        }
                        long gridX = l.gridStride() ? Math.min(l.gridX(), device.residentBlocks(l.block())) : l.gridX();
                        d.launch(functions.get(l.kernel()), (int) gridX, l.gridY(), l.gridZ(), l.block(), 1, 1, 0, stream, pointers);
                    }
                }

                @Override
                public void copy(GpuProgram.Copy c) {
                    d.copyDeviceToDeviceAsync(address(c.dst(), args, results, scratch), address(c.src(), args, results, scratch),
                            c.bytes(), stream);
                }

                @Override
                public Boolean predicate(GpuProgram.Ref p) {
                    d.copyDeviceToHostAsync(readBack, scratch.address(), 4, stream);
                    d.copyDeviceToHostAsync(readBack.asSlice(4, 1), address(p, args, results, scratch), 1, stream);
                    d.synchronize(stream);
                    if (readBack.get(ValueLayout.JAVA_INT, 0) != 0) return null;
                    return readBack.get(ValueLayout.JAVA_BYTE, 4) != 0;
                }
            });
        }
    }

    private long address(GpuProgram.Ref r, List<DeviceBuffer> args, List<DeviceBuffer> results, DeviceBuffer scratch) {
        DeviceBuffer b = switch (r.space()) {
            case ARG -> args.get(r.index());
            case RESULT -> results.get(r.index());
            case SCRATCH -> scratch;
            case CONSTANT -> constants.get(r.index());
        };
        return b.address() + r.offset();
    }

    /** The error of the lowest set bit: the first failing site in program order, as the interpreter would raise it. */
    private void throwIfFailed(int status, DeviceBuffer scratch) {
        if (status == 0) return;
        int bit = Integer.numberOfTrailingZeros(status);
        if (bit >= program.errors().size()) {
            throw new IllegalStateException(program.name() + ": a kernel reported error bit " + bit + " that the program does not define");
        }
        GpuProgram.ErrorSite s = program.errors().get(bit);
        throw new InvalidArgumentError(details(s.message(), scratch)).in(s.op(), s.location());
    }

    /** The message with the run-time values its site recorded in scratch ({@link ErrorDetails}), read back from the device. */
    private String details(String template, DeviceBuffer scratch) {
        return ErrorDetails.format(template, offset -> {
            if (offset + Long.BYTES > program.scratchBytes()) return OptionalLong.empty();
            try (Arena a = Arena.ofConfined()) {
                MemorySegment v = a.allocate(ValueLayout.JAVA_LONG);
                device.driver().copyDeviceToHostAsync(v, scratch.address() + offset, Long.BYTES, stream);
                device.driver().synchronize(stream);
                return OptionalLong.of(v.get(ValueLayout.JAVA_LONG, 0));
            }
        });
    }

    private void checkTypes(List<TensorType> args) {
        List<TensorType> params = program.params();
        if (args.size() != params.size()) throw new TfException(program.name() + " takes " + params.size() + " arguments, got " + args.size());
        for (int i = 0; i < args.size(); i++) {
            TensorType want = params.get(i), got = args.get(i);
            if (want.dtype() != got.dtype()) {
                throw new DTypeError(program.name() + " argument " + i + " should be " + want.dtype() + ", got " + got.dtype());
            }
            if (!want.shape().equals(got.shape())) {
                throw new ShapeError(program.name() + " argument " + i + " should have shape " + want.shape().irString() + ", got "
                        + got.shape().irString());
            }
        }
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("the GPU program " + program.name() + " was closed");
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        device.makeCurrent();
        device.driver().synchronize(stream);
        device.driver().destroyStream(stream);
        constants.forEach(DeviceBuffer::close);
        device.driver().unloadModule(module);
    }
}
