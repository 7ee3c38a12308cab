package dev.tfjit.ir.ops;

import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.kernels.InTopK;
import dev.tfjit.ir.kernels.MatMul;
import dev.tfjit.ir.kernels.TopK;

/** Matrix products, and top-k (the primitive under sort and argsort) with its membership test in_top_k. */
public final class LinalgOps {
    private LinalgOps() {}

    /** {@code MatMul}/{@code BatchMatMulV2}: rank >= 2, batch dims broadcast; attrs {@code transpose_a}, {@code transpose_b}. */
    public static final OpDef MATMUL = OpDef.op("matmul").inputs(2).fusion(OpDef.FusionKind.MATMUL).expensive()
            .type((in, a) -> MatMul.type(in, a))
            .kernel1((in, a) -> MatMul.run(in.get(0), in.get(1), a))
            .build();

    /** {@code TopKV2}: outputs values, then int32 indices; attrs {@code k}, {@code sorted}. */
    public static final OpDef TOP_K = OpDef.op("top_k").inputs(1)
            .types((in, a, r) -> TopK.types(in, a))
            .kernel((in, a, r) -> TopK.run(in.get(0), a))
            .build();

    /** {@code InTopKV2(predictions, targets)}: bool per row, attr {@code k}. */
    public static final OpDef IN_TOP_K = OpDef.op("in_top_k").inputs(2)
            .type((in, a) -> InTopK.type(in, a))
            .kernel1((in, a) -> InTopK.run(in.get(0), in.get(1), a))
            .build();
}
