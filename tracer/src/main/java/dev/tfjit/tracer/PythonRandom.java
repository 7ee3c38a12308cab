package dev.tfjit.tracer;

/**
 * CPython's {@code random.Random} (MT19937 seeded by {@code init_by_array}), as far as TF's
 * eager seeding uses it: with only a global seed set, TF draws each op seed from
 * {@code random.Random(global_seed).randint(0, 2**31 - 1)}, so matching it bit for bit is what
 * makes seeded programs repeat TensorFlow's numbers.
 */
final class PythonRandom {
    private static final int N = 624;
    private static final int M = 397;

    private final int[] mt = new int[N];
    private int index = N;

    /** {@code random.Random(seed)} for an int seed (CPython uses |seed| as little-endian 32-bit words). */
    PythonRandom(long seed) {
        long n = Math.abs(seed); // Long.MIN_VALUE cannot occur: TF seeds come from Java ints or longs < 2^63
        int[] key = (n >>> 32) != 0 ? new int[] {(int) n, (int) (n >>> 32)} : new int[] {(int) n};
        initByArray(key);
    }

    private void initGenrand(int s) {
        mt[0] = s;
        for (int i = 1; i < N; i++) mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        index = N;
    }

    private void initByArray(int[] key) {
        initGenrand(19650218);
        int i = 1, j = 0;
        for (int k = Math.max(N, key.length); k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
            i++;
            j++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if (j >= key.length) j = 0;
        }
        for (int k = N - 1; k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x80000000;
    }

    /** {@code genrand_uint32}, the next tempered 32-bit word. */
    int nextWord() {
        if (index >= N) {
            for (int k = 0; k < N; k++) {
                int y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
                mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
            }
            index = 0;
        }
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    /** {@code randint(0, 2**31 - 1)}: 32-bit draws rejected until below 2^31 ({@code _randbelow}). */
    long randint31() {
        long r;
        do {
            r = nextWord() & 0xffffffffL;
        } while (r >= (1L << 31));
        return r;
    }
}
