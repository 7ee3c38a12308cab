package dev.tfjit.tracer;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.ops.RandomOps;

/**
 * {@code tf.random}, reached as {@code Tf.random.normal(...)}. Each function is composed the
 * way TF's Python composes it (a raw random op, then scaling and shifting with ordinary ops),
 * with TF's seed rules ({@link RandomSeeds}), so seeded results repeat TensorFlow's.
 */
public final class TfRandom {
    TfRandom() {}

    /** {@code tf.random.set_seed}: fixes the global seed and restarts every seeded stream. */
    public void setSeed(long seed) { RandomSeeds.setGlobal(seed); }

    /** {@code tf.random.set_seed(None)}: back to nondeterministic op seeds. */
    public void clearSeed() { RandomSeeds.setGlobal(null); }

    // ---- uniform ----

    /** float32 values in [0, 1). */
    public Tensor uniform(int... shape) { return uniform(shape, 0, 1, DType.FLOAT32, null); }

    /** float32 values in [minval, maxval). */
    public Tensor uniform(int[] shape, Number minval, Number maxval) { return uniform(shape, minval, maxval, DType.FLOAT32, null); }

    public Tensor uniform(int[] shape, Number minval, Number maxval, DType dtype) { return uniform(shape, minval, maxval, dtype, null); }

    /**
     * {@code tf.random.uniform}: for integer dtypes values in [minval, maxval) from
     * {@code RandomUniformInt}; for floats {@code RandomUniform} scaled as TF's Python does:
     * untouched for the integer defaults 0 and 1, {@code r * maxval} when minval is the integer
     * 0, else {@code r * (maxval - minval) + minval}.
     */
    public Tensor uniform(int[] shape, Number minval, Number maxval, DType dtype, Integer seed) {
        return uniform(ShapeArg.of(shape), minval, maxval, dtype, seed);
    }

    /** float32 values in [0, 1) of the shape {@code shape}'s value (an int32/int64 vector, such as {@code Tf.shape(x)}). */
    public Tensor uniform(Tensor shape) { return uniform(shape, 0, 1, DType.FLOAT32, null); }

    /** {@code tf.random.uniform(tf.shape(x), ...)}: the shape as a tensor, whose dims may be known only at run time. */
    public Tensor uniform(Tensor shape, Number minval, Number maxval, DType dtype, Integer seed) {
        return uniform(ShapeArg.of(shape), minval, maxval, dtype, seed);
    }

    private Tensor uniform(ShapeArg shape, Number minval, Number maxval, DType dtype, Integer seed) {
        if (maxval == null) {
            if (dtype.isInteger()) throw new TfException("Must specify maxval for integer dtype " + dtype);
            maxval = 1;
        }
        long[] seeds = RandomSeeds.forOp(seed);
        Attrs attrs = shape.attrs(Attrs.of("seed", seeds[0], "seed2", seeds[1]));
        if (dtype.isInteger()) {
            return Tf.apply1(RandomOps.RANDOM_UNIFORM_INT, attrs, shape.inputs(Tf.scalar(minval, dtype), Tf.scalar(maxval, dtype)));
        }
        boolean minvalIsZero = isInteger(minval) && minval.longValue() == 0;
        boolean maxvalIsOne = isInteger(maxval) && maxval.longValue() == 1;
        Tensor r = Tf.apply1(RandomOps.RANDOM_UNIFORM, attrs.with("dtype", dtype), shape.inputs());
        if (minvalIsZero) return maxvalIsOne ? r : Tf.multiply(r, Tf.scalar(maxval, dtype));
        Tensor lo = Tf.scalar(minval, dtype), hi = Tf.scalar(maxval, dtype);
        return Tf.add(Tf.multiply(r, Tf.subtract(hi, lo)), lo);
    }

    // ---- normal ----

    /** Standard normal float32 values. */
    public Tensor normal(int... shape) { return normal(shape, 0.0, 1.0, DType.FLOAT32, null); }

    public Tensor normal(int[] shape, double mean, double stddev) { return normal(shape, mean, stddev, DType.FLOAT32, null); }

    /** {@code tf.random.normal}: {@code RandomStandardNormal * stddev + mean}. */
    public Tensor normal(int[] shape, double mean, double stddev, DType dtype, Integer seed) {
        return scaled(RandomOps.RANDOM_STANDARD_NORMAL, ShapeArg.of(shape), mean, stddev, dtype, seed);
    }

    /** Standard normal float32 values of the shape {@code shape}'s value. */
    public Tensor normal(Tensor shape) { return normal(shape, 0.0, 1.0, DType.FLOAT32, null); }

    /** {@code tf.random.normal} with the shape as a tensor. */
    public Tensor normal(Tensor shape, double mean, double stddev, DType dtype, Integer seed) {
        return scaled(RandomOps.RANDOM_STANDARD_NORMAL, ShapeArg.of(shape), mean, stddev, dtype, seed);
    }

    // ---- truncated normal ----

    /** Standard normal float32 values, redrawn until inside two standard deviations. */
    public Tensor truncatedNormal(int... shape) { return truncatedNormal(shape, 0.0, 1.0, DType.FLOAT32, null); }

    public Tensor truncatedNormal(int[] shape, double mean, double stddev) {
        return truncatedNormal(shape, mean, stddev, DType.FLOAT32, null);
    }

    /** {@code tf.random.truncated_normal}: {@code TruncatedNormal * stddev + mean}. */
    public Tensor truncatedNormal(int[] shape, double mean, double stddev, DType dtype, Integer seed) {
        return scaled(RandomOps.TRUNCATED_NORMAL, ShapeArg.of(shape), mean, stddev, dtype, seed);
    }

    /** Truncated standard normal float32 values of the shape {@code shape}'s value. */
    public Tensor truncatedNormal(Tensor shape) { return truncatedNormal(shape, 0.0, 1.0, DType.FLOAT32, null); }

    /** {@code tf.random.truncated_normal} with the shape as a tensor. */
    public Tensor truncatedNormal(Tensor shape, double mean, double stddev, DType dtype, Integer seed) {
        return scaled(RandomOps.TRUNCATED_NORMAL, ShapeArg.of(shape), mean, stddev, dtype, seed);
    }

    // ---- shuffle ----

    /** {@code tf.random.shuffle}: the rows (first dimension) of {@code x} in random order. */
    public Tensor shuffle(Tensor x) { return shuffle(x, null); }

    public Tensor shuffle(Tensor x, Integer seed) {
        long[] seeds = RandomSeeds.forOp(seed);
        return Tf.apply1(RandomOps.RANDOM_SHUFFLE, Attrs.of("seed", seeds[0], "seed2", seeds[1]), x);
    }

    private Tensor scaled(OpDef op, ShapeArg shape, double mean, double stddev, DType dtype, Integer seed) {
        Tensor meanT = Tf.scalar(mean, dtype), stddevT = Tf.scalar(stddev, dtype); // converted first, as TF does
        long[] seeds = RandomSeeds.forOp(seed);
        Tensor r = Tf.apply1(op, shape.attrs(Attrs.of("dtype", dtype, "seed", seeds[0], "seed2", seeds[1])), shape.inputs());
        return Tf.add(Tf.multiply(r, stddevT), meanT);
    }

    /**
     * A random op's shape: static dims (the {@code shape} attribute) or a tensor (the last input,
     * with what is known of its value as the attribute, {@link ShapeValues}).
     */
    private record ShapeArg(int[] dims, Tensor tensor) {
        static ShapeArg of(int[] dims) { return new ShapeArg(dims.clone(), null); }

        static ShapeArg of(Tensor shape) { return new ShapeArg(null, java.util.Objects.requireNonNull(shape, "shape")); }

        Attrs attrs(Attrs a) { return tensor == null ? a.with("shape", dims) : ShapeValues.withKnown(a, tensor); }

        Tensor[] inputs(Tensor... others) {
            if (tensor == null) return others;
            Tensor[] all = java.util.Arrays.copyOf(others, others.length + 1);
            all[others.length] = tensor;
            return all;
        }
    }

    private static boolean isInteger(Number n) {
        return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte;
    }
}
