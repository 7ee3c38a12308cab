package dev.tfjit.ir.kernels.random;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The log, sine and cosine of {@link BoxMuller} against fdlibm's ({@code StrictMath}, within
 * 1 ulp of the exact result itself) over the arguments Box-Muller produces, and the transforms
 * against the same formulas computed with the JDK's functions.
 */
class BoxMullerTest {
    /** Distance in doubles between two finite values of the same sign. */
    private static long ulps(double a, double b) {
        if (a == b) return 0;
        long x = Double.doubleToRawLongBits(a), y = Double.doubleToRawLongBits(b);
        long ox = x < 0 ? Long.MIN_VALUE - x : x, oy = y < 0 ? Long.MIN_VALUE - y : y;
        return Math.abs(ox - oy);
    }

    @Test
    void logIsWithinOneUlpOfFdlibmOverTheUniformsItIsGiven() {
        SplittableRandom r = new SplittableRandom(1);
        long worst = 0;
        for (int i = 0; i < 2_000_000; i++) {
            // Both transforms' arguments: a float or double in [1e-7, 1), and the edges of the reduction.
            double x = switch (i % 3) {
                case 0 -> Math.max(1e-7, Philox.toDouble(r.nextInt(), r.nextInt()));
                case 1 -> Math.max(1e-7f, Philox.toFloat(r.nextInt()));
                default -> Math.scalb(Math.sqrt(2) * (1 + (r.nextDouble() - 0.5) * 1e-6), -r.nextInt(24));
            };
            worst = Math.max(worst, ulps(BoxMuller.log(x), StrictMath.log(x)));
        }
        assertTrue(worst <= 1, "log: " + worst + " ulp from StrictMath.log");
        assertEquals(0.0, BoxMuller.log(1.0));
        assertEquals(StrictMath.log(1e-7), BoxMuller.log(1e-7), Math.ulp(StrictMath.log(1e-7)));
    }

    @Test
    void sineAndCosineAreWithinOneUlpOfFdlibmOnAFullTurn() {
        SplittableRandom r = new SplittableRandom(2);
        double[] sc = new double[2];
        long worstSin = 0, worstCos = 0;
        for (int i = 0; i < 2_000_000; i++) {
            double x = i % 2 == 0 ? BoxMuller.TWO_PI * Philox.toDouble(r.nextInt(), r.nextInt())
                    : (float) (BoxMuller.TWO_PI * Philox.toFloat(r.nextInt()));
            BoxMuller.sinCos(x, sc);
            worstSin = Math.max(worstSin, ulps(sc[0], StrictMath.sin(x)));
            worstCos = Math.max(worstCos, ulps(sc[1], StrictMath.cos(x)));
        }
        assertTrue(worstSin <= 1, "sin: " + worstSin + " ulp");
        assertTrue(worstCos <= 1, "cos: " + worstCos + " ulp");
    }

    /** Next to the multiples of pi/2 the reduction must not lose the digits that are left. */
    @Test
    void theReductionKeepsPrecisionNextToMultiplesOfHalfPi() {
        double[] sc = new double[2];
        MathContext mc = new MathContext(60);
        BigDecimal halfPi = new BigDecimal("1.570796326794896619231321691639751442098584699687552910487472");
        for (int k = 1; k <= 4; k++) {
            double near = halfPi.multiply(BigDecimal.valueOf(k), mc).doubleValue();
            for (double x = Math.nextDown(Math.nextDown(near)); x <= Math.nextUp(Math.nextUp(near)); x = Math.nextUp(x)) {
                BoxMuller.sinCos(x, sc);
                double r = new BigDecimal(x).subtract(halfPi.multiply(BigDecimal.valueOf(k), mc), mc).doubleValue();
                // sin(k pi/2 + r) is +-r or +-1 + O(r^2): the small one must carry r's digits.
                double small = k % 2 == 0 ? sc[0] : sc[1];
                assertEquals(Math.abs(r), Math.abs(small), Math.ulp(r), "k=" + k + " x=" + x);
            }
        }
    }

    @Test
    void theTransformsAreTheFormulasTheyImplement() {
        SplittableRandom r = new SplittableRandom(3);
        float[] f = new float[2];
        double[] d = new double[2];
        for (int i = 0; i < 10_000; i++) {
            int a = r.nextInt(), b = r.nextInt(), c = r.nextInt(), e = r.nextInt();
            BoxMuller.toFloats(a, b, f, 0);
            float u1 = Math.max(1e-7f, Philox.toFloat(a));
            float v1 = (float) (2 * Math.PI * Philox.toFloat(b));
            float u2 = (float) Math.sqrt(-2.0f * (float) StrictMath.log(u1));
            assertEquals((float) StrictMath.sin(v1) * u2, f[0], 2 * Math.ulp(f[0]) + 1e-12f);
            assertEquals((float) StrictMath.cos(v1) * u2, f[1], 2 * Math.ulp(f[1]) + 1e-12f);
            BoxMuller.toDoubles(a, b, c, e, d);
            double du1 = Math.max(1e-7, Philox.toDouble(a, b)), dv1 = 2 * Math.PI * Philox.toDouble(c, e);
            double du2 = Math.sqrt(-2.0 * StrictMath.log(du1));
            assertEquals(StrictMath.sin(dv1) * du2, d[0], 4 * Math.ulp(d[0]));
            assertEquals(StrictMath.cos(dv1) * du2, d[1], 4 * Math.ulp(d[1]));
        }
    }

    @Test
    void aStateHandsOutDisjointRangesAndKeepsItsLayout() {
        PhiloxState s = new PhiloxState(0x1234_5678_9abc_def0L, 77);
        Philox a = s.reserve(5), b = s.reserve(3);
        assertEquals(8, s.counterLow());
        int[] wa = new int[4], wb = new int[4];
        a.skip(5);
        a.next(wa);
        b.next(wb);
        assertArrayEquals(wa, wb, "the second reservation starts where the first one ends");
        var seg = s.segment();
        assertEquals(77, seg.get(java.lang.foreign.ValueLayout.JAVA_LONG, PhiloxState.COUNTER_HIGH));
        assertEquals(0x1234_5678_9abc_def0L, seg.get(java.lang.foreign.ValueLayout.JAVA_LONG, PhiloxState.KEY));
        assertEquals(0, seg.address() % PhiloxState.BYTES);
    }

    @Test
    void concurrentReservationsNeverOverlap() throws Exception {
        PhiloxState s = new PhiloxState(1, 2);
        int threads = 4, each = 10_000;
        long[][] got = new long[threads][each];
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    int[] w = new int[4];
                    s.reserve(3).next(w); // the first block of each reservation identifies it
                    got[id][i] = ((long) w[0] << 32) | (w[1] & 0xffffffffL);
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) t.join();
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (long[] g : got) for (long v : g) assertTrue(seen.add(v), "two reservations drew the same block");
        assertEquals(3L * threads * each, s.counterLow());
    }
}
