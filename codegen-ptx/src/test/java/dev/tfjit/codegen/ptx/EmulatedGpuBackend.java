package dev.tfjit.codegen.ptx;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.ops.JavaCallOps;
import dev.tfjit.runtime.Arguments;
import dev.tfjit.runtime.Device;
import dev.tfjit.runtime.DeviceBackend;
import dev.tfjit.runtime.DeviceExecutable;
import dev.tfjit.runtime.DeviceValue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The GPU backend's own PTX-generating pipeline behind the device placement API, with kernels run
 * on the CPU-emulated device ({@link EmulatedDevice}) instead of a GPU: so {@code Tf.device("gpu:0")}
 * and {@code Function} placement are exercised end to end, loops and branches included, on
 * machines without one. Available only while a test enables it (and a C compiler is present).
 */
public final class EmulatedGpuBackend implements DeviceBackend {
    static volatile boolean enabled;
    private static final Device GPU0 = new Device(Device.Kind.GPU, 0);
    private static final List<EmulatedDevice> LOADED = new CopyOnWriteArrayList<>();

    /** Bytes held by open values and the most ever held: the emulated device's {@link #memoryInfo}. */
    static final java.util.concurrent.atomic.AtomicLong liveBytes = new java.util.concurrent.atomic.AtomicLong(),
            peakBytes = new java.util.concurrent.atomic.AtomicLong();

    /** "Device memory": a host copy the emulated kernels read and write; counted while open, unusable once closed. */
    static final class Value implements DeviceValue {
        private final Buffer data;
        private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

        Value(Buffer data) {
            this.data = data;
            peakBytes.accumulateAndGet(liveBytes.addAndGet(bytes()), Math::max);
        }

        private long bytes() { return data.size() * data.dtype().byteSize(); }

        Buffer data() {
            if (closed.get()) throw new IllegalStateException("emulated device value used after close");
            return data;
        }

        @Override public Device device() { return GPU0; }

        @Override public TensorType type() { return data.type(); }

        @Override public Buffer toHost() { return copy(data()); }

        @Override public void close() {
            if (closed.compareAndSet(false, true)) liveBytes.addAndGet(-bytes());
        }
    }

    @Override
    public dev.tfjit.runtime.DeviceMemoryInfo memoryInfo() { return new dev.tfjit.runtime.DeviceMemoryInfo(liveBytes.get(), 0, peakBytes.get()); }

    private static Buffer copy(Buffer b) {
        Buffer c = Buffer.allocate(b.dtype(), b.shape());
        MemorySegment.copy(b.segment(), 0, c.segment(), 0, b.size() * b.dtype().byteSize());
        return c;
    }

    @Override public String name() { return "emulated-gpu"; }

    @Override public Device device() { return GPU0; }

    @Override public int priority() { return -30; }

    @Override public boolean isAvailable() { return enabled && EmulatedDevice.isAvailable(); }

    @Override public String unavailableReason() { return "the emulated GPU is for tests that enable it (and needs cc)"; }

    @Override public DeviceValue upload(Buffer host) { return new Value(copy(host)); }

    /** Unloads every emulated program the tests loaded. */
    static void closeAll() throws Exception {
        for (EmulatedDevice d : LOADED) d.close();
        LOADED.clear();
    }

    @Override
    public DeviceExecutable compile(Graph g) {
        JavaCallOps.requireNoJavaCallbacks(g, "the emulated GPU");
        GpuLowerability.check(g);
        ConcurrentMap<List<Shape>, EmulatedDevice> programs = new ConcurrentHashMap<>();
        return new DeviceExecutable() {
            @Override public Graph graph() { return g; }

            @Override
            public List<Buffer> run(List<Buffer> args) {
                Arguments.checkBuffers(g, args);
                EmulatedDevice d = programs.computeIfAbsent(args.stream().map(Buffer::shape).toList(), s -> load(g, s));
                try {
                    return d.run(args);
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            }

            @Override
            public List<DeviceValue> runOnDevice(List<DeviceValue> args) {
                List<Buffer> in = new ArrayList<>();
                for (DeviceValue v : args) {
                    if (!(v instanceof Value x)) throw new TfException("not a value of the emulated GPU: " + v);
                    in.add(x.data());
                }
                List<DeviceValue> out = new ArrayList<>();
                for (Buffer b : run(in)) out.add(new Value(b));
                return out;
            }
        };
    }

    private static EmulatedDevice load(Graph g, List<Shape> shapes) {
        try {
            EmulatedDevice d = EmulatedDevice.load(PtxCompiler.compileWithIr(g, shapes, "sm_90", true));
            LOADED.add(d);
            return d;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
