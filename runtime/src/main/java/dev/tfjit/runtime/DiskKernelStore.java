package dev.tfjit.runtime;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Optional;

/**
 * Compiled kernels as files, one per key digest, so another JVM can reuse them. The store is
 * best effort: a file that cannot be read or written is a warning, never a failed compile.
 *
 * <p>An entry is {@code MAGIC, digest (32 bytes), payload length (8), SHA-256 of the payload
 * (32), payload}. It is written to a temp file in the same directory and renamed over the
 * final name with {@code ATOMIC_MOVE}, so readers (in any process) see either no entry or a
 * whole one, and two writers of the same key simply replace one complete entry by another.
 * The hash catches what atomicity cannot: a truncated disk, a bit flip, an edited file.
 */
public final class DiskKernelStore {
    /** {@code -Dtfjit.cache.dir=DIR} (or {@code off}); tests point it at a temp dir. */
    public static final String DIR_PROPERTY = "tfjit.cache.dir";
    /** The environment variable TensorFlow users would expect, like {@code TF_XLA_FLAGS}. */
    public static final String DIR_ENV = "TFJIT_CACHE_DIR";

    private static final byte[] MAGIC = "TFJITKC1".getBytes(StandardCharsets.US_ASCII);
    private static final int HASH_BYTES = 32;
    private static final int HEADER_BYTES = MAGIC.length + HASH_BYTES + Long.BYTES + HASH_BYTES;
    private static final String SUFFIX = ".kernel";

    private final Path dir;
    private final PrintStream warnings;

    public DiskKernelStore(Path dir) { this(dir, System.err); }

    /** With {@code warnings} where corrupt or unwritable entries are reported (stderr by default). */
    public DiskKernelStore(Path dir, PrintStream warnings) {
        this.dir = dir;
        this.warnings = warnings;
    }

    /**
     * The configured store: {@value #DIR_PROPERTY}, else {@value #DIR_ENV}, else
     * {@code ~/.cache/tfjit}; empty when set to {@code off} (or no home directory is known).
     */
    public static Optional<DiskKernelStore> configured() {
        String d = System.getProperty(DIR_PROPERTY);
        if (d == null || d.isBlank()) d = System.getenv(DIR_ENV);
        if (d == null || d.isBlank()) {
            String home = System.getProperty("user.home");
            if (home == null || home.isBlank()) return Optional.empty();
            return Optional.of(new DiskKernelStore(Path.of(home, ".cache", "tfjit")));
        }
        if (d.equalsIgnoreCase("off")) return Optional.empty();
        return Optional.of(new DiskKernelStore(Path.of(d)));
    }

    public Path dir() { return dir; }

    /** Where the entry for {@code digest} lives. */
    public Path entryPath(String digest) { return dir.resolve(digest + SUFFIX); }

    /** The payload stored for {@code digest}; empty if there is none or it is corrupt (warned). */
    public Optional<byte[]> read(String digest) {
        Path p = entryPath(digest);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            warn("cannot read kernel cache entry " + p + " (" + e + "); recompiling");
            return Optional.empty();
        }
        String problem = problem(bytes, digest);
        if (problem != null) {
            warn("corrupt kernel cache entry " + p + " (" + problem + "); recompiling");
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOfRange(bytes, HEADER_BYTES, bytes.length));
    }

    /** Stores {@code payload} for {@code digest}, atomically replacing any entry there. */
    public void write(String digest, byte[] payload) {
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, digest + ".", ".tmp");
            Files.write(tmp, encode(digest, payload));
            move(tmp, entryPath(digest));
            tmp = null;
        } catch (IOException | RuntimeException e) {
            warn("cannot write kernel cache entry " + entryPath(digest) + " (" + e + ")");
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) { // the leftover temp file is harmless: never read as an entry
                }
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // Same directory, so this only happens on exotic file systems; a plain replace is the best left.
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static byte[] encode(String digest, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + payload.length);
        b.put(MAGIC).put(digestBytes(digest)).putLong(payload.length).put(KernelKey.sha256(payload)).put(payload);
        return b.array();
    }

    /** Why {@code bytes} is not a valid entry for {@code digest}, or null if it is one. */
    private static String problem(byte[] bytes, String digest) {
        if (bytes.length < HEADER_BYTES) return "only " + bytes.length + " bytes";
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte[] magic = new byte[MAGIC.length];
        b.get(magic);
        if (!Arrays.equals(magic, MAGIC)) return "not a tfjit kernel entry";
        byte[] key = new byte[HASH_BYTES];
        b.get(key);
        if (!Arrays.equals(key, digestBytes(digest))) return "entry of another key";
        long length = b.getLong();
        if (length != bytes.length - HEADER_BYTES) {
            return "payload of " + (bytes.length - HEADER_BYTES) + " bytes, header says " + length;
        }
        byte[] hash = new byte[HASH_BYTES];
        b.get(hash);
        byte[] actual = KernelKey.sha256(Arrays.copyOfRange(bytes, HEADER_BYTES, bytes.length));
        return Arrays.equals(hash, actual) ? null : "hash mismatch";
    }

    private static byte[] digestBytes(String digest) {
        byte[] d = java.util.HexFormat.of().parseHex(digest);
        if (d.length != HASH_BYTES) throw new IllegalArgumentException("not a SHA-256 digest: " + digest);
        return d;
    }

    private void warn(String message) { warnings.println("tfjit: warning: " + message); }
}
