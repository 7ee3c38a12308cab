package dev.tfjit.nn;

import dev.tfjit.ir.DType;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

import java.util.SplittableRandom;

/**
 * Initial values for seeded initializers. Keras promises that a seeded initializer gives the
 * same values on every call (it draws them statelessly); TF's seeded random ops continue a
 * stream instead, so seeded initial values are drawn here from a Java generator seeded afresh
 * each call. They become a constant, which is all an initial value is.
 */
final class SeededValues {
    private SeededValues() {}

    static Tensor uniform(int[] shape, double lo, double hi, DType dtype, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[count(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (float) (lo + (hi - lo) * r.nextDouble());
        return Tf.cast(Tf.constant(v, shape), dtype);
    }

    /** Normal values, redrawn while more than two standard deviations out when {@code truncated}. */
    static Tensor normal(int[] shape, double mean, double stddev, boolean truncated, DType dtype, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] v = new float[count(shape)];
        for (int i = 0; i < v.length; i++) {
            double z;
            do z = r.nextGaussian(); while (truncated && Math.abs(z) > 2);
            v[i] = (float) (mean + stddev * z);
        }
        return Tf.cast(Tf.constant(v, shape), dtype);
    }

    private static int count(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        if (n > Integer.MAX_VALUE) throw new dev.tfjit.ir.InvalidArgumentError("a weight of shape " + dev.tfjit.ir.Shape.of(shape) + " is too large");
        return (int) n;
    }
}
