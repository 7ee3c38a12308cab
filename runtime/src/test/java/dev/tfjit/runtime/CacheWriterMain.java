package dev.tfjit.runtime;

import java.nio.file.Path;

/**
 * A second process for {@link DiskKernelStoreTest}: writes one key's entry over and over,
 * racing the test's own writers and readers. Arguments: cache dir, digest, payload size, rounds.
 */
public final class CacheWriterMain {
    public static void main(String[] args) {
        DiskKernelStore store = new DiskKernelStore(Path.of(args[0]));
        int size = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        for (int i = 0; i < rounds; i++) store.write(args[1], DiskKernelStoreTest.payload(size, 1000 + i));
    }
}
