package dev.tfjit.ir.ops;

import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.kernels.ArgReduce;
import dev.tfjit.ir.kernels.Reduce;
import dev.tfjit.ir.kernels.Scan;

/**
 * Reductions ({@code axis} list, absent = all dims; {@code keepdims}), arg-reductions
 * ({@code axis}, {@code output_type}) and scans ({@code axis}, {@code exclusive}, {@code reverse}).
 */
public final class ReductionOps {
    private ReductionOps() {}

    private static OpDef reduce(String name, Reduce.Kind kind) {
        return OpDef.op(name).inputs(1).fusion(OpDef.FusionKind.REDUCTION).expensive()
                .type((in, a) -> Reduce.type(name, kind, in, a))
                .kernel1((in, a) -> Reduce.run(kind, in.get(0), a))
                .build();
    }

    public static final OpDef REDUCE_SUM = reduce("reduce_sum", Reduce.Kind.SUM);

    public static final OpDef REDUCE_PROD = reduce("reduce_prod", Reduce.Kind.PROD);

    public static final OpDef REDUCE_MAX = reduce("reduce_max", Reduce.Kind.MAX);

    public static final OpDef REDUCE_MIN = reduce("reduce_min", Reduce.Kind.MIN);

    /** Sum divided by the count; integer means truncate toward zero. */
    public static final OpDef REDUCE_MEAN = reduce("reduce_mean", Reduce.Kind.MEAN);

    public static final OpDef REDUCE_ANY = reduce("reduce_any", Reduce.Kind.ANY);

    public static final OpDef REDUCE_ALL = reduce("reduce_all", Reduce.Kind.ALL);

    public static final OpDef ARGMAX = OpDef.op("argmax").inputs(1).fusion(OpDef.FusionKind.REDUCTION).expensive()
            .type((in, a) -> ArgReduce.type("argmax", in, a))
            .kernel1((in, a) -> ArgReduce.run(true, in.get(0), a))
            .build();

    public static final OpDef ARGMIN = OpDef.op("argmin").inputs(1).fusion(OpDef.FusionKind.REDUCTION).expensive()
            .type((in, a) -> ArgReduce.type("argmin", in, a))
            .kernel1((in, a) -> ArgReduce.run(false, in.get(0), a))
            .build();

    public static final OpDef CUMSUM = OpDef.op("cumsum").inputs(1)
            .type((in, a) -> Scan.type("cumsum", in, a))
            .kernel1((in, a) -> Scan.run(false, in.get(0), a))
            .build();

    public static final OpDef CUMPROD = OpDef.op("cumprod").inputs(1)
            .type((in, a) -> Scan.type("cumprod", in, a))
            .kernel1((in, a) -> Scan.run(true, in.get(0), a))
            .build();
}
