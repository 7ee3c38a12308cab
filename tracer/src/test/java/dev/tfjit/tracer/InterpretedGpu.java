package dev.tfjit.tracer;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.TensorType;
import dev.tfjit.runtime.Device;
import dev.tfjit.runtime.DeviceBackend;
import dev.tfjit.runtime.DeviceExecutable;
import dev.tfjit.runtime.DeviceValue;
import dev.tfjit.runtime.Interpreter;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in GPU for placement tests on machines without one: "device memory" is host memory
 * the tests can count (uploads, downloads, live values), and programs run on the interpreter.
 * Found through the ServiceLoader like any backend, but available only while a test enables it.
 */
public final class InterpretedGpu implements DeviceBackend {
    static volatile boolean enabled;
    static final AtomicInteger uploads = new AtomicInteger(), downloads = new AtomicInteger(), runs = new AtomicInteger(),
            live = new AtomicInteger();
    /** Bytes held by live values, and the most ever held: what {@link #memoryInfo} reports. */
    static final AtomicLong liveBytes = new AtomicLong(), peakBytes = new AtomicLong();
    static final Device GPU0 = new Device(Device.Kind.GPU, 0);

    /** {@code @ExtendWith(InterpretedGpu.On.class)}: the stand-in GPU is there, its counters at zero, during each test of a class. */
    static final class On implements BeforeEachCallback, AfterEachCallback {
        @Override public void beforeEach(ExtensionContext context) {
            enabled = true;
            reset();
        }

        @Override public void afterEach(ExtensionContext context) { enabled = false; }
    }

    static void reset() {
        uploads.set(0);
        downloads.set(0);
        runs.set(0);
        peakBytes.set(liveBytes.get());
    }

    /** A value in the stand-in device's memory. */
    static final class Value implements DeviceValue {
        private final Buffer data;
        private boolean closed;

        Value(Buffer host) {
            data = Buffer.allocate(host.dtype(), host.shape());
            java.lang.foreign.MemorySegment.copy(host.segment(), 0, data.segment(), 0, host.size() * host.dtype().byteSize());
            live.incrementAndGet();
            peakBytes.accumulateAndGet(liveBytes.addAndGet(bytes()), Math::max);
        }

        private long bytes() { return data.size() * data.dtype().byteSize(); }

        @Override public Device device() { return GPU0; }

        @Override public TensorType type() { return data.type(); }

        @Override
        public Buffer toHost() {
            if (closed) throw new IllegalStateException("read after close");
            downloads.incrementAndGet();
            return data;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                live.decrementAndGet();
                liveBytes.addAndGet(-bytes());
            }
            closed = true;
        }
    }

    @Override public String name() { return "interpreted-gpu"; }

    @Override public Device device() { return GPU0; }

    @Override public int priority() { return -50; }

    @Override public boolean isAvailable() { return enabled; }

    @Override public String unavailableReason() { return "the test has not enabled it"; }

    @Override
    public dev.tfjit.runtime.DeviceMemoryInfo memoryInfo() { return new dev.tfjit.runtime.DeviceMemoryInfo(liveBytes.get(), 0, peakBytes.get()); }

    @Override
    public DeviceValue upload(Buffer host) {
        uploads.incrementAndGet();
        return new Value(host);
    }

    @Override
    public DeviceExecutable compile(Graph g) {
        return new DeviceExecutable() {
            @Override public Graph graph() { return g; }

            @Override public List<Buffer> run(List<Buffer> args) { return Interpreter.run(g, args); }

            @Override
            public List<DeviceValue> runOnDevice(List<DeviceValue> args) {
                runs.incrementAndGet();
                List<Buffer> in = new ArrayList<>();
                for (DeviceValue v : args) {
                    if (!(v instanceof Value x) || x.closed) throw new IllegalStateException("not a live value of this device: " + v);
                    in.add(x.data);
                }
                List<DeviceValue> out = new ArrayList<>();
                for (Buffer b : Interpreter.run(g, in)) out.add(new Value(b));
                return out;
            }
        };
    }
}
