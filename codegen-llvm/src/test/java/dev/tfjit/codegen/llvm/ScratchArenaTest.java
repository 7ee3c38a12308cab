package dev.tfjit.codegen.llvm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The scratch layout: buffers held over steps, freed ranges reused best-fit and merged. */
class ScratchArenaTest {
    @Test
    void aBufferIsReusedOnlyAfterTheStepItIsHeldUntil() {
        ScratchArena a = new ScratchArena();
        long x = a.take(100, 2);        // held through step 2
        a.endStep(0);
        long y = a.take(64, 1);
        a.endStep(1);                   // y is free now, x is not
        long z = a.take(64, 3);
        assertEquals(y, z, "z takes y's freed bytes");
        assertNotEquals(x, z);
        a.endStep(2);                   // x is free now
        long w = a.take(128, 4);
        assertEquals(x, w, "w takes x's 128 aligned bytes");
        assertEquals(192, a.size(), "x (128) and y (64), aligned to 64 bytes");
    }

    @Test
    void theSmallestFittingRangeIsTakenAndNeighboursMerge() {
        ScratchArena a = new ScratchArena();
        long big = a.take(256, 0), keep = a.take(64, 9), small = a.take(64, 0), tail = a.take(64, 0);
        a.endStep(0); // big, small and tail are free; small and tail are adjacent, and the block's end
        assertEquals(small, a.take(64, 5), "the 128-byte range (small + tail) fits better than the 256-byte one");
        assertEquals(big, a.take(200, 5));
        assertEquals(tail, a.take(64, 5));
        assertEquals(448, a.size());
        assertEquals(9, a.until(keep));
    }

    @Test
    void extendingKeepsABufferForALaterReaderAndForeverIsNeverReused() {
        ScratchArena a = new ScratchArena();
        long x = a.take(64, 0), errors = a.take(8, ScratchArena.FOREVER);
        a.extend(x, 3); // an alias of x is read at step 3
        for (int s = 0; s < 3; s++) a.endStep(s);
        assertNotEquals(x, a.take(64, 10));
        assertNotEquals(errors, a.take(64, 10));
        a.endStep(3);
        assertEquals(x, a.take(64, 10));
        assertEquals(ScratchArena.FOREVER, a.until(errors));
    }

    @Test
    void memoryForTheWholeCallNeverSharesBytesWithAnEarlierStep() {
        ScratchArena a = new ScratchArena();
        long counter = a.take(64, 0);
        a.endStep(0);
        long descriptor = a.takeForCall(24); // cleared when the call starts: the counter at step 0 would overwrite it
        assertNotEquals(counter, descriptor);
        assertEquals(128, a.size());
        assertEquals(ScratchArena.FOREVER, a.until(descriptor));
        a.endStep(1_000);
        assertEquals(counter, a.take(64, 2), "the freed range still serves later steps");
    }
}
