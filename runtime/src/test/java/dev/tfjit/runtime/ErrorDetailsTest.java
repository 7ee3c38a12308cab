package dev.tfjit.runtime;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.*;

/** Error message templates filled from the scratch block of a failed native call. */
class ErrorDetailsTest {
    @Test
    void placeholdersBecomeTheInt64sAtTheirOffsets() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment scratch = arena.allocate(64, 64);
            scratch.set(ValueLayout.JAVA_LONG, 16, -3);
            scratch.set(ValueLayout.JAVA_LONG, 24, Long.MAX_VALUE);
            String template = "indices[" + ErrorDetails.slot(24) + "] = " + ErrorDetails.slot(16) + " is not in [0, 5)";
            assertEquals("indices[" + Long.MAX_VALUE + "] = -3 is not in [0, 5)", ErrorDetails.format(template, scratch));
        }
    }

    @Test
    void aMessageWithoutPlaceholdersOrASlotOutsideTheBlockIsLeftAlone() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment scratch = arena.allocate(16, 64);
            assertEquals("Integer division by zero", ErrorDetails.format("Integer division by zero", scratch));
            String outside = "v = " + ErrorDetails.slot(16);
            assertEquals(outside, ErrorDetails.format(outside, scratch));
            assertEquals(outside, ErrorDetails.format(outside, MemorySegment.NULL));
        }
        assertThrows(IllegalArgumentException.class, () -> ErrorDetails.slot(4), "slots are aligned int64s");
    }
}
