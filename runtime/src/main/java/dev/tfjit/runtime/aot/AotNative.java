package dev.tfjit.runtime.aot;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The bridge to an artifact's native code: JNI methods whose implementations every artifact's
 * library carries (the codegen's {@code AotGlue} writes them), so loading one needs no native
 * library of tfjit's own and no foreign-function linker.
 *
 * <p>Why JNI and not the FFM linker: in a fresh JVM the linker's first downcall handle costs
 * 50 to 150 ms (it spins classes and method handles), far above the 10 ms an artifact may take
 * to load; binding a JNI method costs microseconds. A call costs about the same either way.
 *
 * <p>The JVM binds each native method below to the first loaded library that defines it, so
 * the glue in every library of one {@link AotMetadata#FORMAT} is identical and generic: it only
 * looks up symbols and calls function pointers it is given. The loader refuses any other
 * format before it loads a library.
 */
final class AotNative {
    private AotNative() {}

    /** The address of {@code symbol} (NUL-free UTF-8) in the already loaded library at {@code library}, or 0. */
    static native long lookup(byte[] library, byte[] symbol);

    /** Calls {@code int32_t f(void)} at {@code function} (the library's CPU check). */
    static native int cpuSupported(long function);

    /** Copies the NUL-terminated string at {@code address} into {@code out} if it fits; returns its length. */
    static native int copyString(long address, byte[] out);

    /**
     * Calls the entry point {@code int32_t entry(void **args, void **results, void *scratch)}
     * with {@code pointers[0..args)} as its arguments and the rest as its results; returns its
     * status word, or {@link Integer#MIN_VALUE} when the glue could not allocate.
     */
    static native int call(long entry, long[] pointers, int args, long scratch);

    /** Libraries loaded into this JVM, by absolute path, with their CRC-32. */
    private static final Map<String, String> LOADED = new HashMap<>();

    /**
     * Loads the library at {@code absolutePath} (a JVM never unloads it). A path already loaded
     * with other contents is refused: the JVM would keep running the old code.
     */
    static synchronized void load(String absolutePath, String crc32) {
        String loaded = LOADED.get(absolutePath);
        if (loaded != null) {
            if (loaded.equals(crc32)) return;
            throw new AotArtifactError("a different library was already loaded from " + absolutePath
                    + " in this JVM, which cannot unload it: load the new artifact from another directory");
        }
        try {
            System.load(absolutePath);
        } catch (UnsatisfiedLinkError e) {
            throw new AotArtifactError("cannot load " + absolutePath + ": " + e.getMessage());
        }
        LOADED.put(absolutePath, crc32);
    }

    /** {@link #lookup} with Java strings; 0 when the library has no such symbol. */
    static long symbol(String absolutePath, String symbol) {
        return lookup(absolutePath.getBytes(StandardCharsets.UTF_8), symbol.getBytes(StandardCharsets.UTF_8));
    }

    /** The NUL-terminated string at {@code address}. */
    static String string(long address) {
        byte[] out = new byte[4096];
        int n = copyString(address, out);
        if (n > out.length) {
            out = new byte[n];
            copyString(address, out);
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
