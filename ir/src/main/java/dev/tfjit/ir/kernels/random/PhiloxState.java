package dev.tfjit.ir.kernels.random;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The position of one random stream: the Philox key and the 128-bit counter, kept in native
 * memory so that interpreted kernels and compiled code advance the very same counter. A kernel
 * reserves the blocks it will use with one atomic add on the counter's lower 64 bits (Java's
 * {@code getAndAdd}, native code's {@code atomicrmw add} on the same word), then computes from
 * the position it got; so concurrent callers, in any mix of backends and threads, never draw
 * the same numbers, as TF's {@code GuardedPhiloxRandom} guarantees with its mutex.
 *
 * <p>Layout ({@link #BYTES}, its own cache line): the counter's low word at {@link #COUNTER_LOW},
 * its high word at {@link #COUNTER_HIGH} and the key at {@link #KEY}, each a little-endian
 * {@code uint64}; only the low word changes. It wraps after 2^64 blocks (2^56 samples at TF's
 * 256 blocks per sample), where TF's would carry into the high word: no program gets there.
 */
public final class PhiloxState {
    public static final long BYTES = 64;
    public static final long COUNTER_LOW = 0, COUNTER_HIGH = 8, KEY = 16;
    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();

    private final MemorySegment cell;
    private final long counterHigh, key;

    /** A stream at counter {@code counterHigh:0} with key {@code key} (TF's {@code PhiloxRandom(seed, seed2)}: key seed, high word seed2). */
    public PhiloxState(long key, long counterHigh) {
        this.key = key;
        this.counterHigh = counterHigh;
        this.cell = Arena.ofAuto().allocate(BYTES, BYTES);
        cell.set(ValueLayout.JAVA_LONG, COUNTER_HIGH, counterHigh);
        cell.set(ValueLayout.JAVA_LONG, KEY, key);
        WORD.setVolatile(cell, COUNTER_LOW, 0L);
    }

    /** The generator at the stream's current position, after which the stream skips {@code blocks} 128-bit blocks. */
    public Philox reserve(long blocks) {
        long low = (long) WORD.getAndAdd(cell, COUNTER_LOW, blocks);
        return Philox.at(low, counterHigh, key);
    }

    /** The counter's low word now (for tests). */
    public long counterLow() { return (long) WORD.getVolatile(cell, COUNTER_LOW); }

    /** The state's memory, which compiled code reserves from; the caller keeps this object reachable while native code uses it. */
    public MemorySegment segment() { return cell; }
}
