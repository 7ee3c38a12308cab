package dev.tfjit.runtime.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The CUDA driver API ({@code libcuda.so.1}) through the foreign function API: no JNI and no
 * CUDA toolkit, only the driver that every machine with an NVIDIA GPU has. Each method is one
 * driver call whose {@code CUresult} is checked: a failure is a {@link CudaError} naming the
 * call and the driver's description of the error.
 *
 * <p>Handles ({@code CUcontext}, {@code CUmodule}, {@code CUfunction}, {@code CUstream},
 * {@code CUevent}) are addresses; device pointers ({@code CUdeviceptr}) are {@code long}s.
 * Symbols are bound by the names the driver exports, which for several calls are the
 * {@code _v2} versions that cuda.h's macros select ({@code cuMemAlloc} is
 * {@code cuMemAlloc_v2}); {@code CudaDriverSymbolsTest} checks every one against cuda.h.
 *
 * <p>{@code -Dtfjit.cuda.driver=PATH} loads another library in place of {@code libcuda.so.1}
 * (tests load a mock driver this way).
 */
public final class CudaDriver {
    /** The driver library looked for on the loader's search path. */
    public static final String LIBRARY = "libcuda.so.1";

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Object LOCK = new Object();
    private static volatile CudaDriver instance;
    private static volatile CudaError failure;

    /** Every symbol this class binds, with its C signature: {@code CudaDriverSymbolsTest} checks them against cuda.h. */
    static final Map<String, FunctionDescriptor> SYMBOLS = Map.ofEntries(
            Map.entry("cuInit", FunctionDescriptor.of(JAVA_INT, JAVA_INT)),
            Map.entry("cuDriverGetVersion", FunctionDescriptor.of(JAVA_INT, ADDRESS)),
            Map.entry("cuDeviceGetCount", FunctionDescriptor.of(JAVA_INT, ADDRESS)),
            Map.entry("cuDeviceGet", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)),
            Map.entry("cuDeviceGetName", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT)),
            Map.entry("cuDeviceGetAttribute", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT)),
            Map.entry("cuDeviceTotalMem_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)),
            Map.entry("cuDevicePrimaryCtxRetain", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)),
            Map.entry("cuDevicePrimaryCtxRelease_v2", FunctionDescriptor.of(JAVA_INT, JAVA_INT)),
            Map.entry("cuCtxSetCurrent", FunctionDescriptor.of(JAVA_INT, ADDRESS)),
            Map.entry("cuCtxSynchronize", FunctionDescriptor.of(JAVA_INT)),
            Map.entry("cuModuleLoadDataEx", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS)),
            Map.entry("cuModuleUnload", FunctionDescriptor.of(JAVA_INT, ADDRESS)),
            Map.entry("cuModuleGetFunction", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS)),
            Map.entry("cuFuncGetAttribute", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS)),
            Map.entry("cuLaunchKernel", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                    JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS)),
            Map.entry("cuMemAlloc_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG)),
            Map.entry("cuMemFree_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG)),
            Map.entry("cuMemGetInfo_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)),
            Map.entry("cuMemcpyHtoD_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG)),
            Map.entry("cuMemcpyDtoH_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG)),
            Map.entry("cuMemcpyDtoD_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG)),
            Map.entry("cuMemcpyHtoDAsync_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS)),
            Map.entry("cuMemcpyDtoHAsync_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS)),
            Map.entry("cuMemcpyDtoDAsync_v2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS)),
            Map.entry("cuMemsetD8Async", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ValueLayout.JAVA_BYTE, JAVA_LONG, ADDRESS)),
            Map.entry("cuMemsetD32Async", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS)),
            Map.entry("cuStreamCreate", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)),
            Map.entry("cuStreamDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS)),
            Map.entry("cuStreamSynchronize", FunctionDescriptor.of(JAVA_INT, ADDRESS)),
            Map.entry("cuEventCreate", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)),
            Map.entry("cuEventRecord", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)),
            Map.entry("cuEventSynchronize", FunctionDescriptor.of(JAVA_INT, ADDRESS)),
            Map.entry("cuEventElapsedTime", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS)),
            Map.entry("cuEventDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS)),
            Map.entry("cuGetErrorName", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS)),
            Map.entry("cuGetErrorString", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS)));

    /** CUdevice_attribute values (cuda.h). */
    public static final int ATTRIBUTE_MULTIPROCESSOR_COUNT = 16;
    public static final int ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR = 39;
    public static final int ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
    public static final int ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;
    /** CUfunction_attribute: registers per thread. */
    public static final int FUNCTION_NUM_REGS = 4;
    /** CUjit_option values for the error log of a PTX compile. */
    private static final int JIT_ERROR_LOG_BUFFER = 5;
    private static final int JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6;
    /** CU_EVENT_DEFAULT: events that record timing. */
    private static final int EVENT_DEFAULT = 0;
    /** CU_STREAM_NON_BLOCKING: no implicit synchronization with the legacy default stream. */
    private static final int STREAM_NON_BLOCKING = 1;

    private final String library;
    private final MethodHandle cuInit, cuDriverGetVersion, cuDeviceGetCount, cuDeviceGet, cuDeviceGetName, cuDeviceGetAttribute,
            cuDeviceTotalMem, cuDevicePrimaryCtxRetain, cuDevicePrimaryCtxRelease, cuCtxSetCurrent, cuCtxSynchronize,
            cuModuleLoadDataEx, cuModuleUnload, cuModuleGetFunction, cuFuncGetAttribute, cuLaunchKernel, cuMemAlloc, cuMemFree,
            cuMemGetInfo, cuMemcpyHtoD, cuMemcpyDtoH, cuMemcpyDtoD, cuMemcpyHtoDAsync, cuMemcpyDtoHAsync, cuMemcpyDtoDAsync,
            cuMemsetD8Async, cuMemsetD32Async, cuStreamCreate, cuStreamDestroy, cuStreamSynchronize, cuEventCreate, cuEventRecord,
            cuEventSynchronize, cuEventElapsedTime, cuEventDestroy, cuGetErrorName, cuGetErrorString;

    private CudaDriver(String library, SymbolLookup lookup) {
        this.library = library;
        List<String> missing = new ArrayList<>();
        for (String s : SYMBOLS.keySet()) if (lookup.find(s).isEmpty()) missing.add(s);
        if (!missing.isEmpty()) {
            throw new CudaError(CudaError.NO_DRIVER, library + " lacks the driver functions " + missing.stream().sorted().toList()
                    + "; tfjit needs a CUDA 11.0 or newer driver");
        }
        cuInit = bind(lookup, "cuInit");
        cuDriverGetVersion = bind(lookup, "cuDriverGetVersion");
        cuDeviceGetCount = bind(lookup, "cuDeviceGetCount");
        cuDeviceGet = bind(lookup, "cuDeviceGet");
        cuDeviceGetName = bind(lookup, "cuDeviceGetName");
        cuDeviceGetAttribute = bind(lookup, "cuDeviceGetAttribute");
        cuDeviceTotalMem = bind(lookup, "cuDeviceTotalMem_v2");
        cuDevicePrimaryCtxRetain = bind(lookup, "cuDevicePrimaryCtxRetain");
        cuDevicePrimaryCtxRelease = bind(lookup, "cuDevicePrimaryCtxRelease_v2");
        cuCtxSetCurrent = bind(lookup, "cuCtxSetCurrent");
        cuCtxSynchronize = bind(lookup, "cuCtxSynchronize");
        cuModuleLoadDataEx = bind(lookup, "cuModuleLoadDataEx");
        cuModuleUnload = bind(lookup, "cuModuleUnload");
        cuModuleGetFunction = bind(lookup, "cuModuleGetFunction");
        cuFuncGetAttribute = bind(lookup, "cuFuncGetAttribute");
        cuLaunchKernel = bind(lookup, "cuLaunchKernel");
        cuMemAlloc = bind(lookup, "cuMemAlloc_v2");
        cuMemFree = bind(lookup, "cuMemFree_v2");
        cuMemGetInfo = bind(lookup, "cuMemGetInfo_v2");
        cuMemcpyHtoD = bind(lookup, "cuMemcpyHtoD_v2");
        cuMemcpyDtoH = bind(lookup, "cuMemcpyDtoH_v2");
        cuMemcpyDtoD = bind(lookup, "cuMemcpyDtoD_v2");
        cuMemcpyHtoDAsync = bind(lookup, "cuMemcpyHtoDAsync_v2");
        cuMemcpyDtoHAsync = bind(lookup, "cuMemcpyDtoHAsync_v2");
        cuMemcpyDtoDAsync = bind(lookup, "cuMemcpyDtoDAsync_v2");
        cuMemsetD8Async = bind(lookup, "cuMemsetD8Async");
        cuMemsetD32Async = bind(lookup, "cuMemsetD32Async");
        cuStreamCreate = bind(lookup, "cuStreamCreate");
        cuStreamDestroy = bind(lookup, "cuStreamDestroy_v2");
        cuStreamSynchronize = bind(lookup, "cuStreamSynchronize");
        cuEventCreate = bind(lookup, "cuEventCreate");
        cuEventRecord = bind(lookup, "cuEventRecord");
        cuEventSynchronize = bind(lookup, "cuEventSynchronize");
        cuEventElapsedTime = bind(lookup, "cuEventElapsedTime");
        cuEventDestroy = bind(lookup, "cuEventDestroy_v2");
        cuGetErrorName = bind(lookup, "cuGetErrorName");
        cuGetErrorString = bind(lookup, "cuGetErrorString");
    }

    private static MethodHandle bind(SymbolLookup lookup, String name) {
        return LINKER.downcallHandle(lookup.find(name).orElseThrow(), SYMBOLS.get(name));
    }

    /**
     * The driver, loaded and initialized ({@code cuInit}) on first use. Without one the error
     * names the library looked for and why it could not be used; it is remembered, so asking
     * again is cheap.
     */
    public static CudaDriver get() {
        CudaDriver d = instance;
        if (d != null) return d;
        synchronized (LOCK) {
            if (instance != null) return instance;
            if (failure != null) throw failure;
            String library = System.getProperty("tfjit.cuda.driver", LIBRARY);
            try {
                SymbolLookup lookup;
                try {
                    lookup = library.contains("/") ? SymbolLookup.libraryLookup(Path.of(library), Arena.global())
                            : SymbolLookup.libraryLookup(library, Arena.global());
                } catch (IllegalArgumentException e) {
                    throw new CudaError(CudaError.NO_DRIVER, "no CUDA driver: " + library + " could not be loaded (" + e.getMessage()
                            + "); the ptx-gpu backend needs an NVIDIA GPU with its driver installed");
                }
                CudaDriver loaded = new CudaDriver(library, lookup);
                loaded.init();
                instance = loaded;
                return loaded;
            } catch (CudaError e) {
                failure = e;
                throw e;
            }
        }
    }

    /** Whether a driver loads and initializes here (false on machines without an NVIDIA GPU). */
    public static boolean isAvailable() {
        try {
            get();
            return true;
        } catch (CudaError e) {
            return false;
        }
    }

    /** Why {@link #get()} fails here, or empty when a driver is available. */
    public static Optional<String> unavailableReason() {
        try {
            get();
            return Optional.empty();
        } catch (CudaError e) {
            return Optional.of(e.getMessage());
        }
    }

    public String library() { return library; }

    // ------------------------------------------------------------ errors

    /** Throws the {@link CudaError} of a non-zero CUresult returned by {@code call}. */
    void check(int result, String call) {
        if (result != 0) throw error(result, call);
    }

    CudaError error(int result, String call) {
        return new CudaError(result, call + " failed: " + errorName(result) + " (" + errorString(result) + ")");
    }

    private String errorName(int result) { return describe(cuGetErrorName, result, "CUDA error " + result); }

    private String errorString(int result) { return describe(cuGetErrorString, result, "no description"); }

    private static String describe(MethodHandle h, int result, String fallback) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            int r = (int) h.invokeExact(result, out);
            MemorySegment s = out.get(ADDRESS, 0);
            if (r != 0 || s.equals(MemorySegment.NULL)) return fallback;
            return s.reinterpret(4096).getString(0, StandardCharsets.UTF_8);
        } catch (Throwable t) {
            return fallback;
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    // ------------------------------------------------------------ devices and contexts

    private void init() {
        try {
            check((int) cuInit.invokeExact(0), "cuInit");
        } catch (CudaError e) {
            throw new CudaError(e.code(), "no usable CUDA driver: " + e.getMessage());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The driver's CUDA version, e.g. 12040 for 12.4. */
    public int driverVersion() { return intOut(cuDriverGetVersion, "cuDriverGetVersion"); }

    public int deviceCount() { return intOut(cuDeviceGetCount, "cuDeviceGetCount"); }

    /** The CUdevice of GPU {@code ordinal}. */
    public int device(int ordinal) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            check((int) cuDeviceGet.invokeExact(out, ordinal), "cuDeviceGet(" + ordinal + ")");
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public String deviceName(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(256);
            check((int) cuDeviceGetName.invokeExact(out, 256, device), "cuDeviceGetName");
            return out.getString(0, StandardCharsets.UTF_8);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int attribute(int device, int attribute) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            check((int) cuDeviceGetAttribute.invokeExact(out, attribute, device), "cuDeviceGetAttribute(" + attribute + ")");
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public long totalMemory(int device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_LONG);
            check((int) cuDeviceTotalMem.invokeExact(out, device), "cuDeviceTotalMem_v2");
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The device's primary context (shared with every other user of the device in this process), retained. */
    public MemorySegment retainPrimaryContext(int device) {
        return handleOut(out -> (int) cuDevicePrimaryCtxRetain.invokeExact(out, device), "cuDevicePrimaryCtxRetain");
    }

    public void releasePrimaryContext(int device) {
        try {
            check((int) cuDevicePrimaryCtxRelease.invokeExact(device), "cuDevicePrimaryCtxRelease_v2");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Binds {@code context} to the calling thread (driver calls act on the thread's current context). */
    public void setCurrent(MemorySegment context) {
        try {
            check((int) cuCtxSetCurrent.invokeExact(context), "cuCtxSetCurrent");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void synchronizeContext() {
        try {
            check((int) cuCtxSynchronize.invokeExact(), "cuCtxSynchronize");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ------------------------------------------------------------ modules and launches

    /**
     * Loads a module from a PTX text (null-terminated here) or a cubin image. A PTX the driver's
     * JIT rejects is an error carrying the JIT's log.
     */
    public MemorySegment loadModule(byte[] image, boolean isText) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment data = a.allocate(image.length + (isText ? 1 : 0), 16);
            MemorySegment.copy(image, 0, data, ValueLayout.JAVA_BYTE, 0, image.length);
            int logSize = 16384;
            MemorySegment log = a.allocate(logSize);
            MemorySegment options = a.allocate(JAVA_INT, 2);
            options.setAtIndex(JAVA_INT, 0, JIT_ERROR_LOG_BUFFER);
            options.setAtIndex(JAVA_INT, 1, JIT_ERROR_LOG_BUFFER_SIZE_BYTES);
            MemorySegment values = a.allocate(ADDRESS, 2);
            values.setAtIndex(ADDRESS, 0, log);
            values.setAtIndex(ADDRESS, 1, MemorySegment.ofAddress(logSize)); // an integer option travels as the pointer's value
            MemorySegment out = a.allocate(ADDRESS);
            int r = (int) cuModuleLoadDataEx.invokeExact(out, data, 2, options, values);
            if (r != 0) {
                CudaError e = error(r, "cuModuleLoadDataEx");
                String jitLog = log.getString(0, StandardCharsets.UTF_8).strip();
                throw new CudaError(r, e.getMessage() + (jitLog.isEmpty() ? "" : "; the JIT says: " + jitLog));
            }
            return out.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void unloadModule(MemorySegment module) {
        try {
            check((int) cuModuleUnload.invokeExact(module), "cuModuleUnload");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public MemorySegment function(MemorySegment module, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check((int) cuModuleGetFunction.invokeExact(out, module, a.allocateFrom(name)), "cuModuleGetFunction(" + name + ")");
            return out.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public int functionAttribute(MemorySegment function, int attribute) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            check((int) cuFuncGetAttribute.invokeExact(out, attribute, function), "cuFuncGetAttribute(" + attribute + ")");
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Launches {@code function}; {@code params} is the driver's {@code void **kernelParams}: one
     * address per kernel parameter, each pointing at that parameter's value.
     */
    public void launch(MemorySegment function, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ,
                       int sharedBytes, MemorySegment stream, MemorySegment params) {
        try {
            int r = (int) cuLaunchKernel.invokeExact(function, gridX, gridY, gridZ, blockX, blockY, blockZ, sharedBytes, stream,
                    params, MemorySegment.NULL);
            if (r != 0) throw error(r, "cuLaunchKernel");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ------------------------------------------------------------ memory

    /** {@code cuMemAlloc}: {@code bytes} (more than 0) of device memory, 256-byte aligned. */
    public long allocate(long bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_LONG);
            check((int) cuMemAlloc.invokeExact(out, bytes), "cuMemAlloc_v2(" + bytes + " bytes)");
            return out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void free(long pointer) {
        try {
            check((int) cuMemFree.invokeExact(pointer), "cuMemFree_v2");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code {free, total}} bytes of the current context's device. */
    public long[] memoryInfo() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment free = a.allocate(JAVA_LONG), total = a.allocate(JAVA_LONG);
            check((int) cuMemGetInfo.invokeExact(free, total), "cuMemGetInfo_v2");
            return new long[]{free.get(JAVA_LONG, 0), total.get(JAVA_LONG, 0)};
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void copyHostToDevice(long dst, MemorySegment src, long bytes) {
        try {
            check((int) cuMemcpyHtoD.invokeExact(dst, src, bytes), "cuMemcpyHtoD_v2");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void copyDeviceToHost(MemorySegment dst, long src, long bytes) {
        try {
            check((int) cuMemcpyDtoH.invokeExact(dst, src, bytes), "cuMemcpyDtoH_v2");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void copyDeviceToDevice(long dst, long src, long bytes) {
        try {
            check((int) cuMemcpyDtoD.invokeExact(dst, src, bytes), "cuMemcpyDtoD_v2");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void copyHostToDeviceAsync(long dst, MemorySegment src, long bytes, MemorySegment stream) {
        try {
            check((int) cuMemcpyHtoDAsync.invokeExact(dst, src, bytes, stream), "cuMemcpyHtoDAsync_v2");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void copyDeviceToHostAsync(MemorySegment dst, long src, long bytes, MemorySegment stream) {
        try {
            check((int) cuMemcpyDtoHAsync.invokeExact(dst, src, bytes, stream), "cuMemcpyDtoHAsync_v2");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void copyDeviceToDeviceAsync(long dst, long src, long bytes, MemorySegment stream) {
        try {
            check((int) cuMemcpyDtoDAsync.invokeExact(dst, src, bytes, stream), "cuMemcpyDtoDAsync_v2");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void fillBytesAsync(long dst, byte value, long count, MemorySegment stream) {
        try {
            check((int) cuMemsetD8Async.invokeExact(dst, value, count, stream), "cuMemsetD8Async");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void fillWordsAsync(long dst, int value, long count, MemorySegment stream) {
        try {
            check((int) cuMemsetD32Async.invokeExact(dst, value, count, stream), "cuMemsetD32Async");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ------------------------------------------------------------ streams and events

    public MemorySegment createStream() {
        return handleOut(out -> (int) cuStreamCreate.invokeExact(out, STREAM_NON_BLOCKING), "cuStreamCreate");
    }

    public void destroyStream(MemorySegment stream) {
        try {
            check((int) cuStreamDestroy.invokeExact(stream), "cuStreamDestroy_v2");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void synchronize(MemorySegment stream) {
        try {
            check((int) cuStreamSynchronize.invokeExact(stream), "cuStreamSynchronize");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public MemorySegment createEvent() {
        return handleOut(out -> (int) cuEventCreate.invokeExact(out, EVENT_DEFAULT), "cuEventCreate");
    }

    public void record(MemorySegment event, MemorySegment stream) {
        try {
            check((int) cuEventRecord.invokeExact(event, stream), "cuEventRecord");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void synchronizeEvent(MemorySegment event) {
        try {
            check((int) cuEventSynchronize.invokeExact(event), "cuEventSynchronize");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Milliseconds between two recorded events (about 0.5 µs resolution). */
    public float elapsedMillis(MemorySegment start, MemorySegment end) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_FLOAT);
            check((int) cuEventElapsedTime.invokeExact(out, start, end), "cuEventElapsedTime");
            return out.get(JAVA_FLOAT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public void destroyEvent(MemorySegment event) {
        try {
            check((int) cuEventDestroy.invokeExact(event), "cuEventDestroy_v2");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ------------------------------------------------------------ helpers

    @FunctionalInterface
    private interface OutCall {
        int call(MemorySegment out) throws Throwable;
    }

    private MemorySegment handleOut(OutCall c, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check(c.call(out), name);
            return out.get(ADDRESS, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private int intOut(MethodHandle h, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            check((int) h.invokeExact(out), name);
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
