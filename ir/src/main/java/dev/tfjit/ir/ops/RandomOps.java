package dev.tfjit.ir.ops;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.kernels.random.RandomKernels;

/**
 * TensorFlow's stateful random ops. Attributes {@code seed} and {@code seed2} are the two
 * seeds TF's Python derives from the global and op seeds (both 0: nondeterministic); the
 * numbers are TF's own (Philox4x32-10 with TF's key, counter and float conversions).
 */
public final class RandomOps {
    private RandomOps() {}

    /** {@code random_uniform {shape, dtype, seed, seed2}}: floats in [0, 1). */
    public static final OpDef RANDOM_UNIFORM = OpDef.op("random_uniform").inputs(0)
            .type((in, a) -> new TensorType(floating("random_uniform", a), shape(a)))
            .kernel1((in, a) -> RandomKernels.uniform(a.getDType("dtype"), shape(a), seed(a), seed2(a), stream(a)))
            .effect(OpDef.Effect.RANDOM)
            .build();

    /** {@code random_uniform_int %minval, %maxval {shape, seed, seed2}}: integers in [minval, maxval). */
    public static final OpDef RANDOM_UNIFORM_INT = OpDef.op("random_uniform_int").inputs(2)
            .type((in, a) -> {
                DType t = in.get(0).dtype();
                CreationOps.requireScalar("random_uniform_int", "minval", in.get(0));
                CreationOps.requireScalar("random_uniform_int", "maxval", in.get(1));
                if ((t != DType.INT32 && t != DType.INT64) || in.get(1).dtype() != t) {
                    throw new DTypeError("random_uniform_int: minval and maxval must both be int32 or int64, got "
                            + t + " and " + in.get(1).dtype());
                }
                return new TensorType(t, shape(a));
            })
            .kernel1((in, a) -> RandomKernels.uniformInt(in.get(0).dtype(), shape(a),
                    in.get(0).getLong(0), in.get(1).getLong(0), seed(a), seed2(a), stream(a)))
            .effect(OpDef.Effect.RANDOM)
            .build();

    /** {@code random_standard_normal {shape, dtype, seed, seed2}}: mean 0, stddev 1. */
    public static final OpDef RANDOM_STANDARD_NORMAL = OpDef.op("random_standard_normal").inputs(0)
            .type((in, a) -> new TensorType(floating("random_standard_normal", a), shape(a)))
            .kernel1((in, a) -> RandomKernels.normal(a.getDType("dtype"), shape(a), seed(a), seed2(a), stream(a)))
            .effect(OpDef.Effect.RANDOM)
            .build();

    /** {@code truncated_normal {shape, dtype, seed, seed2}}: standard normal, redrawn outside (-2, 2). */
    public static final OpDef TRUNCATED_NORMAL = OpDef.op("truncated_normal").inputs(0)
            .type((in, a) -> new TensorType(floating("truncated_normal", a), shape(a)))
            .kernel1((in, a) -> RandomKernels.truncatedNormal(a.getDType("dtype"), shape(a), seed(a), seed2(a), stream(a)))
            .effect(OpDef.Effect.RANDOM)
            .build();

    /** {@code random_shuffle %x {seed, seed2}}: the rows (first dimension) in a random order. */
    public static final OpDef RANDOM_SHUFFLE = OpDef.op("random_shuffle").inputs(1)
            .type((in, a) -> in.get(0))
            .kernel1((in, a) -> RandomKernels.shuffle(in.get(0), seed(a), seed2(a), stream(a)))
            .effect(OpDef.Effect.RANDOM)
            .build();

    private static DType floating(String op, Attrs a) {
        DType t = a.getDType("dtype");
        if (!t.isFloating()) {
            throw new DTypeError("Value for attr 'dtype' of " + t + " is not in the list of allowed values for " + op
                    + ": half, bfloat16, float, double");
        }
        return t;
    }

    private static Shape shape(Attrs a) { return CreationOps.staticShape(a.getLongs("shape")); }

    private static long seed(Attrs a) { return a.getLong("seed", 0); }

    private static long seed2(Attrs a) { return a.getLong("seed2", 0); }

    /** {@code stream}: which generator a seeded op continues (0 for eager ops; tracing numbers each node). */
    private static long stream(Attrs a) { return a.getLong("stream", 0); }
}
