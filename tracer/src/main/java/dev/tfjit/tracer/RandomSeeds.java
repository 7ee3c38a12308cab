package dev.tfjit.tracer;

import dev.tfjit.ir.kernels.random.PhiloxStreams;

/**
 * TensorFlow 2's seed rules ({@code random_seed.get_seed} in eager mode): the pair of kernel
 * seeds comes from the global seed and the op seed. With only a global seed, each op draws a
 * fresh op seed from a Python RNG seeded by the global seed, so two calls differ but rerunning
 * the program repeats them; with neither, the kernels seed themselves at random.
 */
final class RandomSeeds {
    private static final long DEFAULT_GRAPH_SEED = 87654321L;
    private static final long MAXINT32 = (1L << 31) - 1;

    private static Long globalSeed;
    private static PythonRandom opSeeds;

    private RandomSeeds() {}

    /** {@code tf.random.set_seed}: also restarts every seeded stream, as TF clears its kernel cache. */
    static synchronized void setGlobal(Long seed) {
        globalSeed = seed;
        opSeeds = seed == null ? null : new PythonRandom(seed);
        PhiloxStreams.reset();
    }

    /** The kernel attributes {@code {seed, seed2}} for an op with the given op seed (null: none). */
    static synchronized long[] forOp(Integer opSeed) {
        long seed, seed2;
        if (globalSeed != null) {
            long op = opSeed != null ? opSeed : opSeeds.randint31();
            seed = truncate(globalSeed);
            seed2 = truncate(op);
        } else if (opSeed != null) {
            seed = DEFAULT_GRAPH_SEED;
            seed2 = truncate(opSeed);
        } else {
            return new long[] {0, 0}; // nondeterministic
        }
        // (0, 0) means "no seed" to the kernels; TF substitutes this pair to stay deterministic.
        if (seed == 0 && seed2 == 0) return new long[] {0, MAXINT32};
        return new long[] {seed, seed2};
    }

    /** Python's {@code seed % (2**31 - 1)}, which is never negative. */
    private static long truncate(long seed) { return Math.floorMod(seed, MAXINT32); }
}
