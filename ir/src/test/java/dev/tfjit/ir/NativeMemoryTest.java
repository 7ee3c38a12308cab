package dev.tfjit.ir;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class NativeMemoryTest {
    /** A size no other test uses, so its size class (3.5 MiB blocks) holds only this test's blocks. */
    private static final int ODD_FLOATS = (3 << 18) + 1000;

    @Test
    void buffersAreZeroFilledAndAlignedEvenWhenTheirBlockWasUsedBefore() {
        for (int round = 0; round < 3; round++) {
            Buffer b = Buffer.allocate(DType.FLOAT32, ODD_FLOATS);
            assertEquals(0, b.segment().address() % Buffer.ALIGNMENT);
            for (long i = 0; i < b.size(); i += 4099) assertEquals(0.0, b.getDouble(i), "element " + i + " in round " + round);
            b.segment().fill((byte) -1);
            b = null;
            NativeMemory.awaitReleases();
        }
    }

    @Test
    void aFreedBlockServesTheNextRequestOfItsSize() {
        NativeMemory.awaitReleases(); // blocks other tests dropped must not be released in between
        long address = addressOfDroppedBuffer();
        NativeMemory.awaitReleases();
        Buffer again = Buffer.allocate(DType.FLOAT32, ODD_FLOATS);
        assertEquals(address, again.segment().address(), "the pool should hand the freed block out again");
    }

    @Test
    void aSliceOfASegmentKeepsItsMemoryFromBeingRecycled() {
        Buffer b = Buffer.allocate(DType.FLOAT32, ODD_FLOATS);
        b.segment().fill((byte) 42);
        MemorySegment view = b.segment().asSlice(4096, 64);
        b = null;
        List<Buffer> others = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            NativeMemory.awaitReleases();
            Buffer o = Buffer.allocate(DType.FLOAT32, ODD_FLOATS);
            o.segment().fill((byte) 7);
            others.add(o);
            assertFalse(overlaps(view, o.segment()), "a block still reachable through a slice was handed out again");
        }
        for (long i = 0; i < view.byteSize(); i++) assertEquals(42, view.get(ValueLayout.JAVA_BYTE, i));
    }

    @Test
    void liveBytesFallBackOnceBuffersAreUnreachable() {
        NativeMemory.awaitReleases();
        long before = NativeMemory.liveBytes();
        List<Buffer> held = new ArrayList<>();
        for (int i = 0; i < 100; i++) held.add(Buffer.allocate(DType.FLOAT64, 12_500)); // 100 KB each
        assertTrue(NativeMemory.liveBytes() >= before + 100 * 100_000L, "live bytes count held buffers");
        held = null;
        NativeMemory.awaitReleases();
        assertTrue(NativeMemory.liveBytes() <= before + SmallBlocks.CHUNK_BYTES,
                "live " + NativeMemory.liveBytes() + " did not fall back to " + before);
    }

    @Test
    void trimGivesPooledBlocksBackToTheSystem() {
        addressOfDroppedBuffer();
        NativeMemory.awaitReleases();
        assertTrue(NativeMemory.pooledBytes() > 0, "a released block should be pooled");
        NativeMemory.trim();
        assertEquals(0, NativeMemory.pooledBytes());
    }

    @Test
    void smallBuffersShareChunksWithoutOverlapping() {
        Buffer a = Buffer.scalar(DType.FLOAT32, 1.5), b = Buffer.scalar(DType.FLOAT32, -2.5);
        assertFalse(overlaps(a.segment(), b.segment()));
        assertEquals(0, a.segment().address() % Buffer.ALIGNMENT);
        assertEquals(0, b.segment().address() % Buffer.ALIGNMENT);
        assertEquals(4, a.segment().byteSize(), "a slice is exactly the buffer's size, so overruns fail");
        assertEquals(1.5, a.getDouble(0));
        assertEquals(-2.5, b.getDouble(0));
        assertThrows(IndexOutOfBoundsException.class, () -> a.getDouble(1));
    }

    @Test
    void uninitializedBuffersHaveTheRequestedSizeAndAlignment() {
        Buffer b = Buffer.allocateUninitialized(DType.FLOAT64, Shape.of(3, 1000));
        assertEquals(24_000, b.segment().byteSize());
        assertEquals(0, b.segment().address() % Buffer.ALIGNMENT);
        assertArrayEquals(new String[]{"", ""}, Buffer.allocateUninitialized(DType.STRING, Shape.of(2)).strings());
    }

    @Test
    void emptyBuffersTakeNoMemory() {
        long before = NativeMemory.liveBytes();
        Buffer e = Buffer.allocate(DType.FLOAT32, 0, 3);
        assertEquals(0, e.segment().byteSize());
        assertEquals(0, e.size());
        assertEquals(before, NativeMemory.liveBytes());
    }

    @Test
    void rejectsNonsenseRequests() {
        assertThrows(IllegalArgumentException.class, () -> NativeMemory.allocate(-1, 64, true));
        assertThrows(IllegalArgumentException.class, () -> NativeMemory.allocate(16, 128, true));
        assertThrows(IllegalArgumentException.class, () -> NativeMemory.allocate(16, 48, true));
    }

    private static long addressOfDroppedBuffer() {
        return Buffer.allocate(DType.FLOAT32, ODD_FLOATS).segment().address();
    }

    private static boolean overlaps(MemorySegment x, MemorySegment y) {
        return x.address() < y.address() + y.byteSize() && y.address() < x.address() + x.byteSize();
    }
}
