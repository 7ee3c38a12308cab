package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.OpCatalog;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.kernels.random.Philox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class RandomTest {
    @AfterEach
    void noGlobalSeedLeaksIntoOtherTests() { Tf.random.clearSeed(); }

    // ---- the generator ----

    /** Random123's published known-answer vectors for Philox4x32-10. */
    @Test
    void philoxMatchesTheRandom123KnownAnswers() {
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
                block(new int[] {0, 0, 0, 0}, new int[] {0, 0}));
        assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
                block(new int[] {-1, -1, -1, -1}, new int[] {-1, -1}));
        assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1},
                block(new int[] {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, new int[] {0xa4093822, 0x299f31d0}));
    }

    private static int[] block(int[] counter, int[] key) {
        int[] out = new int[4];
        new Philox(counter, key).next(out);
        return out;
    }

    @Test
    void skipCarriesAcrossTheCounterWords() {
        Philox a = new Philox(new int[] {-1, 0, 0, 0}, new int[] {1, 2});
        a.skip(1);
        assertArrayEquals(block(new int[] {0, 1, 0, 0}, new int[] {1, 2}), next(a));
        Philox b = new Philox(new int[] {0, 0, 0, 0}, new int[] {1, 2});
        b.skip(3L << 32);
        assertArrayEquals(block(new int[] {0, 3, 0, 0}, new int[] {1, 2}), next(b));
    }

    private static int[] next(Philox g) {
        int[] out = new int[4];
        g.next(out);
        return out;
    }

    @Test
    void floatConversionsKeepTheMantissaBitsAndStayBelowOne() {
        assertEquals(0f, Philox.toFloat(0));
        assertEquals(0.5f, Philox.toFloat(0x400000));
        assertEquals(1f - 0x1p-23f, Philox.toFloat(-1));
        assertEquals(1.0 - 0x1p-52, Philox.toDouble(-1, -1));
        assertEquals(0.5, Philox.toDouble(0, 0x80000));
    }

    /** Values printed by CPython 3: {@code random.Random(s).randint(0, 2**31 - 1)}, three times. */
    @Test
    void opSeedsFollowPythonsMersenneTwister() {
        assertDraws(1234, 1892932127, 501869158, 32175636);
        assertDraws(0, 1654615998, 1806341205, 173879092);
        assertDraws(5, 1097127993, 1539898300, 124576495);
        assertDraws((1L << 40) + 5, 1153647273, 117802120, 200118061);
        assertDraws(-7, 1390851128, 647892279, 1695753998);
    }

    private static void assertDraws(long seed, long... expected) {
        PythonRandom r = new PythonRandom(seed);
        long[] got = new long[expected.length];
        for (int i = 0; i < got.length; i++) got[i] = r.randint31();
        assertArrayEquals(expected, got, "seed " + seed);
    }

    // ---- TensorFlow's own numbers (from TF's doctests) ----

    /** tf.random.normal's doctest: set_seed(5); normal([2,2], 0, 1, tf.float32, seed=1). */
    @Test
    void normalWithBothSeedsRepeatsTensorFlowsDoctest() {
        Tf.random.setSeed(5);
        Tensor x = Tf.random.normal(new int[] {2, 2}, 0, 1, DType.FLOAT32, 1);
        assertEquals(Shape.of(2, 2), x.shape());
        float[] tf = {-1.3768897f, -0.01258316f, -0.169515f, 1.0824056f};
        float[] got = x.toFloatArray();
        // NumPy printed 8 decimals, so agreement to half a unit in the 8th decimal is all the doctest can show.
        for (int i = 0; i < 4; i++) assertEquals(tf[i], got[i], 5e-9 + Math.ulp(got[i]), Arrays.toString(got));
    }

    /** tf.random.uniform's doctest: set_seed(5); uniform([], maxval=3, dtype=int32, seed=10) twice gives 2 then 0. */
    @Test
    void seededOpsContinueTheirStreamAndSetSeedRestartsIt() {
        for (int run = 0; run < 2; run++) {
            Tf.random.setSeed(5);
            assertEquals(2, Tf.random.uniform(new int[0], 0, 3, DType.INT32, 10).intValue());
            assertEquals(0, Tf.random.uniform(new int[0], 0, 3, DType.INT32, 10).intValue());
        }
    }

    // ---- seed semantics ----

    @Test
    void aGlobalSeedAloneMakesCallsDifferButProgramsRepeat() {
        Tf.random.setSeed(1234);
        float[] a1 = Tf.random.uniform(3).toFloatArray(), a2 = Tf.random.uniform(3).toFloatArray();
        assertFalse(Arrays.equals(a1, a2));
        Tf.random.setSeed(1234);
        assertArrayEquals(a1, Tf.random.uniform(3).toFloatArray());
        assertArrayEquals(a2, Tf.random.uniform(3).toFloatArray());
    }

    @Test
    void anOpSeedAloneUsesTfsDefaultGlobalSeed() {
        Tf.random.clearSeed();
        float[] a = Tf.random.normal(new int[] {3}, 0, 1, DType.FLOAT32, 7).toFloatArray();
        Tf.random.setSeed(87654321);
        assertArrayEquals(a, Tf.random.normal(new int[] {3}, 0, 1, DType.FLOAT32, 7).toFloatArray());
    }

    @Test
    void withoutSeedsEveryCallDiffers() {
        assertFalse(Arrays.equals(Tf.random.uniform(8).toFloatArray(), Tf.random.uniform(8).toFloatArray()));
    }

    // ---- distributions ----

    @Test
    void uniformFloatsStayInTheirRangeWithTheRightMoments() {
        Tf.random.setSeed(1);
        float[] u = Tf.random.uniform(new int[] {100, 100}, -2.0, 6.0).toFloatArray();
        double mean = 0;
        for (float v : u) {
            assertTrue(v >= -2 && v < 6, "value " + v);
            mean += v / u.length;
        }
        assertEquals(2.0, mean, 0.1);
        double[] d = Tf.random.uniform(new int[] {1001}, 0, 1, DType.FLOAT64).toDoubleArray();
        for (double v : d) assertTrue(v >= 0 && v < 1);
        assertEquals(DType.FLOAT64, Tf.random.uniform(new int[] {3}, 0, 1, DType.FLOAT64).dtype());
    }

    @Test
    void uniformIntegersCoverTheirRange() {
        Tf.random.setSeed(3);
        int[] v = Tf.random.uniform(new int[] {4, 35, 8}, 0, 100, DType.INT32).toIntArray();
        int[] counts = new int[100];
        for (int x : v) counts[x]++;
        for (int c : counts) assertTrue(c > 0);
        long[] w = Tf.random.uniform(new int[] {100}, -5L, 5L, DType.INT64).toLongArray();
        for (long x : w) assertTrue(x >= -5 && x < 5);
        var e = assertThrows(InvalidArgumentError.class, () -> Tf.random.uniform(new int[] {2}, 3, 3, DType.INT32));
        assertTrue(e.getMessage().contains("Need minval < maxval: 3 >= 3"), e.getMessage());
        assertThrows(TfException.class, () -> Tf.random.uniform(new int[] {2}, 0, 2.5, DType.INT32));
    }

    @Test
    void normalHasTheRequestedMeanAndStddev() {
        Tf.random.setSeed(11);
        float[] x = Tf.random.normal(new int[] {20000}, 1.0, 2.0).toFloatArray();
        double mean = 0, sq = 0;
        for (float v : x) mean += v / x.length;
        for (float v : x) sq += (v - mean) * (v - mean) / x.length;
        assertEquals(1.0, mean, 0.05);
        assertEquals(2.0, Math.sqrt(sq), 0.05);
        double[] d = Tf.random.normal(new int[] {5}, 0, 1, DType.FLOAT64, null).toDoubleArray();
        assertEquals(5, d.length);
    }

    @Test
    void truncatedNormalNeverLeavesTwoStddevs() {
        Tf.random.setSeed(2);
        float[] x = Tf.random.truncatedNormal(new int[] {784, 26}, 0, 0.1).toFloatArray();
        for (float v : x) assertTrue(Math.abs(v) < 0.2f + 1e-7f, "value " + v);
        double[] d = Tf.random.truncatedNormal(new int[] {333}, 3, 1, DType.FLOAT64, null).toDoubleArray();
        for (double v : d) assertTrue(v > 1 && v < 5, "value " + v);
    }

    @Test
    void truncatedNormalDoesNotDependOnHowTheOutputIsCut() {
        // Each group of four restarts at its own stream offset, so a longer tensor starts with a shorter one's values.
        Tf.random.setSeed(9);
        float[] small = Tf.random.truncatedNormal(new int[] {6}, 0, 1, DType.FLOAT32, 4).toFloatArray();
        Tf.random.setSeed(9);
        float[] big = Tf.random.truncatedNormal(new int[] {40}, 0, 1, DType.FLOAT32, 4).toFloatArray();
        assertArrayEquals(small, Arrays.copyOf(big, 6));
    }

    @Test
    void randomOpsRejectNonFloatDtypesAndAreMarkedRandom() {
        assertThrows(DTypeError.class, () -> Tf.random.normal(new int[] {2}, 0, 1, DType.INT32, null));
        assertThrows(DTypeError.class, () -> Tf.random.uniform(new int[] {2}, 0, 1, DType.BOOL));
        for (String op : new String[] {"random_uniform", "random_uniform_int", "random_standard_normal", "truncated_normal", "random_shuffle"}) {
            assertEquals(OpDef.Effect.RANDOM, OpCatalog.get(op).effect(), op);
        }
    }

    @Test
    void emptyAndScalarShapes() {
        assertEquals(0, Tf.random.normal(0, 3).toFloatArray().length);
        assertEquals(Shape.SCALAR, Tf.random.uniform().shape());
        assertThrows(InvalidArgumentError.class, () -> Tf.random.uniform(-1, 2));
    }

    // ---- shuffle ----

    @Test
    void shufflePermutesRowsAndKeepsThemWhole() {
        Tf.random.setSeed(4);
        Tensor x = Tf.constant(new int[][] {{0, 0}, {1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}, {6, 6}, {7, 7}});
        int[] s = Tf.random.shuffle(x).toIntArray();
        int[] firsts = new int[8];
        for (int r = 0; r < 8; r++) {
            assertEquals(s[2 * r], s[2 * r + 1]);
            firsts[r] = s[2 * r];
        }
        int[] sorted = firsts.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, sorted);
        assertEquals(7, Tf.random.shuffle(Tf.constant(7)).intValue());
        assertArrayEquals(new String[] {"a"}, Tf.random.shuffle(Tf.constant(new String[] {"a"})).toStringArray());
    }
}
