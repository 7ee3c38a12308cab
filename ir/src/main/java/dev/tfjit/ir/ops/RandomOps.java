package dev.tfjit.ir.ops;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.kernels.random.RandomKernels;

import java.util.Arrays;
import java.util.List;

/**
 * TensorFlow's stateful random ops. Attributes {@code seed} and {@code seed2} are the two
 * seeds TF's Python derives from the global and op seeds (both 0: nondeterministic); the
 * numbers are TF's own (Philox4x32-10 with TF's key, counter and float conversions).
 *
 * <p>The output shape is either a static attribute ({@code random_uniform {shape=[2,3]}}) or,
 * as in TF, an int32/int64 vector operand ({@code random_uniform %s {shape=[-1,784]}}, the
 * last input) whose value is read when the op runs. With the operand, the {@code shape}
 * attribute is optional and says what is known of that value while tracing ({@code -1}: a dim
 * known only at run time, as TF's {@code tensor_as_shape}), so {@code shape(x)} of an
 * {@code f32[?,784]} gives an {@code f32[?,784]} result; without it only the rank is known.
 */
public final class RandomOps {
    private RandomOps() {}

    /** {@code random_uniform {shape, dtype, seed, seed2}}: floats in [0, 1). */
    public static final OpDef RANDOM_UNIFORM = OpDef.op("random_uniform").inputs(0, 1)
            .type((in, a) -> new TensorType(floating("random_uniform", a), staticShape("random_uniform", in, 0, a)))
            .kernel1((in, a) -> RandomKernels.uniform(a.getDType("dtype"), runShape("random_uniform", in, 0, a), seed(a), seed2(a), stream(a)))
            .effect(OpDef.Effect.RANDOM)
            .build();

    /** {@code random_uniform_int %minval, %maxval[, %shape] {shape, seed, seed2}}: integers in [minval, maxval). */
    public static final OpDef RANDOM_UNIFORM_INT = OpDef.op("random_uniform_int").inputs(2, 3)
            .type((in, a) -> {
                DType t = in.get(0).dtype();
                CreationOps.requireScalar("random_uniform_int", "minval", in.get(0));
                CreationOps.requireScalar("random_uniform_int", "maxval", in.get(1));
                if ((t != DType.INT32 && t != DType.INT64) || in.get(1).dtype() != t) {
                    throw new DTypeError("random_uniform_int: minval and maxval must both be int32 or int64, got "
                            + t + " and " + in.get(1).dtype());
                }
                return new TensorType(t, staticShape("random_uniform_int", in, 2, a));
            })
            .kernel1((in, a) -> RandomKernels.uniformInt(in.get(0).dtype(), runShape("random_uniform_int", in, 2, a),
                    in.get(0).getLong(0), in.get(1).getLong(0), seed(a), seed2(a), stream(a)))
            .effect(OpDef.Effect.RANDOM)
            .build();

    /** {@code random_standard_normal {shape, dtype, seed, seed2}}: mean 0, stddev 1. */
    public static final OpDef RANDOM_STANDARD_NORMAL = OpDef.op("random_standard_normal").inputs(0, 1)
            .type((in, a) -> new TensorType(floating("random_standard_normal", a), staticShape("random_standard_normal", in, 0, a)))
            .kernel1((in, a) -> RandomKernels.normal(a.getDType("dtype"), runShape("random_standard_normal", in, 0, a), seed(a), seed2(a), stream(a)))
            .effect(OpDef.Effect.RANDOM)
            .build();

    /** {@code truncated_normal {shape, dtype, seed, seed2}}: standard normal, redrawn outside (-2, 2). */
    public static final OpDef TRUNCATED_NORMAL = OpDef.op("truncated_normal").inputs(0, 1)
            .type((in, a) -> new TensorType(floating("truncated_normal", a), staticShape("truncated_normal", in, 0, a)))
            .kernel1((in, a) -> RandomKernels.truncatedNormal(a.getDType("dtype"), runShape("truncated_normal", in, 0, a), seed(a), seed2(a), stream(a)))
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

    /**
     * Where an op's shape operand is when it has one ({@code index} of its inputs), or -1 for
     * ops that take no shape; compiled backends read the operand's compile-time value there.
     */
    public static int shapeOperand(OpDef op, int numInputs) {
        int at = op == RANDOM_UNIFORM_INT ? 2 : op == RANDOM_UNIFORM || op == RANDOM_STANDARD_NORMAL || op == TRUNCATED_NORMAL ? 0 : -1;
        return at >= 0 && numInputs == at + 1 ? at : -1;
    }

    /**
     * The output shape an op with shape operand value {@code dims} has: TF's kernel check
     * ({@code Dimension -1 must be >= 0}), and the value must agree with the static knowledge.
     */
    public static Shape shapeFromValue(String op, long[] dims, Attrs a) {
        Shape s = CreationOps.staticShape(dims);
        if (a.has("shape")) {
            long[] known = a.getLongs("shape");
            boolean agrees = known.length == dims.length;
            for (int i = 0; agrees && i < dims.length; i++) agrees = known[i] < 0 || known[i] == dims[i];
            if (!agrees) {
                throw new InvalidArgumentError(op + ": shape " + s.irString() + " does not match its static shape "
                        + Shape.of(known).irString());
            }
        }
        return s;
    }

    /** The static output shape: the attribute, or what is known of the shape operand {@code in[at]}. */
    private static Shape staticShape(String op, List<TensorType> in, int at, Attrs a) {
        if (in.size() <= at) return CreationOps.staticShape(a.getLongs("shape"));
        TensorType t = in.get(at);
        if (t.dtype() != DType.INT32 && t.dtype() != DType.INT64) {
            throw new DTypeError("Value for attr 'T' of " + t.dtype() + " is not in the list of allowed values for " + op
                    + ": int32, int64");
        }
        Shape s = t.shape();
        if (s.hasRank() && s.rank() != 1) throw new ShapeError("Shape must be rank 1 but is rank " + s.rank());
        if (!a.has("shape")) return s.hasRank() && s.dim(0) != Shape.UNKNOWN ? Shape.unknownDims(s.dim(0)) : Shape.unknownRank();
        long[] known = a.getLongs("shape");
        if (s.hasRank() && s.dim(0) != Shape.UNKNOWN && s.dim(0) != known.length) {
            throw new ShapeError("the shape operand has " + s.dim(0) + " elements but the static shape " + Arrays.toString(known)
                    + " has " + known.length);
        }
        for (long d : known) {
            // -1 is TF's unknown dim; a known negative dim fails as TF's kernel fails.
            if (d < -1) throw new InvalidArgumentError("Dimension " + d + " must be >= 0");
            if (d > Integer.MAX_VALUE) throw new InvalidArgumentError("Dimension " + d + " is too large");
        }
        return Shape.of(known);
    }

    /** The shape an execution fills: the attribute, or the shape operand's value. */
    private static Shape runShape(String op, List<Buffer> in, int at, Attrs a) {
        if (in.size() <= at) return CreationOps.staticShape(a.getLongs("shape"));
        return shapeFromValue(op, in.get(at).toLongArray(), a);
    }

    private static long seed(Attrs a) { return a.getLong("seed", 0); }

    private static long seed2(Attrs a) { return a.getLong("seed2", 0); }

    /** {@code stream}: which generator a seeded op continues (0 for eager ops; tracing numbers each node). */
    private static long stream(Attrs a) { return a.getLong("stream", 0); }
}
