package dev.tfjit.ir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Native allocations for {@link Buffer}s. Each segment belongs to an automatic arena, so it is
 * freed only once unreachable and a stale access is impossible. The collector does not see
 * native bytes, so, like the JDK's direct buffers, we count them and ask for a collection when
 * the live total passes a budget; a long loop of eager ops then stays flat.
 */
public final class NativeMemory {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicLong LIVE = new AtomicLong();
    private static final long BUDGET = Long.getLong("tfjit.nativeBudgetBytes",
            Math.max(256L << 20, Runtime.getRuntime().maxMemory() / 2));

    private NativeMemory() {}

    static MemorySegment allocate(long bytes, long alignment) {
        if (LIVE.addAndGet(bytes) > BUDGET) relievePressure(bytes);
        MemorySegment seg = Arena.ofAuto().allocate(Math.max(bytes, 1), alignment).asSlice(0, bytes);
        // The slice keeps the arena reachable; count the bytes back when it goes.
        CLEANER.register(seg, () -> LIVE.addAndGet(-bytes));
        return seg;
    }

    private static void relievePressure(long wanted) {
        for (int attempt = 0; attempt < 4 && LIVE.get() > BUDGET; attempt++) {
            System.gc();
            try {
                Thread.sleep(1L << attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Bytes of native memory currently held by live buffers. */
    public static long liveBytes() { return LIVE.get(); }
}
