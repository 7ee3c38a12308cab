package dev.tfjit.ir.kernels.random;

import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The state of stateful random ops. TensorFlow keeps a generator in each op kernel, and eager
 * mode caches kernels by op and attributes, so two calls with the same op, dtype and seeds
 * continue one stream rather than repeat it. This registry reproduces that; {@link #reset} is
 * what {@code tf.random.set_seed} does when it clears the kernel cache. The interpreter and
 * compiled code both draw from the states kept here ({@link PhiloxState}).
 */
public final class PhiloxStreams {
    private static final ConcurrentMap<String, PhiloxState> STREAMS = new ConcurrentHashMap<>();
    private static final SecureRandom ENTROPY = new SecureRandom();

    private PhiloxStreams() {}

    /**
     * The state of stream {@code kernel} with these seeds, created on first use. Seeds (0, 0)
     * mean "no seed": the stream starts from random seeds, as TF's do.
     */
    public static PhiloxState state(String kernel, long seed, long seed2) {
        String key = kernel + "/" + seed + "/" + seed2;
        PhiloxState s = STREAMS.get(key);
        return s != null ? s : STREAMS.computeIfAbsent(key, k -> fresh(seed, seed2));
    }

    /** A new stream for these seeds (random ones for (0, 0)); AOT artifacts keep their own. */
    public static PhiloxState fresh(long seed, long seed2) {
        if (seed == 0 && seed2 == 0) {
            synchronized (ENTROPY) {
                return new PhiloxState(ENTROPY.nextLong(), ENTROPY.nextLong());
            }
        }
        return new PhiloxState(seed, seed2);
    }

    /**
     * TF's {@code GuardedPhiloxRandom::ReserveSamples128}: the stream's generator as it is now,
     * after which the stream skips {@code blocks} 128-bit blocks.
     */
    public static Philox reserve(String kernel, long seed, long seed2, long blocks) {
        return state(kernel, seed, seed2).reserve(blocks);
    }

    /** Forgets every stream, so seeded ops start over. */
    public static void reset() { STREAMS.clear(); }
}
