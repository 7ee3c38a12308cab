package dev.tfjit.ir.ops;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.GradientRule;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.kernels.ArgReduce;
import dev.tfjit.ir.kernels.Reduce;
import dev.tfjit.ir.kernels.Scan;
import dev.tfjit.ir.kernels.SumToShape;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Reductions ({@code axis} list, absent = all dims; {@code keepdims}), arg-reductions
 * ({@code axis}, {@code output_type}) and scans ({@code axis}, {@code exclusive}, {@code reverse}).
 */
public final class ReductionOps {
    private ReductionOps() {}

    /** What each {@code reduce_*} op computes; filled by {@link #reduce} (declared first, so it exists when the ops below are built). */
    private static final Map<OpDef, Reduce.Kind> KINDS = new IdentityHashMap<>();

    private static OpDef reduce(String name, Reduce.Kind kind, GradientRule grad) {
        OpDef op = OpDef.op(name).inputs(1).fusion(OpDef.FusionKind.REDUCTION).expensive()
                .type((in, a) -> Reduce.type(name, kind, in, a))
                .kernel1((in, a) -> Reduce.run(kind, in.get(0), a))
                .gradient(grad)
                .build();
        KINDS.put(op, kind);
        return op;
    }

    /** What {@code op} reduces with, or null when it is not a {@code reduce_*} op (code generators dispatch on this). */
    public static Reduce.Kind reduceKind(OpDef op) { return KINDS.get(op); }

    public static final OpDef REDUCE_SUM = reduce("reduce_sum", Reduce.Kind.SUM,
            GradientRule.of1((g, c) -> g.unreduce(c.dy(), c.x(), Reduce.axes(c.attrs()), c.attrs().getBool("keepdims", false))));

    public static final OpDef REDUCE_PROD = reduce("reduce_prod", Reduce.Kind.PROD, GradientRule.of1(ReductionGradients::prod));

    public static final OpDef REDUCE_MAX = reduce("reduce_max", Reduce.Kind.MAX, GradientRule.of1(ReductionGradients::maxOrMin));

    public static final OpDef REDUCE_MIN = reduce("reduce_min", Reduce.Kind.MIN, GradientRule.of1(ReductionGradients::maxOrMin));

    /** Sum divided by the count; integer means truncate toward zero. */
    public static final OpDef REDUCE_MEAN = reduce("reduce_mean", Reduce.Kind.MEAN, GradientRule.of1((g, c) -> g.div(
            g.unreduce(c.dy(), c.x(), Reduce.axes(c.attrs()), c.attrs().getBool("keepdims", false)), g.reducedCount(c.x(), c.y()))));

    public static final OpDef REDUCE_ANY = reduce("reduce_any", Reduce.Kind.ANY, GradientRule.NONE);

    public static final OpDef REDUCE_ALL = reduce("reduce_all", Reduce.Kind.ALL, GradientRule.NONE);

    /**
     * {@code sum_to_shape {shape}}(g, target): g summed over the dims it was broadcast along, to
     * the int vector target (the gradient of broadcasting when an input's dims are only known at
     * run time); the attr is target's static shape, unknown dims included.
     */
    public static final OpDef SUM_TO_SHAPE = OpDef.op("sum_to_shape").inputs(2).expensive()
            .type((in, a) -> {
                DType t = in.get(1).dtype();
                if (t != DType.INT32 && t != DType.INT64) throw new DTypeError("sum_to_shape: the target shape must be int32 or int64, got " + t);
                return new TensorType(in.get(0).dtype(), a.getShape("shape"));
            })
            .kernel1((in, a) -> SumToShape.run(in.get(0), in.get(1).toLongArray()))
            .gradient((g, c) -> Arrays.asList(g.broadcastLike(c.dy(), c.x(0)), null))
            .build();

    public static final OpDef ARGMAX = OpDef.op("argmax").inputs(1).fusion(OpDef.FusionKind.REDUCTION).expensive()
            .type((in, a) -> ArgReduce.type("argmax", in, a))
            .kernel1((in, a) -> ArgReduce.run(true, in.get(0), a))
            .gradient(GradientRule.NONE)
            .build();

    public static final OpDef ARGMIN = OpDef.op("argmin").inputs(1).fusion(OpDef.FusionKind.REDUCTION).expensive()
            .type((in, a) -> ArgReduce.type("argmin", in, a))
            .kernel1((in, a) -> ArgReduce.run(false, in.get(0), a))
            .gradient(GradientRule.NONE)
            .build();

    public static final OpDef CUMSUM = OpDef.op("cumsum").inputs(1)
            .type((in, a) -> Scan.type("cumsum", in, a))
            .kernel1((in, a) -> Scan.run(false, in.get(0), a))
            .gradient(GradientRule.of1((g, c) -> g.emit1(ReductionOps.CUMSUM, ReductionGradients.reversed(c.attrs()), c.dy())))
            .build();

    public static final OpDef CUMPROD = OpDef.op("cumprod").inputs(1)
            .type((in, a) -> Scan.type("cumprod", in, a))
            .kernel1((in, a) -> Scan.run(true, in.get(0), a))
            .gradient(GradientRule.of1((g, c) -> // as TF: exact except where x is 0
                    g.div(g.emit1(ReductionOps.CUMSUM, ReductionGradients.reversed(c.attrs()), g.mul(c.y(), c.dy())), c.x())))
            .build();
}
