package dev.tfjit.ir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Native memory for {@link Buffer}s, pooled by size class.
 *
 * <p>Eager execution allocates a result for every op, so allocation must be cheap: blocks come
 * from the C allocator once and are then recycled through per-size-class free lists (no
 * {@code malloc} and no fresh page faults per op). Small buffers are slices of shared chunks
 * ({@link SmallBlocks}). Each handed-out block gets a lightweight automatic scope of its own,
 * and the block goes back to the pool only when that scope is unreachable:
 * the scope is shared by the segment and every slice derived from it, so memory is never
 * recycled while anything can still reach it (no use-after-free, even for views a kernel
 * slices off a buffer's segment).
 *
 * <p>Bounded: the collector does not see native bytes, so, like the JDK's direct buffers, live
 * bytes are counted and a collection is requested when they pass {@code tfjit.nativeBudgetBytes}
 * (default half the maximum heap, at least 256 MiB). Free blocks kept for reuse never exceed
 * {@code tfjit.nativePoolBytes} (default: the budget); a block beyond that goes back to the C
 * allocator the moment it is released, and {@link #trim()} gives back the whole pool.
 */
public final class NativeMemory {
    private static final long BUDGET = Long.getLong("tfjit.nativeBudgetBytes",
            Math.max(256L << 20, Runtime.getRuntime().maxMemory() / 2));
    /**
     * Pooling up to the budget costs no extra peak memory: right before a collection releases
     * the garbage, live bytes are near the budget anyway. A smaller pool would only make the
     * next allocations fault in fresh pages while the same amount was just given back.
     */
    private static final long POOL_LIMIT = Long.getLong("tfjit.nativePoolBytes", BUDGET);
    /** Every block is aligned to this; {@link Buffer#ALIGNMENT} asks for no more. */
    private static final long MAX_ALIGNMENT = 64;

    private static final FreeList[] FREE = new FreeList[SizeClasses.COUNT];
    private static final AtomicLong LIVE = new AtomicLong();
    private static final AtomicLong POOLED = new AtomicLong();
    /** Zero-length buffers share one aligned address that no one can read or write through. */
    private static final MemorySegment EMPTY = Arena.global().allocate(MAX_ALIGNMENT, MAX_ALIGNMENT).asSlice(0, 0);

    static {
        for (int i = 0; i < FREE.length; i++) FREE[i] = new FreeList();
    }

    private NativeMemory() {}

    /**
     * A segment of {@code bytes}, aligned to {@code alignment} (a power of two up to 64), zero-filled
     * when {@code zeroed} (otherwise it may hold a freed tensor's bytes). Small requests share
     * chunks ({@link SmallBlocks}, always zero); larger ones get a block of their own.
     */
    static MemorySegment allocate(long bytes, long alignment, boolean zeroed) {
        if (alignment <= 0 || alignment > MAX_ALIGNMENT || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two up to " + MAX_ALIGNMENT + ", got " + alignment);
        }
        if (bytes < 0) throw new IllegalArgumentException("negative allocation size " + bytes);
        if (bytes == 0) return EMPTY;
        if (bytes <= SmallBlocks.MAX_BYTES) return SmallBlocks.allocate(bytes, alignment);
        return block(bytes, zeroed);
    }

    /** A segment with a block (and a scope) of its own. */
    static MemorySegment block(long bytes, boolean zeroed) {
        int sizeClass = SizeClasses.of(bytes);
        long capacity = sizeClass < 0 ? roundUp(bytes, MAX_ALIGNMENT) : SizeClasses.capacity(sizeClass);
        if (LIVE.addAndGet(capacity) > BUDGET) relievePressure();

        long address = sizeClass < 0 ? 0 : FREE[sizeClass].pop();
        if (address != 0) {
            POOLED.addAndGet(-capacity);
        } else {
            address = fresh(capacity);
        }
        // Every block has the largest alignment, so a block can serve any request of its class.
        MemorySegment segment = wrap(address, bytes, sizeClass, capacity);
        if (zeroed) segment.fill((byte) 0);
        return segment;
    }

    /** Bytes held by buffers that may still be reachable (block sizes, so a little above the tensors' sizes). */
    public static long liveBytes() { return LIVE.get(); }

    /** Bytes of freed blocks kept for reuse. */
    public static long pooledBytes() { return POOLED.get(); }

    /**
     * Collects garbage until the cleaner has returned every unreachable block, that is until
     * {@link #liveBytes()} stops changing (three quiet rounds, at most a second): for measuring
     * native memory (leak checks, footprint reports), never needed for correctness.
     *
     * @throws IllegalStateException when the thread is interrupted while it waits
     */
    public static void awaitReleases() {
        long last = -1;
        for (int round = 0, stable = 0; round < 100 && stable < 3; round++) {
            System.gc();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for native memory to be released", e);
            }
            long now = LIVE.get();
            stable = now == last ? stable + 1 : 0;
            last = now;
        }
    }

    /** Returns every pooled block to the C allocator. */
    public static void trim() {
        for (int c = 0; c < FREE.length; c++) {
            long[] addresses = FREE[c].drain();
            for (long a : addresses) LibC.free(a);
            POOLED.addAndGet(-addresses.length * SizeClasses.capacity(c));
        }
    }

    /**
     * The segment the buffer sees: {@code bytes} long, in a fresh automatic scope whose cleanup
     * (run by the JDK's cleaner once the segment and all its slices are unreachable) hands the
     * block back. The lambda captures only numbers, never the segment, or it would never go.
     */
    private static MemorySegment wrap(long address, long bytes, int sizeClass, long capacity) {
        return MemorySegment.ofAddress(address).reinterpret(bytes, Arena.ofAuto(), _ -> release(address, sizeClass, capacity));
    }

    private static void release(long address, int sizeClass, long capacity) {
        LIVE.addAndGet(-capacity);
        if (sizeClass >= 0 && POOLED.addAndGet(capacity) <= POOL_LIMIT) {
            FREE[sizeClass].push(address);
        } else {
            if (sizeClass >= 0) POOLED.addAndGet(-capacity);
            LibC.free(address);
        }
    }

    private static long fresh(long capacity) {
        long address = LibC.alignedAlloc(MAX_ALIGNMENT, capacity);
        if (address == 0) {
            // The C heap is full: give back what the pool holds and what the collector can find, once.
            trim();
            relievePressure();
            address = LibC.alignedAlloc(MAX_ALIGNMENT, capacity);
            if (address == 0) {
                LIVE.addAndGet(-capacity);
                throw new OutOfMemoryError("cannot allocate " + capacity + " bytes of native memory for a tensor ("
                        + LIVE.get() + " bytes held by live tensors)");
            }
        }
        return address;
    }

    /** Unreachable buffers free their blocks only after a collection; ask for one and give the cleaner time. */
    private static void relievePressure() {
        for (int attempt = 0; attempt < 3 && LIVE.get() > BUDGET; attempt++) {
            System.gc();
            // The collection only finds unreachable segments; the cleaner thread then releases their
            // blocks. Wait for it rather than paying for another full collection right away.
            for (int waited = 0; waited < 20 && LIVE.get() > BUDGET; waited++) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static long roundUp(long v, long to) { return Math.addExact(v, to - 1) & -to; }
}
