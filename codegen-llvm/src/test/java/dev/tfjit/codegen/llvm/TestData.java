package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;

import java.util.Random;

/** Deterministic inputs that include the values elementwise code gets wrong: signed zeros, subnormals, infinities, NaN, extremes. */
final class TestData {
    private TestData() {}

    private static final double[] SPECIAL_FLOATS = {0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 2.5, 3.5, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.NaN, 1e-40, -1e-40, Float.MIN_NORMAL, 1e-310, 3e38, -3e38, 88.7, -87.5, 100, -100, 7, 1e-5};

    private static final long[] SPECIAL_INTS = {0, 1, -1, 2, -2, 7, -7, 127, -128, 255, 32767, -32768,
            Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE};

    /** {@code n} elements: the special values first (as many as fit), then random ones. */
    static Buffer mixed(DType t, Shape shape, long seed) {
        Buffer b = Buffer.allocate(t, shape);
        Random r = new Random(seed);
        long n = b.size();
        for (long i = 0; i < n; i++) {
            switch (t.kind()) {
                case FLOAT -> {
                    double v = i < SPECIAL_FLOATS.length && seed % 2 == 0 ? SPECIAL_FLOATS[(int) i]
                            : r.nextInt(4) == 0 ? r.nextGaussian() * 1e3 : r.nextGaussian() * 4;
                    b.setDouble(i, v);
                }
                case INT -> b.setLong(i, i < SPECIAL_INTS.length && seed % 2 == 0 ? SPECIAL_INTS[(int) i] : r.nextInt(201) - 100);
                case BOOL -> b.setLong(i, r.nextBoolean() ? 1 : 0);
                case STRING -> throw new IllegalArgumentException();
            }
        }
        return b;
    }

    /** Random values in [-range, range] (non-zero integers when {@code nonZero}). */
    static Buffer uniform(DType t, Shape shape, long seed, double range, boolean nonZero) {
        Buffer b = Buffer.allocate(t, shape);
        Random r = new Random(seed);
        for (long i = 0; i < b.size(); i++) {
            switch (t.kind()) {
                case FLOAT -> b.setDouble(i, (r.nextDouble() * 2 - 1) * range);
                case INT -> {
                    long v = Math.round((r.nextDouble() * 2 - 1) * range);
                    if (nonZero && v == 0) v = 1;
                    if (t == DType.UINT8) v = Math.abs(v) % 256;
                    b.setLong(i, v);
                }
                case BOOL -> b.setLong(i, r.nextBoolean() ? 1 : 0);
                case STRING -> throw new IllegalArgumentException();
            }
        }
        return b;
    }
}
