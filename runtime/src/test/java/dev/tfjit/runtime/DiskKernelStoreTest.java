package dev.tfjit.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Disk entries are written atomically and verified when read; bad ones are warnings, never errors. */
class DiskKernelStoreTest {
    static final String KEY = KernelKey.sha256Hex("some kernel".getBytes(StandardCharsets.UTF_8));
    static final String OTHER = KernelKey.sha256Hex("another kernel".getBytes(StandardCharsets.UTF_8));

    @TempDir Path dir;
    final ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    DiskKernelStore store() { return new DiskKernelStore(dir, new PrintStream(warnings, true)); }
    String warned() { return warnings.toString(StandardCharsets.UTF_8); }

    @Test
    void whatIsWrittenIsReadBackAndNoTempFileStays() throws Exception {
        byte[] p = payload(1000, 7);
        store().write(KEY, p);
        assertArrayEquals(p, store().read(KEY).orElseThrow());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(KEY + ".kernel"), files.map(f -> f.getFileName().toString()).toList());
        }
        assertEquals("", warned());
    }

    @Test
    void emptyPayloadsAndMissingEntries() {
        store().write(KEY, new byte[0]);
        assertArrayEquals(new byte[0], store().read(KEY).orElseThrow());
        assertEquals(Optional.empty(), store().read(OTHER));
        assertEquals("", warned(), "a missing entry is an ordinary miss");
    }

    @Test
    void aFlippedBitIsDetectedAndWarned() throws Exception {
        store().write(KEY, payload(500, 1));
        Path p = store().entryPath(KEY);
        byte[] bytes = Files.readAllBytes(p);
        bytes[bytes.length - 10] ^= 0x04;
        Files.write(p, bytes);
        assertEquals(Optional.empty(), store().read(KEY));
        assertTrue(warned().contains("corrupt kernel cache entry") && warned().contains("hash mismatch"), warned());
    }

    @Test
    void truncatedForeignAndMisplacedEntriesAreRejected() throws Exception {
        store().write(KEY, payload(500, 1));
        Path p = store().entryPath(KEY);
        byte[] whole = Files.readAllBytes(p);
        Files.write(p, java.util.Arrays.copyOf(whole, whole.length - 1));
        assertEquals(Optional.empty(), store().read(KEY));
        assertTrue(warned().contains("header says"), warned());
        Files.write(p, java.util.Arrays.copyOf(whole, 10));
        assertEquals(Optional.empty(), store().read(KEY));
        Files.writeString(p, "not a kernel at all, but long enough to have a full header of bytes in it..........");
        assertEquals(Optional.empty(), store().read(KEY));
        assertTrue(warned().contains("not a tfjit kernel entry"), warned());
        Files.write(store().entryPath(OTHER), whole); // a valid entry under the wrong name
        assertEquals(Optional.empty(), store().read(OTHER));
        assertTrue(warned().contains("entry of another key"), warned());
    }

    @Test
    void anUnwritableDirectoryIsAWarningNotAnError() throws Exception {
        Path file = dir.resolve("plain-file");
        Files.writeString(file, "x");
        DiskKernelStore s = new DiskKernelStore(file.resolve("sub"), new PrintStream(warnings, true));
        s.write(KEY, payload(10, 1));
        assertTrue(warned().contains("cannot write kernel cache entry"), warned());
        assertEquals(Optional.empty(), s.read(KEY));
    }

    @Test
    void theDirectoryComesFromThePropertyAndCanBeTurnedOff() {
        String old = System.getProperty(DiskKernelStore.DIR_PROPERTY);
        try {
            System.setProperty(DiskKernelStore.DIR_PROPERTY, dir.toString());
            assertEquals(dir, DiskKernelStore.configured().orElseThrow().dir());
            System.setProperty(DiskKernelStore.DIR_PROPERTY, "off");
            assertEquals(Optional.empty(), DiskKernelStore.configured());
        } finally {
            if (old == null) System.clearProperty(DiskKernelStore.DIR_PROPERTY);
            else System.setProperty(DiskKernelStore.DIR_PROPERTY, old);
        }
    }

    /**
     * Threads of this JVM and a second JVM all write the same key while readers read it: every
     * read sees a whole, valid entry (one of the payloads written), never a torn one.
     */
    @Test
    void concurrentWritersInTwoProcessesNeverCorruptAnEntry() throws Exception {
        int size = 64 * 1024;
        store().write(KEY, payload(size, 0));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CacheWriterMain.class.getName(), dir.toString(), KEY, Integer.toString(size), "300")
                .redirectErrorStream(true).start();
        String childOut;
        AtomicBoolean done = new AtomicBoolean();
        List<Future<Integer>> work = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int w = 0; w < 2; w++) {
                int base = w * 10_000;
                work.add(pool.submit(() -> {
                    for (int i = 1; i <= 200; i++) store().write(KEY, payload(size, base + i));
                    return 0;
                }));
            }
            for (int r = 0; r < 2; r++) {
                work.add(pool.submit(() -> {
                    int reads = 0;
                    while (!done.get() || reads < 50) {
                        byte[] got = store().read(KEY).orElseThrow(() -> new AssertionError("entry missing or corrupt: " + warned()));
                        assertTrue(isPayload(got, size), "a torn entry passed the hash check");
                        reads++;
                    }
                    return reads;
                }));
            }
            assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the writer process hangs");
            work.get(0).get();
            work.get(1).get();
            done.set(true);
            for (Future<Integer> f : work) f.get();
            childOut = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            child.destroy();
        }
        assertEquals(0, child.exitValue(), childOut);
        assertEquals("", warned() + childOut);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "temp files were left behind");
        }
    }

    /** A self-checking payload: a seed, then bytes derived from it. */
    static byte[] payload(int size, int seed) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(size, 4)).putInt(seed);
        for (int i = 4; i < b.capacity(); i++) b.put((byte) (seed * 31 + i));
        return b.array();
    }

    static boolean isPayload(byte[] b, int size) {
        return b.length == size && java.util.Arrays.equals(b, payload(size, ByteBuffer.wrap(b).getInt()));
    }

}
