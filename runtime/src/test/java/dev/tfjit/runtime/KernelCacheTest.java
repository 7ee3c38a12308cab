package dev.tfjit.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The cache with a stand-in backend whose "kernels" are strings and whose entries are their
 * bytes: each key is compiled once, found again in memory, revived from disk by a new cache
 * (as a new JVM would), and a bad entry costs a recompile and a warning, never a failure.
 */
class KernelCacheTest {
    @TempDir Path dir;
    final ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    final PrintStream warn = new PrintStream(warnings, true);

    KernelCache<String> cache() { return new KernelCache<>(Optional.of(new DiskKernelStore(dir, warn)), warn); }
    String warned() { return warnings.toString(StandardCharsets.UTF_8); }

    static KernelKey key(String ir) { return KernelKeyTest.with(ir, KernelKeyTest.BASE.argTypes(), "+avx2"); }

    /** Compiles {@code name} into the kernel "kernel:name", counting compiles and loads. */
    static class StringBackend implements KernelCache.Compiler<String> {
        final String name;
        final AtomicInteger compiles = new AtomicInteger(), loads = new AtomicInteger();
        StringBackend(String name) { this.name = name; }

        @Override public KernelCache.Compiled<String> compile() {
            compiles.incrementAndGet();
            String k = "kernel:" + name;
            return new KernelCache.Compiled<>(k, k.getBytes(StandardCharsets.UTF_8));
        }

        @Override public String load(byte[] entry) {
            loads.incrementAndGet();
            return new String(entry, StandardCharsets.UTF_8);
        }
    }

    /**
     * A backend whose compile says it has started ({@code inCompile}) and waits for
     * {@code release}; then it compiles, or fails with {@code failure} when one is given.
     */
    static final class GatedBackend extends StringBackend {
        final CountDownLatch inCompile = new CountDownLatch(1), release = new CountDownLatch(1);
        private final String failure;

        GatedBackend(String name, String failure) {
            super(name);
            this.failure = failure;
        }

        @Override public KernelCache.Compiled<String> compile() {
            inCompile.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (failure != null) throw new UnsupportedOperationException(failure);
            return super.compile();
        }
    }

    @Test
    void aMissCompilesAndAHitReusesTheSameKernel() {
        KernelCache<String> c = cache();
        StringBackend b = new StringBackend("a");
        String first = c.get(key("a"), b);
        String second = c.get(key("a"), b);
        assertEquals("kernel:a", first);
        assertSame(first, second);
        assertEquals(1, b.compiles.get());
        assertEquals(0, b.loads.get());
        assertEquals(new KernelCache.Stats(1, 0, 1), c.stats());
        assertEquals(1, c.size());
    }

    @Test
    void differentKeysAreDifferentKernels() {
        KernelCache<String> c = cache();
        assertEquals("kernel:a", c.get(key("a"), new StringBackend("a")));
        assertEquals("kernel:b", c.get(key("b"), new StringBackend("b")));
        assertEquals(2, c.size());
        assertEquals(new KernelCache.Stats(0, 0, 2), c.stats());
    }

    @Test
    void aNewCacheOnTheSameDirectoryLoadsInsteadOfCompiling() {
        cache().get(key("a"), new StringBackend("a"));
        StringBackend again = new StringBackend("a");
        KernelCache<String> fresh = cache(); // what a second JVM starts with
        assertEquals("kernel:a", fresh.get(key("a"), again));
        assertEquals(0, again.compiles.get());
        assertEquals(1, again.loads.get());
        assertEquals(new KernelCache.Stats(0, 1, 0), fresh.stats());
        assertEquals("", warned());
    }

    @Test
    void aCorruptEntryIsRecompiledWithAWarningAndRepaired() throws Exception {
        cache().get(key("a"), new StringBackend("a"));
        Path entry = dir.resolve(key("a").digest() + ".kernel");
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length - 1] ^= 1;
        Files.write(entry, bytes);

        StringBackend b = new StringBackend("a");
        assertEquals("kernel:a", cache().get(key("a"), b));
        assertEquals(1, b.compiles.get());
        assertEquals(0, b.loads.get(), "corrupt bytes never reach the backend");
        assertTrue(warned().contains("corrupt kernel cache entry " + entry), warned());

        StringBackend third = new StringBackend("a");
        assertEquals("kernel:a", cache().get(key("a"), third));
        assertEquals(1, third.loads.get(), "the recompile rewrote a valid entry");
    }

    @Test
    void anEntryTheBackendCannotLoadIsRecompiledWithAWarning() {
        cache().get(key("a"), new StringBackend("a"));
        StringBackend picky = new StringBackend("a") {
            @Override public String load(byte[] entry) { throw new IllegalArgumentException("kernel entry format 0, expected 1"); }
        };
        assertEquals("kernel:a", cache().get(key("a"), picky));
        assertEquals(1, picky.compiles.get());
        assertTrue(warned().contains("cannot load kernel cache entry") && warned().contains("format 0"), warned());
    }

    @Test
    void aBackendThatNeedsTheCompileSkipsTheDiskEntry() {
        cache().get(key("a"), new StringBackend("a"));
        StringBackend dumping = new StringBackend("a") {
            @Override public boolean reuseDiskEntry() { return false; }
        };
        cache().get(key("a"), dumping);
        assertEquals(1, dumping.compiles.get());
        assertEquals(0, dumping.loads.get());
    }

    @Test
    void withoutADiskStoreNothingIsWritten() throws Exception {
        KernelCache<String> c = new KernelCache<>(Optional.empty(), warn);
        StringBackend b = new StringBackend("a");
        c.get(key("a"), b);
        c.get(key("a"), b);
        assertEquals(1, b.compiles.get());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void aFailedCompileIsNotCached() {
        KernelCache<String> c = cache();
        AtomicInteger attempts = new AtomicInteger();
        StringBackend flaky = new StringBackend("a") {
            @Override public KernelCache.Compiled<String> compile() {
                if (attempts.incrementAndGet() == 1) throw new IllegalStateException("LLVM failed");
                return super.compile();
            }
        };
        var e = assertThrows(IllegalStateException.class, () -> c.get(key("a"), flaky));
        assertEquals("LLVM failed", e.getMessage());
        assertEquals(0, c.size());
        assertEquals("kernel:a", c.get(key("a"), flaky));
        assertFalse(Files.exists(dir.resolve(key("a").digest() + ".tmp")));
    }

    @Test
    void threadsRacingForOneKeyCompileItOnce() throws Exception {
        KernelCache<String> c = cache();
        GatedBackend slow = new GatedBackend("a", null);
        List<Future<String>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            results.add(pool.submit(() -> c.get(key("a"), slow)));
            slow.inCompile.await();
            for (int i = 0; i < 7; i++) results.add(pool.submit(() -> c.get(key("a"), slow)));
            Thread.sleep(50); // let the others reach the cache while the first compiles
            slow.release.countDown();
            String first = results.get(0).get();
            for (Future<String> f : results) assertSame(first, f.get());
        }
        assertEquals(1, slow.compiles.get());
        assertEquals(new KernelCache.Stats(7, 0, 1), c.stats());
    }

    @Test
    void threadsWaitingOnAFailedCompileSeeItsError() throws Exception {
        KernelCache<String> c = cache();
        GatedBackend failing = new GatedBackend("a", "cannot lower op foo");
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<String> first = pool.submit(() -> c.get(key("a"), failing));
            failing.inCompile.await();
            Future<String> second = pool.submit(() -> c.get(key("a"), failing));
            Thread.sleep(50);
            failing.release.countDown();
            for (Future<String> f : List.of(first, second)) {
                var e = assertThrows(java.util.concurrent.ExecutionException.class, f::get);
                assertInstanceOf(UnsupportedOperationException.class, e.getCause());
                assertEquals("cannot lower op foo", e.getCause().getMessage());
            }
        }
    }
}
