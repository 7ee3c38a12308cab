package dev.tfjit.runtime.cuda;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Device memory from a {@link DeviceMemoryPool}. {@link #close()} gives it back to the pool at
 * once (deterministically, not when a collector notices); closing twice is harmless, using it
 * after closing is an error. A buffer of 0 bytes has address 0 and owns nothing.
 */
public final class DeviceBuffer implements AutoCloseable {
    private final DeviceMemoryPool pool;
    private final long address;
    private final long bytes;
    private final long capacity;
    private final AtomicBoolean closed = new AtomicBoolean();

    DeviceBuffer(DeviceMemoryPool pool, long address, long bytes, long capacity) {
        this.pool = pool;
        this.address = address;
        this.bytes = bytes;
        this.capacity = capacity;
    }

    /** The device pointer ({@code CUdeviceptr}), at least 256-byte aligned. */
    public long address() {
        if (closed.get()) throw new IllegalStateException("device buffer used after close");
        return address;
    }

    /** The bytes asked for (the block behind it may be larger). */
    public long bytes() { return bytes; }

    public boolean isClosed() { return closed.get(); }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && capacity > 0) pool.release(address, capacity);
    }

    @Override
    public String toString() { return "DeviceBuffer(0x" + Long.toHexString(address) + ", " + bytes + " bytes)"; }
}
