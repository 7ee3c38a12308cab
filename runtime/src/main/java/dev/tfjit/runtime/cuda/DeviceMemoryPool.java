package dev.tfjit.runtime.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Device memory recycled by size class, because {@code cuMemAlloc}/{@code cuMemFree} are slow
 * (they synchronize the device) and a compiled function allocates the same sizes on every call.
 * Sizes up to 1 MiB round up to a power of two (at least 256 bytes), larger ones to a multiple
 * of 2 MiB. Freed blocks are kept for reuse; when the device runs out of memory every kept
 * block is returned to the driver and the allocation is tried once more.
 */
public final class DeviceMemoryPool {
    private static final long SMALL_LIMIT = 1L << 20;
    private static final long LARGE_GRANULE = 2L << 20;

    private final CudaDevice device;
    private final Map<Long, ArrayDeque<Long>> free = new HashMap<>();
    private long cachedBytes;
    private long liveBytes;

    DeviceMemoryPool(CudaDevice device) { this.device = device; }

    /** The block size a request of {@code bytes} gets. */
    static long sizeClass(long bytes) {
        if (bytes <= 256) return 256;
        if (bytes <= SMALL_LIMIT) return Long.highestOneBit(bytes - 1) << 1;
        return (bytes + LARGE_GRANULE - 1) / LARGE_GRANULE * LARGE_GRANULE;
    }

    public DeviceBuffer allocate(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("negative allocation size " + bytes);
        if (bytes == 0) return new DeviceBuffer(this, 0, 0, 0);
        long size = sizeClass(bytes);
        synchronized (this) {
            ArrayDeque<Long> list = free.get(size);
            if (list != null && !list.isEmpty()) {
                cachedBytes -= size;
                liveBytes += size;
                return new DeviceBuffer(this, list.pop(), bytes, size);
            }
        }
        long address;
        device.makeCurrent();
        try {
            address = device.driver().allocate(size);
        } catch (CudaError e) {
            if (e.code() != CudaError.OUT_OF_MEMORY) throw e;
            trim();
            device.makeCurrent();
            address = device.driver().allocate(size);
        }
        synchronized (this) {
            liveBytes += size;
        }
        return new DeviceBuffer(this, address, bytes, size);
    }

    synchronized void release(long address, long size) {
        free.computeIfAbsent(size, k -> new ArrayDeque<>()).push(address);
        cachedBytes += size;
        liveBytes -= size;
    }

    /** Returns every kept block to the driver. */
    public void trim() {
        Map<Long, ArrayDeque<Long>> blocks;
        synchronized (this) {
            blocks = new HashMap<>(free);
            free.clear();
            cachedBytes = 0;
        }
        device.makeCurrent();
        for (ArrayDeque<Long> list : blocks.values()) for (long a : list) device.driver().free(a);
    }

    /** Bytes in blocks handed out and not yet closed. */
    public synchronized long liveBytes() { return liveBytes; }

    /** Bytes kept for reuse. */
    public synchronized long cachedBytes() { return cachedBytes; }
}
