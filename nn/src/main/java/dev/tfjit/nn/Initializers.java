package dev.tfjit.nn;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.tracer.Tf;

/**
 * Keras's built-in initializers. The variance-scaling ones follow Keras 3: fans come from the
 * last two dims (times the receptive field for conv kernels), and the normal variants draw from
 * a truncated normal whose stddev is divided by 0.8796..., the stddev of a unit normal truncated
 * at two standard deviations, so the drawn values end up with the intended variance.
 * Unseeded initializers draw from TF's random ops (so {@code Tf.random.setSeed} makes a program
 * repeatable); seeded ones give the same values on every call, as Keras promises.
 */
public final class Initializers {
    private static final double TRUNCATED_NORMAL_STDDEV = .87962566103423978;

    private Initializers() {}

    public static Initializer zeros() { return (shape, dtype) -> Tf.zeros(shape, dtype); }

    public static Initializer ones() { return (shape, dtype) -> Tf.ones(shape, dtype); }

    public static Initializer constant(double value) { return (shape, dtype) -> Tf.fill(shape, Tf.constant(value, dtype)); }

    public static Initializer randomNormal(double mean, double stddev, Integer seed) {
        return (shape, dtype) -> seed != null ? SeededValues.normal(shape, mean, stddev, false, dtype, seed)
                : Tf.random.normal(shape, mean, stddev, dtype, null);
    }

    public static Initializer randomUniform(double minval, double maxval, Integer seed) {
        return (shape, dtype) -> seed != null ? SeededValues.uniform(shape, minval, maxval, dtype, seed)
                : Tf.random.uniform(shape, minval, maxval, dtype, null);
    }

    public static Initializer glorotUniform(Integer seed) { return varianceScaling(1.0, Fan.AVG, false, seed); }

    public static Initializer glorotNormal(Integer seed) { return varianceScaling(1.0, Fan.AVG, true, seed); }

    public static Initializer heUniform(Integer seed) { return varianceScaling(2.0, Fan.IN, false, seed); }

    public static Initializer heNormal(Integer seed) { return varianceScaling(2.0, Fan.IN, true, seed); }

    public static Initializer lecunNormal(Integer seed) { return varianceScaling(1.0, Fan.IN, true, seed); }

    public static Initializer lecunUniform(Integer seed) { return varianceScaling(1.0, Fan.IN, false, seed); }

    /** Which fan the variance is scaled by. */
    public enum Fan { IN, OUT, AVG }

    /** {@code keras.initializers.VarianceScaling}: variance {@code scale / fan}. */
    public static Initializer varianceScaling(double scale, Fan mode, boolean truncatedNormal, Integer seed) {
        return (shape, dtype) -> {
            double[] fans = fans(shape);
            double n = switch (mode) { case IN -> fans[0]; case OUT -> fans[1]; case AVG -> (fans[0] + fans[1]) / 2; };
            double variance = scale / Math.max(1.0, n);
            if (truncatedNormal) {
                double stddev = Math.sqrt(variance) / TRUNCATED_NORMAL_STDDEV;
                return seed != null ? SeededValues.normal(shape, 0.0, stddev, true, dtype, seed)
                        : Tf.random.truncatedNormal(shape, 0.0, stddev, dtype, null);
            }
            double limit = Math.sqrt(3 * variance);
            return seed != null ? SeededValues.uniform(shape, -limit, limit, dtype, seed) : Tf.random.uniform(shape, -limit, limit, dtype, null);
        };
    }

    /** {@code {fan_in, fan_out}} as Keras computes them. */
    static double[] fans(int[] shape) {
        if (shape.length == 0) return new double[] {1, 1};
        if (shape.length == 1) return new double[] {shape[0], shape[0]};
        double receptive = 1;
        for (int i = 0; i < shape.length - 2; i++) receptive *= shape[i];
        return new double[] {shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive};
    }

    /** The initializer with this Keras name, unseeded. */
    public static Initializer get(String name) {
        return switch (name) {
            case "zeros" -> zeros();
            case "ones" -> ones();
            case "glorot_uniform" -> glorotUniform(null);
            case "glorot_normal" -> glorotNormal(null);
            case "he_uniform" -> heUniform(null);
            case "he_normal" -> heNormal(null);
            case "lecun_uniform" -> lecunUniform(null);
            case "lecun_normal" -> lecunNormal(null);
            case "random_normal" -> randomNormal(0, 0.05, null);
            case "random_uniform" -> randomUniform(-0.05, 0.05, null);
            default -> throw new InvalidArgumentError("Unknown initializer: '" + name + "'");
        };
    }

}
