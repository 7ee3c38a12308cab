package dev.tfjit.ir.kernels.random;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;

/**
 * The state of stateful random ops. TensorFlow keeps a generator in each op kernel, and eager
 * mode caches kernels by op and attributes, so two calls with the same op, dtype and seeds
 * continue one stream rather than repeat it. This registry reproduces that; {@link #reset} is
 * what {@code tf.random.set_seed} does when it clears the kernel cache.
 */
public final class PhiloxStreams {
    private static final Map<String, Philox> STREAMS = new HashMap<>();
    private static final SecureRandom ENTROPY = new SecureRandom();

    private PhiloxStreams() {}

    /**
     * TF's {@code GuardedPhiloxRandom::ReserveSamples128}: the stream's generator as it is now,
     * after which the stream skips {@code blocks} 128-bit blocks. Seeds (0, 0) mean "no seed":
     * the stream starts from random seeds, as TF's do.
     */
    public static synchronized Philox reserve(String kernel, long seed, long seed2, long blocks) {
        String key = kernel + "/" + seed + "/" + seed2;
        Philox g = STREAMS.computeIfAbsent(key, k -> seed == 0 && seed2 == 0
                ? new Philox(ENTROPY.nextLong(), ENTROPY.nextLong())
                : new Philox(seed, seed2));
        Philox local = g.copy();
        g.skip(blocks);
        return local;
    }

    /** Forgets every stream, so seeded ops start over. */
    public static synchronized void reset() { STREAMS.clear(); }
}
