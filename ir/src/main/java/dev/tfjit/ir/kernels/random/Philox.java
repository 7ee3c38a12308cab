package dev.tfjit.ir.kernels.random;

/**
 * The Philox4x32-10 counter-based generator (Salmon et al., SC'11) laid out exactly as
 * TensorFlow's {@code random::PhiloxRandom}: a 128-bit counter and a 64-bit key; each call
 * returns four 32-bit words and advances the counter by one.
 */
public final class Philox {
    private static final int W32A = 0x9E3779B9;
    private static final int W32B = 0xBB67AE85;
    private static final long M4x32A = 0xD2511F53L;
    private static final long M4x32B = 0xCD9E8D57L;

    private final int[] counter = new int[4];
    private final int[] key = new int[2];

    /**
     * TF's {@code PhiloxRandom(seed_lo, seed_hi)}: the key is {@code seed}, the upper half of the
     * counter is {@code seed2}, the lower half starts at zero.
     */
    public Philox(long seed, long seed2) {
        key[0] = (int) seed;
        key[1] = (int) (seed >>> 32);
        counter[2] = (int) seed2;
        counter[3] = (int) (seed2 >>> 32);
    }

    /**
     * A generator at counter {@code counterHigh:counterLow} (128 bits) with key {@code key}: the
     * position a {@link PhiloxState} hands out.
     */
    public static Philox at(long counterLow, long counterHigh, long key) {
        return new Philox(new int[] {(int) counterLow, (int) (counterLow >>> 32), (int) counterHigh, (int) (counterHigh >>> 32)},
                new int[] {(int) key, (int) (key >>> 32)});
    }

    /** A generator at an explicit counter and key (for known-answer tests). */
    public Philox(int[] counter, int[] key) {
        System.arraycopy(counter, 0, this.counter, 0, 4);
        System.arraycopy(key, 0, this.key, 0, 2);
    }

    public Philox copy() { return new Philox(counter, key); }

    /** The next four words, written into {@code out}; advances the counter by one. */
    public void next(int[] out) {
        int c0 = counter[0], c1 = counter[1], c2 = counter[2], c3 = counter[3];
        int k0 = key[0], k1 = key[1];
        for (int round = 0; round < 10; round++) {
            long p0 = M4x32A * (c0 & 0xffffffffL);
            long p1 = M4x32B * (c2 & 0xffffffffL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n1 = (int) p1;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            int n3 = (int) p0;
            c0 = n0;
            c1 = n1;
            c2 = n2;
            c3 = n3;
            k0 += W32A;
            k1 += W32B;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
        skip(1);
    }

    /** Advances the 128-bit counter by {@code count} blocks (TF's {@code Skip}). */
    public void skip(long count) {
        long lo = (counter[0] & 0xffffffffL) + (count & 0xffffffffL);
        counter[0] = (int) lo;
        long hi = (counter[1] & 0xffffffffL) + (count >>> 32) + (lo >>> 32);
        counter[1] = (int) hi;
        if ((hi >>> 32) != 0 && ++counter[2] == 0) ++counter[3];
    }

    /** TF's {@code Uint32ToFloat}: 23 random mantissa bits, a float in [0, 1). */
    public static float toFloat(int x) {
        return Float.intBitsToFloat(0x3f800000 | (x & 0x7fffff)) - 1.0f;
    }

    /** TF's {@code Uint64ToDouble}: 52 random mantissa bits (20 from {@code hi}), a double in [0, 1). */
    public static double toDouble(int lo, int hi) {
        long man = ((long) (hi & 0xfffff) << 32) | (lo & 0xffffffffL);
        return Double.longBitsToDouble(0x3ff0000000000000L | man) - 1.0;
    }
}
