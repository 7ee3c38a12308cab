package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.ir.kernels.SumToShape;
import dev.tfjit.ir.ops.NnOps;
import dev.tfjit.ir.ops.ReductionOps;

import java.util.List;

/**
 * Ops whose kernels are a float sum in the interpreter's order. {@code sum_to_shape} (the
 * gradient of broadcasting when shapes were unknown at trace time) is, once the concrete shapes
 * decide its axes, exactly {@code reduce_sum {axis, keepdims}} followed by a reshape, which is
 * how the interpreter's kernel computes it, so it is emitted as that reduction.
 * {@code l2_loss} halves each square and sums the terms pairwise, as TF's kernel does.
 */
final class ReduceLikeEmitter {
    private ReduceLikeEmitter() {}

    static boolean lowers(OpDef op) { return op == ReductionOps.SUM_TO_SHAPE || op == NnOps.L2_LOSS; }

    static void emit(FunctionEmitter e, Node n) {
        if (n.op() == ReductionOps.SUM_TO_SHAPE) sumToShape(e, n);
        else l2Loss(e, n);
    }

    private static void sumToShape(FunctionEmitter e, Node n) {
        Value g = n.inputs().get(0), out = n.output();
        long[] target = new long[e.types.shape(out).rank()];
        for (int i = 0; i < target.length; i++) target[i] = e.types.shape(out).dim(i);
        long[] axes = SumToShape.axes(e.types.shape(g), target);
        if (axes.length == 0) { // the gradient itself, reshaped
            e.copyInto(out, g);
            return;
        }
        Node sum = new Node(ReductionOps.REDUCE_SUM, List.of(g), Attrs.of("axis", axes, "keepdims", true), List.of(), List.of(out), n.location());
        new ReductionEmitter(e, sum).emit();
    }

    private static void l2Loss(FunctionEmitter e, Node n) {
        IrFunction f = e.f;
        KernelContext cx = e.cx;
        Value x = n.inputs().get(0), out = n.output();
        DType t = x.dtype();
        ComputeType c = t == DType.FLOAT64 ? ComputeType.F64 : ComputeType.F32;
        Shape s = e.types.shape(x);
        String in = ViewCopy.address(e, x);
        // Each term ftz(ftz(v * v) * 0.5) of the widened, flushed input; the sum's leaves flush it again (a no-op).
        String sum = PairwiseSum.define(e, c, (h, row, i) -> {
            Reg v = Scalars.ftz(h, Scalars.load(h, t, row, i, true));
            KernelContext k = cx.in(h, "null"); // arithmetic only: no status
            return Scalars.ftz(h, k.bin("fmul", Scalars.ftz(h, k.bin("fmul", v, v)), k.lit(c, 0.5)));
        });
        Reg total = Scalars.ftz(f, PairwiseSum.call(f, sum, c, in, s.numElements()));
        Scalars.store(f, t, Scalars.round(f, t, total), e.pointer(out), "0");
    }
}
