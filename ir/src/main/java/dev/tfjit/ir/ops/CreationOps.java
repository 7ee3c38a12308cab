package dev.tfjit.ir.ops;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.GradientRule;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.kernels.Fill;
import dev.tfjit.ir.kernels.Sequences;

import java.util.EnumSet;
import java.util.Set;

/** Ops that make tensors from attributes: constants, fills, ranges, random numbers. */
public final class CreationOps {
    private CreationOps() {}

    /** {@code constant {value=dense<...>}}: the attribute's tensor. */
    public static final OpDef CONSTANT = OpDef.op("constant")
            .inputs(0).fusion(OpDef.FusionKind.ELEMENTWISE)
            .type((in, a) -> a.getTensor("value").type())
            .kernel1((in, a) -> a.getTensor("value"))
            .build();

    /**
     * {@code fill %value {shape=[2,3]}}: the scalar input repeated over a static shape. TF's
     * {@code Fill} takes the shape as a tensor; an attribute keeps traced shapes fully known.
     */
    public static final OpDef FILL = OpDef.op("fill").inputs(1).fusion(OpDef.FusionKind.BROADCAST_LIKE)
            .type((in, a) -> {
                requireScalar("fill", "value", in.get(0));
                return new TensorType(in.get(0).dtype(), staticShape(a.getLongs("shape")));
            })
            .kernel1((in, a) -> Fill.of(in.get(0), staticShape(a.getLongs("shape"))))
            .gradient(GradientRule.of1((g, c) -> g.reduceSum(c.dy(), null, false)))
            .build();

    /** TF's {@code ZerosLike}: zeros (empty strings) of the input's dtype and shape, known or not. */
    public static final OpDef ZEROS_LIKE = OpDef.op("zeros_like").inputs(1).fusion(OpDef.FusionKind.ELEMENTWISE)
            .type((in, a) -> in.get(0))
            .kernel1((in, a) -> Fill.zeros(in.get(0).dtype(), in.get(0).shape()))
            .gradient(GradientRule.NONE)
            .build();

    /** TF's {@code OnesLike}: ones of the input's dtype and shape; strings have no one. */
    public static final OpDef ONES_LIKE = OpDef.op("ones_like").inputs(1).fusion(OpDef.FusionKind.ELEMENTWISE)
            .type((in, a) -> {
                if (in.get(0).dtype() == DType.STRING) {
                    throw new DTypeError("Value for attr 'T' of string is not in the list of allowed values for OnesLike");
                }
                return in.get(0);
            })
            .kernel1((in, a) -> Fill.ones(in.get(0).dtype(), in.get(0).shape()))
            .gradient(GradientRule.NONE)
            .build();

    /** {@code eye {num_rows, num_columns, batch_shape, dtype}}: a batch of identity matrices. */
    public static final OpDef EYE = OpDef.op("eye").inputs(0)
            .type((in, a) -> new TensorType(numericOrBool("eye", a.getDType("dtype")), eyeShape(a)))
            .kernel1((in, a) -> Sequences.eye(a.getDType("dtype"), eyeShape(a)))
            .build();

    private static final Set<DType> RANGE_TYPES = EnumSet.of(DType.INT32, DType.INT64, DType.FLOAT32, DType.FLOAT64,
            DType.FLOAT16, DType.BFLOAT16);

    /**
     * TF's {@code Range(start, limit, delta)} over scalars of one dtype. Its length depends on
     * the values, so the static shape is {@code [?]} (constant folding can make it known).
     */
    public static final OpDef RANGE = OpDef.op("range").inputs(3)
            .type((in, a) -> {
                DType t = in.get(0).dtype();
                String[] names = {"start", "limit", "delta"};
                for (int i = 0; i < 3; i++) {
                    requireScalar("range", names[i], in.get(i));
                    if (in.get(i).dtype() != t) {
                        throw new DTypeError("range: start, limit and delta must have one dtype, got "
                                + in.get(0).dtype() + ", " + in.get(1).dtype() + " and " + in.get(2).dtype());
                    }
                }
                if (!RANGE_TYPES.contains(t)) {
                    throw new DTypeError("Value for attr 'Tidx' of " + t + " is not in the list of allowed values for Range");
                }
                return new TensorType(t, Shape.of(Shape.UNKNOWN));
            })
            .kernel1((in, a) -> Sequences.range(in.get(0), in.get(1), in.get(2)))
            .gradient(GradientRule.NONE)
            .build();

    /** {@code linspace %start, %stop {num}}: {@code num} evenly spaced floats, both ends included. */
    public static final OpDef LINSPACE = OpDef.op("linspace").inputs(2)
            .type((in, a) -> {
                requireScalar("linspace", "start", in.get(0));
                requireScalar("linspace", "stop", in.get(1));
                DType t = in.get(0).dtype();
                if (!t.isFloating() || in.get(1).dtype() != t) {
                    throw new DTypeError("linspace: start and stop must be floats of one dtype, got " + t + " and " + in.get(1).dtype());
                }
                long num = a.getLong("num");
                if (num < 0) throw new InvalidArgumentError("Requires num >= 0: " + num);
                return new TensorType(t, Shape.of(Math.toIntExact(num)));
            })
            .kernel1((in, a) -> Sequences.linspace(in.get(0), in.get(1), a.getInt("num")))
            .gradient(GradientRule.NONE)
            .build();

    // ---- shared checks ----

    static void requireScalar(String op, String what, TensorType t) {
        if (t.shape().hasRank() && t.shape().rank() != 0) {
            throw new ShapeError(op + ": " + what + " must be a scalar, not shape " + t.shape().brief());
        }
    }

    /** A shape given as a list of dims; TF rejects negative dims with this wording. */
    static Shape staticShape(long[] dims) {
        for (long d : dims) {
            if (d < 0) throw new InvalidArgumentError("Dimension " + d + " must be >= 0");
            if (d > Integer.MAX_VALUE) throw new InvalidArgumentError("Dimension " + d + " is too large");
        }
        return Shape.of(dims);
    }

    private static Shape eyeShape(dev.tfjit.ir.Attrs a) {
        long rows = a.getLong("num_rows");
        long cols = a.getLong("num_columns", rows);
        long[] batch = a.has("batch_shape") ? a.getLongs("batch_shape") : new long[0];
        long[] dims = new long[batch.length + 2];
        System.arraycopy(batch, 0, dims, 0, batch.length);
        dims[batch.length] = rows;
        dims[batch.length + 1] = cols;
        return staticShape(dims);
    }

    private static DType numericOrBool(String op, DType t) {
        if (t == DType.STRING) throw new DTypeError(op + ": " + t + " is not a numeric dtype");
        return t;
    }

}
