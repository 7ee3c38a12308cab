package dev.tfjit.ir.ops;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.GradientRule;
import dev.tfjit.ir.Operand;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.kernels.AllowedTypes;
import dev.tfjit.ir.kernels.L2Loss;
import dev.tfjit.ir.kernels.Softmax;
import dev.tfjit.ir.kernels.SoftmaxXent;

import java.util.Arrays;
import java.util.List;

/** Softmax over the last dim, the fused softmax cross-entropy kernels, and the small primitives losses need. */
public final class NnOps {
    private NnOps() {}

    public static final OpDef SOFTMAX = OpDef.op("softmax").inputs(1).expensive()
            .type((in, a) -> Softmax.type("softmax", in))
            .kernel1((in, a) -> Softmax.run(false, in.get(0)))
            .gradient(GradientRule.of1((g, c) -> // (dy - sum(dy * y)) * y, as TF's _SoftmaxGrad
                    g.mul(g.sub(c.dy(), g.reduceSum(g.mul(c.dy(), c.y()), new int[] {-1}, true)), c.y())))
            .build();

    public static final OpDef LOG_SOFTMAX = OpDef.op("log_softmax").inputs(1).expensive()
            .type((in, a) -> Softmax.type("log_softmax", in))
            .kernel1((in, a) -> Softmax.run(true, in.get(0)))
            .gradient(GradientRule.of1((g, c) -> g.sub(c.dy(), g.mul(g.reduceSum(c.dy(), new int[] {-1}, true), g.exp(c.y())))))
            .build();

    /** {@code SoftmaxCrossEntropyWithLogits(logits, labels)} on rank 2: outputs loss [batch] and backprop. */
    public static final OpDef SOFTMAX_XENT = OpDef.op("softmax_cross_entropy_with_logits").inputs(2)
            .types((in, a, r) -> SoftmaxXent.denseTypes(in))
            .kernel((in, a, r) -> SoftmaxXent.dense(in.get(0), in.get(1)))
            .gradient((g, c) -> { // the kernel's backprop output is d loss / d logits; labels get -log_softmax
                Operand perRow = g.emit1(ArrayOps.EXPAND_DIMS, Attrs.of("axis", -1), c.dy(0));
                Operand logSoftmax = g.emit1(NnOps.LOG_SOFTMAX, Attrs.EMPTY, c.x(0));
                return List.of(g.mul(perRow, c.y(1)), g.sumTo(g.mul(perRow, g.neg(logSoftmax)), c.x(1)));
            })
            .build();

    /** {@code SparseSoftmaxCrossEntropyWithLogits(logits, labels)}: int class ids; outputs loss and backprop. */
    public static final OpDef SPARSE_SOFTMAX_XENT = OpDef.op("sparse_softmax_cross_entropy_with_logits").inputs(2)
            .types((in, a, r) -> SoftmaxXent.sparseTypes(in))
            .kernel((in, a, r) -> SoftmaxXent.sparse(in.get(0), in.get(1)))
            .gradient((g, c) -> Arrays.asList(g.mul(g.emit1(ArrayOps.EXPAND_DIMS, Attrs.of("axis", -1), c.dy(0)), c.y(1)), null))
            .build();

    /** {@code L2Loss}: {@code sum(t * t) / 2} as a scalar. */
    public static final OpDef L2_LOSS = OpDef.op("l2_loss").inputs(1).fusion(OpDef.FusionKind.REDUCTION).expensive()
            .type((in, a) -> {
                DType t = in.get(0).dtype();
                AllowedTypes.of("L2Loss", "half, bfloat16, float, double").check(t);
                return TensorType.scalar(t);
            })
            .kernel1((in, a) -> L2Loss.run(in.get(0)))
            .gradient(GradientRule.of1((g, c) -> g.mul(c.x(), c.dy())))
            .build();
}
