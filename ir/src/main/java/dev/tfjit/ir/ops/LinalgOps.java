package dev.tfjit.ir.ops;

import dev.tfjit.ir.GradientBuilder;
import dev.tfjit.ir.GradientRule;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Operand;
import dev.tfjit.ir.kernels.InTopK;
import dev.tfjit.ir.kernels.MatMul;
import dev.tfjit.ir.kernels.TopK;

import java.util.List;

/** Matrix products, and top-k (the primitive under sort and argsort) with its membership test in_top_k. */
public final class LinalgOps {
    private LinalgOps() {}

    /** {@code MatMul}/{@code BatchMatMulV2}: rank >= 2, batch dims broadcast; attrs {@code transpose_a}, {@code transpose_b}. */
    public static final OpDef MATMUL = OpDef.op("matmul").inputs(2).fusion(OpDef.FusionKind.MATMUL).expensive()
            .type((in, a) -> MatMul.type(in, a))
            .kernel1((in, a) -> MatMul.run(in.get(0), in.get(1), a))
            .gradient(LinalgOps::matmulGrad)
            .build();

    /** {@code TopKV2}: outputs values, then int32 indices; attrs {@code k}, {@code sorted}. */
    public static final OpDef TOP_K = OpDef.op("top_k").inputs(1)
            .types((in, a, r) -> TopK.types(in, a))
            .kernel((in, a, r) -> TopK.run(in.get(0), a))
            .gradient(GradientRule.of1(ArrayGradients::topK))
            .build();

    /** {@code InTopKV2(predictions, targets)}: bool per row, attr {@code k}. */
    public static final OpDef IN_TOP_K = OpDef.op("in_top_k").inputs(2)
            .type((in, a) -> InTopK.type(in, a))
            .kernel1((in, a) -> InTopK.run(in.get(0), in.get(1), a))
            .gradient(GradientRule.NONE)
            .build();

    /** TF's _MatMulGrad/_BatchMatMulV2Grad: the transposes pick the product; broadcast batch dims are summed. */
    private static List<Operand> matmulGrad(GradientBuilder g, GradientRule.Call c) {
        boolean ta = c.attrs().getBool("transpose_a", false), tb = c.attrs().getBool("transpose_b", false);
        Operand a = c.x(0), b = c.x(1), d = c.dy();
        Operand ga, gb;
        if (!ta && !tb) {
            ga = g.matmul(d, b, false, true);
            gb = g.matmul(a, d, true, false);
        } else if (!ta) {
            ga = g.matmul(d, b, false, false);
            gb = g.matmul(d, a, true, false);
        } else if (!tb) {
            ga = g.matmul(b, d, false, true);
            gb = g.matmul(a, d, false, false);
        } else {
            ga = g.matmul(b, d, true, true);
            gb = g.matmul(d, a, true, true);
        }
        return List.of(g.sumTo(ga, a), g.sumTo(gb, b));
    }
}
