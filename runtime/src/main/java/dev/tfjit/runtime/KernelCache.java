package dev.tfjit.runtime;

import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Compiled kernels by {@link KernelKey}: in memory for this JVM and, when a
 * {@link DiskKernelStore} is given, on disk for later ones. A backend supplies how to compile
 * a kernel into a loaded one plus its portable bytes, and how to load those bytes again; the
 * cache knows nothing of the backend's types (no LLVM here).
 *
 * <p>Each key is compiled or loaded once per cache even when threads race for it: the first
 * caller does the work, the others wait for its result. A failed compile is not cached, so
 * the next call tries again (and reports its own error).
 *
 * @param <K> the backend's loaded kernel
 */
public final class KernelCache<K> {
    /** How a backend produces and revives kernels. */
    public interface Compiler<K> {
        /** Compiles the kernel from scratch. */
        Compiled<K> compile();

        /** Revives a kernel from bytes a previous {@link #compile()} returned (maybe in another JVM). */
        K load(byte[] entry);

        /**
         * False when the caller needs what only a real compile produces (e.g. the IR and assembly
         * dumps of {@code -Dtfjit.dump}); the fresh result still replaces the disk entry.
         */
        default boolean reuseDiskEntry() { return true; }
    }

    /** A freshly compiled kernel and the bytes from which {@link Compiler#load} can revive it. */
    public record Compiled<K>(K kernel, byte[] entry) {}

    /** How often each path was taken, for tests and {@code -Dtfjit.dump}-style diagnostics. */
    public record Stats(long memoryHits, long diskHits, long compiles) {}

    private final ConcurrentMap<String, CompletableFuture<K>> memory = new ConcurrentHashMap<>();
    private final Optional<DiskKernelStore> disk;
    private final PrintStream warnings;
    private final AtomicLong memoryHits = new AtomicLong();
    private final AtomicLong diskHits = new AtomicLong();
    private final AtomicLong compiles = new AtomicLong();

    /** A cache backed by {@code disk}, or memory only when it is empty. */
    public KernelCache(Optional<DiskKernelStore> disk) { this(disk, System.err); }

    public KernelCache(Optional<DiskKernelStore> disk, PrintStream warnings) {
        this.disk = disk;
        this.warnings = warnings;
    }

    public Optional<DiskKernelStore> disk() { return disk; }

    /** The kernel for {@code key}: from memory, else from disk, else compiled (and stored on disk). */
    public K get(KernelKey key, Compiler<K> compiler) {
        String digest = key.digest();
        CompletableFuture<K> mine = new CompletableFuture<>();
        CompletableFuture<K> existing = memory.putIfAbsent(digest, mine);
        if (existing != null) {
            memoryHits.incrementAndGet();
            return await(existing);
        }
        try {
            K kernel = loadOrCompile(digest, compiler);
            mine.complete(kernel);
            return kernel;
        } catch (RuntimeException | Error e) {
            memory.remove(digest, mine); // not cached: the next caller retries
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private K loadOrCompile(String digest, Compiler<K> compiler) {
        if (disk.isPresent() && compiler.reuseDiskEntry()) {
            Optional<byte[]> entry = disk.get().read(digest);
            if (entry.isPresent()) {
                try {
                    K kernel = compiler.load(entry.get());
                    diskHits.incrementAndGet();
                    return kernel;
                } catch (RuntimeException e) { // verified bytes that still do not load: stale format, say
                    warnings.println("tfjit: warning: cannot load kernel cache entry "
                            + disk.get().entryPath(digest) + " (" + e + "); recompiling");
                }
            }
        }
        Compiled<K> compiled = compiler.compile();
        compiles.incrementAndGet();
        disk.ifPresent(d -> d.write(digest, compiled.entry()));
        return compiled.kernel();
    }

    private static <K> K await(CompletableFuture<K> f) {
        try {
            return f.join();
        } catch (CompletionException e) { // the racing compile failed: rethrow its error as it was thrown
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            throw e;
        }
    }

    /** How many keys are cached in memory. */
    public int size() { return memory.size(); }

    public Stats stats() { return new Stats(memoryHits.get(), diskHits.get(), compiles.get()); }
}
