package dev.tfjit.runtime.cuda;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.TensorType;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One GPU as tfjit uses it: its primary context, what code is generated for it (the SM
 * version) and how big a grid fills it, and its memory pool. Driver calls act on the calling
 * thread's current context, so every operation here makes this device's context current first.
 */
public final class CudaDevice {
    private static final ConcurrentMap<Integer, CudaDevice> DEVICES = new ConcurrentHashMap<>();

    private final CudaDriver driver;
    private final int ordinal;
    private final int handle;
    private final MemorySegment context;
    private final String name;
    private final int ccMajor, ccMinor, multiprocessors, maxThreadsPerMultiprocessor;
    private final long totalMemory;
    private final DeviceMemoryPool pool;

    private CudaDevice(CudaDriver driver, int ordinal) {
        this.driver = driver;
        this.ordinal = ordinal;
        this.handle = driver.device(ordinal);
        this.context = driver.retainPrimaryContext(handle);
        this.name = driver.deviceName(handle);
        this.ccMajor = driver.attribute(handle, CudaDriver.ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        this.ccMinor = driver.attribute(handle, CudaDriver.ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        this.multiprocessors = driver.attribute(handle, CudaDriver.ATTRIBUTE_MULTIPROCESSOR_COUNT);
        this.maxThreadsPerMultiprocessor = driver.attribute(handle, CudaDriver.ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR);
        this.totalMemory = driver.totalMemory(handle);
        this.pool = new DeviceMemoryPool(new DeviceMemoryPool.Allocator() {
            @Override
            public long allocate(long bytes) {
                makeCurrent();
                return driver.allocate(bytes);
            }

            @Override
            public void free(long address) {
                makeCurrent();
                driver.free(address);
            }
        });
    }

    /**
     * GPU {@code ordinal} ({@code gpu:0} is 0), opened once per process. Without a driver, or
     * with fewer GPUs, the error says so.
     */
    public static CudaDevice get(int ordinal) {
        CudaDevice d = DEVICES.get(ordinal);
        if (d != null) return d;
        CudaDriver driver = CudaDriver.get();
        int count = driver.deviceCount();
        if (ordinal < 0 || ordinal >= count) {
            throw new CudaError(CudaError.NO_DRIVER, "no GPU gpu:" + ordinal + ": the CUDA driver (" + driver.library() + ") reports "
                    + count + " device" + (count == 1 ? "" : "s"));
        }
        return DEVICES.computeIfAbsent(ordinal, o -> new CudaDevice(driver, o));
    }

    /** Whether GPU {@code ordinal} exists and can be used here. */
    public static boolean isAvailable(int ordinal) {
        try {
            get(ordinal);
            return true;
        } catch (CudaError e) {
            return false;
        }
    }

    public CudaDriver driver() { return driver; }

    public int ordinal() { return ordinal; }

    public String name() { return name; }

    /** The PTX target of this device's compute capability, e.g. {@code sm_90}. */
    public String smTarget() { return "sm_" + ccMajor + ccMinor; }

    public int computeCapability() { return ccMajor * 10 + ccMinor; }

    public int multiprocessors() { return multiprocessors; }

    public long totalMemory() { return totalMemory; }

    /** The most blocks of {@code threads} threads that are resident at once: a grid-stride kernel needs no more. */
    public long residentBlocks(int threads) {
        return (long) multiprocessors * Math.max(1, maxThreadsPerMultiprocessor / threads);
    }

    /** Makes this device's context current on the calling thread. */
    public void makeCurrent() { driver.setCurrent(context); }

    public DeviceMemoryPool pool() { return pool; }

    /** {@code bytes} of device memory from the pool; close the buffer to give it back. */
    public DeviceBuffer allocate(long bytes) { return pool.allocate(bytes); }

    /** A device copy of a host buffer. */
    public DeviceBuffer upload(Buffer host) {
        long bytes = host.size() * host.dtype().byteSize();
        DeviceBuffer d = allocate(bytes);
        if (bytes > 0) {
            makeCurrent();
            driver.copyHostToDevice(d.address(), host.segment(), bytes);
        }
        return d;
    }

    /** A host copy of the first {@code type}'s worth of bytes of a device buffer. */
    public Buffer download(DeviceBuffer device, TensorType type) {
        Buffer host = Buffer.allocateUninitialized(type.dtype(), type.shape());
        long bytes = host.size() * type.dtype().byteSize();
        if (bytes > device.bytes()) {
            throw new IllegalArgumentException("a device buffer of " + device.bytes() + " bytes cannot hold " + type);
        }
        if (bytes > 0) {
            makeCurrent();
            driver.copyDeviceToHost(host.segment(), device.address(), bytes);
        }
        return host;
    }

    /** Waits for all work on this device. */
    public void synchronize() {
        makeCurrent();
        driver.synchronizeContext();
    }

    @Override
    public String toString() { return "gpu:" + ordinal + " (" + name + ", " + smTarget() + ", " + multiprocessors + " SMs)"; }
}
