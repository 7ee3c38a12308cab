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
    /** Where blocks come from: the driver (a device's context made current first), or a stand-in in tests. */
    public interface Allocator {
        /** A new block of {@code bytes}; a {@link CudaError} with {@link CudaError#OUT_OF_MEMORY} when the device is full. */
        long allocate(long bytes);

        void free(long address);
    }

    private static final long SMALL_LIMIT = 1L << 20;
    private static final long LARGE_GRANULE = 2L << 20;

    private final Allocator device;
    private final Map<Long, ArrayDeque<Long>> free = new HashMap<>();
    private long cachedBytes;
    private long liveBytes;
    private long peakBytes;

    public DeviceMemoryPool(Allocator device) { this.device = device; }

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
                addLive(size);
                return new DeviceBuffer(this, list.pop(), bytes, size);
            }
        }
        long address;
        try {
            address = device.allocate(size);
        } catch (CudaError e) {
            if (e.code() != CudaError.OUT_OF_MEMORY) throw e;
            trim();
            address = device.allocate(size);
        }
        synchronized (this) {
            addLive(size);
        }
        return new DeviceBuffer(this, address, bytes, size);
    }

    private void addLive(long size) {
        liveBytes += size;
        peakBytes = Math.max(peakBytes, liveBytes);
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
        for (ArrayDeque<Long> list : blocks.values()) for (long a : list) device.free(a);
    }

    /** Bytes in blocks handed out and not yet closed. */
    public synchronized long liveBytes() { return liveBytes; }

    /** Bytes kept for reuse. */
    public synchronized long cachedBytes() { return cachedBytes; }

    /** The most bytes handed out at once. */
    public synchronized long peakBytes() { return peakBytes; }

    public synchronized dev.tfjit.runtime.DeviceMemoryInfo info() {
        return new dev.tfjit.runtime.DeviceMemoryInfo(liveBytes, cachedBytes, peakBytes);
    }
}
