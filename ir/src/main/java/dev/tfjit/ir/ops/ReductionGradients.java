package dev.tfjit.ir.ops;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.GradientBuilder;
import dev.tfjit.ir.GradientRule.Call;
import dev.tfjit.ir.Operand;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.kernels.Reduce;
import dev.tfjit.ir.kernels.ReductionAxes;

/** The gradient rules of reductions that take more than one line, written as TF's math_grad.py does. */
final class ReductionGradients {
    private ReductionGradients() {}

    /** A scan's attributes with the direction flipped: the gradient of a scan runs the other way. */
    static Attrs reversed(Attrs a) { return a.with("reverse", !a.getBool("reverse", false)); }

    /** The selected elements share the gradient equally (ties split it), as TF's _MinOrMaxGrad. */
    static Operand maxOrMin(GradientBuilder g, Call c) {
        long[] axes = Reduce.axes(c.attrs());
        boolean keep = c.attrs().getBool("keepdims", false);
        Operand selected = g.cast(g.equal(g.unreduce(c.y(), c.x(), axes, keep), c.x()), c.x().dtype());
        Operand count = g.reduceSum(selected, toInts(axes), true);
        return g.mul(g.div(selected, count), g.unreduce(c.dy(), c.x(), axes, keep));
    }

    /**
     * The product of all other elements, without dividing (exact when some are 0): the reduced
     * dims are moved first and flattened, and exclusive cumulative products from both ends are
     * multiplied, as TF's _ProdGrad.
     */
    static Operand prod(GradientBuilder g, Call c) {
        Operand x = c.x();
        Shape s = x.shape();
        if (!s.isFullyKnown()) throw GradientBuilder.needsStaticShape("reduce_prod", s);
        int rank = s.rank();
        boolean[] mask = ReductionAxes.reductionMask(Reduce.axes(c.attrs()), rank);
        int[] perm = new int[rank];
        int[] permutedDims = new int[rank];
        int k = 0;
        long reduced = 1, other = 1;
        for (int i = 0; i < rank; i++) if (mask[i]) { perm[k++] = i; reduced *= s.dim(i); }
        for (int i = 0; i < rank; i++) if (!mask[i]) { perm[k++] = i; other *= s.dim(i); }
        for (int i = 0; i < rank; i++) permutedDims[i] = s.dim(perm[i]);
        int[] inverse = new int[rank];
        for (int i = 0; i < rank; i++) inverse[perm[i]] = i;
        Operand flat = g.reshape(g.transpose(x, perm), Shape.of(reduced, other));
        Operand left = g.emit1(ReductionOps.CUMPROD, Attrs.of("axis", 0, "exclusive", true), flat);
        Operand right = g.emit1(ReductionOps.CUMPROD, Attrs.of("axis", 0, "exclusive", true, "reverse", true), flat);
        Operand others = g.transpose(g.reshape(g.mul(left, right), Shape.of(permutedDims)), inverse);
        return g.mul(others, g.unreduce(c.dy(), x, Reduce.axes(c.attrs()), c.attrs().getBool("keepdims", false)));
    }

    private static int[] toInts(long[] axes) {
        if (axes == null) return null;
        int[] r = new int[axes.length];
        for (int i = 0; i < r.length; i++) r[i] = (int) axes[i];
        return r;
    }
}
