package dev.tfjit.ir;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Small buffers (scalars, short vectors) cut from shared chunks by bumping an offset.
 *
 * <p>Tracking every scalar's reachability separately costs far more than the scalar: the
 * collector and the cleaner thread then do work per eager op. A chunk is one pooled block
 * with one automatic scope; each small buffer is a slice of it, so it shares (and keeps alive)
 * that scope, and the chunk's block goes back to the pool once every slice is unreachable.
 * The price is that one long-lived small buffer keeps its whole chunk ({@link #CHUNK_BYTES})
 * from being reused; chunks are small so that bound stays modest.
 */
final class SmallBlocks {
    /** Requests up to this size are sliced from chunks. */
    static final long MAX_BYTES = 512;
    static final long CHUNK_BYTES = 32 << 10;

    private static final AtomicReference<Chunk> CURRENT = new AtomicReference<>();

    private SmallBlocks() {}

    /** Slices are handed out zero-filled because a chunk is zeroed when it is made. */
    private record Chunk(MemorySegment memory, AtomicLong next) {
        MemorySegment slice(long bytes, long alignment) {
            long rounded = (bytes + alignment - 1) & -alignment;
            long at = next.getAndAdd(rounded);
            return at + rounded <= memory.byteSize() ? memory.asSlice(at, bytes) : null;
        }
    }

    static MemorySegment allocate(long bytes, long alignment) {
        while (true) {
            Chunk c = CURRENT.get();
            if (c != null) {
                MemorySegment s = c.slice(bytes, alignment);
                if (s != null) return s;
            }
            Chunk fresh = new Chunk(NativeMemory.block(CHUNK_BYTES, true), new AtomicLong());
            // Losing the race is harmless: the unused chunk becomes unreachable and its block returns to the pool.
            CURRENT.compareAndSet(c, fresh);
        }
    }
}
