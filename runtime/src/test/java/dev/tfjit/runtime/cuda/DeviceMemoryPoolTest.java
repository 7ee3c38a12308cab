package dev.tfjit.runtime.cuda;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The GPU memory pool's bookkeeping, on a stand-in allocator that counts what the driver would be asked for. */
class DeviceMemoryPoolTest {
    /** Hands out fake addresses, 256-byte aligned, and can run out of memory after a budget. */
    private static final class FakeDriver implements DeviceMemoryPool.Allocator {
        final Map<Long, Long> allocated = new HashMap<>(); // address -> bytes
        long next = 1 << 20, budget = Long.MAX_VALUE, held;
        int allocations, frees;

        @Override
        public long allocate(long bytes) {
            if (held + bytes > budget) throw new CudaError(CudaError.OUT_OF_MEMORY, "out of memory");
            allocations++;
            held += bytes;
            long a = next;
            next += bytes;
            allocated.put(a, bytes);
            return a;
        }

        @Override
        public void free(long address) {
            Long bytes = allocated.remove(address);
            assertNotNull(bytes, "freed twice or never allocated: " + address);
            held -= bytes;
            frees++;
        }
    }

    @Test
    void closedBuffersGoBackToThePoolAndAreReused() {
        FakeDriver driver = new FakeDriver();
        DeviceMemoryPool pool = new DeviceMemoryPool(driver);
        DeviceBuffer a = pool.allocate(1000), b = pool.allocate(3000);
        assertEquals(1024 + 4096, pool.liveBytes());
        a.close();
        a.close(); // harmless
        assertEquals(4096, pool.liveBytes());
        assertEquals(1024, pool.cachedBytes());
        IllegalStateException used = assertThrows(IllegalStateException.class, a::address);
        assertTrue(used.getMessage().contains("used after close"), used.getMessage());
        DeviceBuffer c = pool.allocate(600); // the same size class: the kept block, no driver call
        assertEquals(2, driver.allocations);
        assertEquals(0, pool.cachedBytes());
        c.close();
        b.close();
        assertEquals(0, pool.liveBytes());
        assertEquals(1024 + 4096, pool.cachedBytes());
        assertEquals(1024 + 4096, pool.peakBytes());
        assertEquals(new dev.tfjit.runtime.DeviceMemoryInfo(0, 5120, 5120), pool.info());
    }

    @Test
    void aThousandRoundsOfTheSameSizesAllocateOnce() {
        FakeDriver driver = new FakeDriver();
        DeviceMemoryPool pool = new DeviceMemoryPool(driver);
        for (int i = 0; i < 1000; i++) {
            try (DeviceBuffer x = pool.allocate(4 << 20); DeviceBuffer y = pool.allocate(100)) {
                assertNotEquals(x.address(), y.address());
            }
        }
        assertEquals(2, driver.allocations);
        assertEquals(0, pool.liveBytes());
        assertEquals((4 << 20) + 256, pool.peakBytes());
    }

    @Test
    void runningOutOfMemoryGivesTheKeptBlocksBackAndTriesOnce() {
        FakeDriver driver = new FakeDriver();
        driver.budget = 8 << 20;
        DeviceMemoryPool pool = new DeviceMemoryPool(driver);
        pool.allocate(6 << 20).close(); // kept: the driver still holds 6 MiB
        DeviceBuffer big = pool.allocate(4 << 20); // does not fit beside it: trim, then retry
        assertEquals(1, driver.frees);
        assertEquals(0, pool.cachedBytes());
        assertEquals(4 << 20, pool.liveBytes());
        driver.budget = 4 << 20; // full now
        CudaError oom = assertThrows(CudaError.class, () -> pool.allocate(1 << 20));
        assertEquals(CudaError.OUT_OF_MEMORY, oom.code());
        assertEquals(4 << 20, pool.liveBytes(), "a failed allocation changes nothing");
        big.close();
        pool.trim();
        assertTrue(driver.allocated.isEmpty(), "everything given back to the driver");
    }
}
