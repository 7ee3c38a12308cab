package dev.tfjit.ir;

/**
 * Rounds allocation sizes to a small set of block sizes so freed blocks can serve later
 * requests: powers of two from 64 bytes to 1 MiB, then four steps per power of two (at most
 * 25% slack, and the untouched tail of a large block costs no physical pages).
 */
final class SizeClasses {
    static final long MIN = 64;
    private static final int SMALL_LOG = 20;          // powers of two up to 1 MiB
    private static final int SMALL_CLASSES = SMALL_LOG - 6 + 1;
    private static final int MAX_LOG = 40;            // nothing above 1 TiB is pooled
    static final int COUNT = SMALL_CLASSES + (MAX_LOG - SMALL_LOG) * 4;

    private SizeClasses() {}

    /** The class of a request of {@code bytes} (> 0), or -1 when too large to pool. */
    static int of(long bytes) {
        if (bytes <= MIN) return 0;
        int log = 64 - Long.numberOfLeadingZeros(bytes - 1); // 2^log >= bytes > 2^(log-1)
        if (log <= SMALL_LOG) return log - 6;
        if (log > MAX_LOG) return -1;
        long quarter = 1L << (log - 3);
        long step = (bytes - (1L << (log - 1)) + quarter - 1) / quarter; // 1..4
        return SMALL_CLASSES + (log - SMALL_LOG - 1) * 4 + (int) step - 1;
    }

    /** The block size of a class. */
    static long capacity(int sizeClass) {
        if (sizeClass < SMALL_CLASSES) return MIN << sizeClass;
        int k = sizeClass - SMALL_CLASSES;
        int log = SMALL_LOG + 1 + k / 4;
        return (1L << (log - 1)) + (long) (k % 4 + 1) * (1L << (log - 3));
    }
}
