package dev.tfjit.ir;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.*;

class SizeClassesTest {
    @Test
    void smallRequestsRoundUpToPowersOfTwoFrom64Bytes() {
        assertEquals(64, SizeClasses.capacity(SizeClasses.of(1)));
        assertEquals(64, SizeClasses.capacity(SizeClasses.of(64)));
        assertEquals(128, SizeClasses.capacity(SizeClasses.of(65)));
        assertEquals(4096, SizeClasses.capacity(SizeClasses.of(4000)));
        assertEquals(1 << 20, SizeClasses.capacity(SizeClasses.of(1 << 20)));
    }

    @Test
    void largeRequestsUseQuarterSteps() {
        assertEquals((1 << 20) + (1 << 18), SizeClasses.capacity(SizeClasses.of((1 << 20) + 1)));
        assertEquals(5L << 23, SizeClasses.capacity(SizeClasses.of(40_000_000)));   // 40 MiB blocks for 38.1 MiB
        assertEquals(64L << 20, SizeClasses.capacity(SizeClasses.of(64L << 20))); // 16M float32: no slack
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 63, 64, 65, 1000, 4097, 65_535, 1 << 20, (1 << 20) + 1, 3_000_000, 67_108_864, 67_108_865, 1L << 40})
    void everyClassHoldsItsRequestWithBoundedSlack(long bytes) {
        int c = SizeClasses.of(bytes);
        long cap = SizeClasses.capacity(c);
        assertTrue(cap >= bytes, cap + " < " + bytes);
        assertTrue(bytes <= 64 || cap < 2 * bytes, "slack too large: " + cap + " for " + bytes);
        if (bytes > 1 << 20) assertTrue(cap <= bytes * 1.25 + 1, "more than 25% slack: " + cap + " for " + bytes);
        assertEquals(0, cap % 64, "capacities keep 64-byte alignment of neighbours");
    }

    @Test
    void classesAreOrderedAndDistinct() {
        for (int c = 1; c < SizeClasses.COUNT; c++) {
            assertTrue(SizeClasses.capacity(c) > SizeClasses.capacity(c - 1), "class " + c);
            assertEquals(c, SizeClasses.of(SizeClasses.capacity(c)), "a class's own capacity maps back to it");
        }
    }

    @Test
    void beyondOneTebibyteIsNotPooled() {
        assertEquals(-1, SizeClasses.of((1L << 40) + 1));
    }
}
