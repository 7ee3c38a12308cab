package dev.tfjit.ir.ops;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.GradientBuilder;
import dev.tfjit.ir.GradientRule.Call;
import dev.tfjit.ir.Operand;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.ir.kernels.Axes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The gradient rules of data-movement ops that take more than one line, as TF's array_grad.py. */
final class ArrayGradients {
    private ArrayGradients() {}

    static Operand transpose(GradientBuilder g, Call c) {
        if (!c.attrs().has("perm")) return g.emit1(ArrayOps.TRANSPOSE, Attrs.EMPTY, c.dy()); // reversing twice
        long[] perm = c.attrs().getLongs("perm");
        int[] inverse = new int[perm.length];
        for (int i = 0; i < perm.length; i++) inverse[(int) perm[i]] = i;
        return g.transpose(c.dy(), inverse);
    }

    /** Each repeat is a block of the output: view it as {@code [m0, d0, m1, d1, ...]} and sum the m axes. */
    static Operand tile(GradientBuilder g, Call c) {
        Shape s = staticShape("tile", c.x());
        long[] m = c.attrs().getLongs("multiples");
        int r = s.rank();
        int[] split = new int[2 * r];
        int[] repeatAxes = new int[r];
        for (int i = 0; i < r; i++) {
            split[2 * i] = (int) m[i];
            split[2 * i + 1] = s.dim(i);
            repeatAxes[i] = 2 * i;
        }
        return g.reshape(g.reduceSum(g.reshape(c.dy(), Shape.of(split)), repeatAxes, false), s);
    }

    /** The gradient of concat is the matching pieces of dy. */
    static List<Operand> concat(GradientBuilder g, Call c) {
        Shape first = staticShape("concat", c.x(0));
        int axis = Axes.normalize(c.attrs().getLong("axis"), first.rank());
        long[] sizes = new long[c.inputs().size()];
        for (int k = 0; k < sizes.length; k++) sizes[k] = staticShape("concat", c.x(k)).dim(axis);
        return g.emit(ArrayOps.SPLIT_V, Attrs.of("axis", axis, "size_splits", sizes), List.of(c.dy()));
    }

    static Operand joinPieces(GradientBuilder g, Call c) {
        return g.emit1(ArrayOps.CONCAT, Attrs.of("axis", c.attrs().getLong("axis")), c.outputGrads().toArray(Operand[]::new));
    }

    /** dy padded with zeros back to the input's shape. */
    static Operand slice(GradientBuilder g, Call c) {
        Shape s = staticShape("slice", c.x());
        Shape out = c.y().shape();
        long[] begin = c.attrs().getLongs("begin");
        long[] paddings = new long[2 * s.rank()];
        for (int i = 0; i < s.rank(); i++) {
            paddings[2 * i] = begin[i];
            paddings[2 * i + 1] = s.dim(i) - begin[i] - out.dim(i);
        }
        return g.emit1(ArrayOps.PAD, Attrs.of("paddings", paddings), c.dy(), g.scalarLike(c.dy(), 0));
    }

    /** The input's part of dy: the padding cut off again. The padding value gets none, as in TF. */
    static List<Operand> pad(GradientBuilder g, Call c) {
        Shape s = staticShape("pad", c.x(0));
        long[] paddings = c.attrs().getLongs("paddings");
        long[] begin = new long[s.rank()];
        long[] size = new long[s.rank()];
        for (int i = 0; i < s.rank(); i++) {
            begin[i] = paddings[2 * i];
            size[i] = s.dim(i);
        }
        return Arrays.asList(g.emit1(ArrayOps.SLICE, Attrs.of("begin", begin, "size", size), c.dy()), null);
    }

    /**
     * Each gathered slice's gradient added at its index (repeats accumulate): the index dims of dy
     * are moved first and flattened, scattered with scatter_nd, and the axis moved back.
     */
    static List<Operand> gather(GradientBuilder g, Call c) {
        if (c.attrs().getLong("batch_dims", 0) != 0) {
            throw new UnimplementedError("the gradient of gather with batch_dims != 0 is not implemented");
        }
        Shape ps = staticShape("gather", c.x(0)), is = staticShape("gather", c.x(1));
        int pr = ps.rank(), ir = is.rank();
        int axis = Axes.normalize(c.attrs().getLong("axis", 0), pr);
        int outRank = pr - 1 + ir;
        int[] perm = new int[outRank];
        int k = 0;
        for (int i = 0; i < ir; i++) perm[k++] = axis + i;
        for (int i = 0; i < axis; i++) perm[k++] = i;
        for (int i = axis + ir; i < outRank; i++) perm[k++] = i;
        int[] rest = new int[pr];
        rest[0] = ps.dim(axis);
        for (int i = 0, j = 1; i < pr; i++) if (i != axis) rest[j++] = ps.dim(i);
        int[] updates = rest.clone();
        updates[0] = Math.toIntExact(is.numElements());
        Operand moved = g.reshape(transposeUnlessIdentity(g, c.dy(), perm), Shape.of(updates));
        Operand indices = g.reshape(c.x(1), Shape.of(updates[0], 1));
        Operand scattered = g.emit1(ArrayOps.SCATTER_ND, Attrs.of("shape", rest), indices, moved);
        int[] back = new int[pr];
        for (int j = 0; j < pr; j++) back[j] = j < axis ? j + 1 : j == axis ? 0 : j;
        return Arrays.asList(transposeUnlessIdentity(g, scattered, back), null);
    }

    /** A one-hot matrix of the chosen indices times dy, summed over k: dy lands where each value came from. */
    static Operand topK(GradientBuilder g, Call c) {
        Shape s = c.x().shape();
        if (!s.hasRank() || s.dim(-1) == Shape.UNKNOWN) throw GradientBuilder.needsStaticShape("top_k", s);
        Operand hot = g.emit1(ArrayOps.ONE_HOT, Attrs.of("depth", s.dim(-1), "axis", -1), c.y(1),
                g.scalarLike(c.x(), 1), g.scalarLike(c.x(), 0));
        Operand picked = g.mul(hot, g.emit1(ArrayOps.EXPAND_DIMS, Attrs.of("axis", -1), c.dy(0)));
        return g.reduceSum(picked, new int[] {-2}, false);
    }

    /**
     * Mirror padding copies input elements into the border; the gradient adds each border
     * element's dy back to its source, one axis at a time, with scatter_nd on a static index map.
     */
    static Operand mirrorPad(GradientBuilder g, Call c) {
        Shape s = staticShape("mirror_pad", c.x());
        long[] paddings = c.attrs().getLongs("paddings");
        boolean reflect = "REFLECT".equals(c.attrs().getString("mode"));
        Operand dy = c.dy();
        int r = s.rank();
        int[] current = c.y().shape().dims();
        for (int axis = 0; axis < r; axis++) {
            int before = (int) paddings[2 * axis], n = s.dim(axis), outN = current[axis];
            if (outN == n) continue;
            int[] source = new int[outN];
            for (int j = 0; j < outN; j++) source[j] = mirrorSource(j - before, n, reflect);
            int[] perm = swapToFront(r, axis);
            int[] moved = current.clone();
            moved[axis] = current[0];
            moved[0] = outN;
            int[] target = moved.clone();
            target[0] = n;
            Operand front = transposeUnlessIdentity(g, dy, perm);
            Operand idx = g.constant(Buffer.ofInts(Shape.of(outN, 1), source));
            Operand summed = g.emit1(ArrayOps.SCATTER_ND, Attrs.of("shape", target), idx, front);
            dy = transposeUnlessIdentity(g, summed, perm);
            current[axis] = n;
        }
        return dy;
    }

    private static int mirrorSource(int i, int n, boolean reflect) {
        if (i < 0) return reflect ? -i : -i - 1;
        if (i >= n) return reflect ? 2 * n - 2 - i : 2 * n - 1 - i;
        return i;
    }

    private static int[] swapToFront(int rank, int axis) {
        int[] p = new int[rank];
        for (int i = 0; i < rank; i++) p[i] = i;
        p[0] = axis;
        p[axis] = 0;
        return p;
    }

    private static Operand transposeUnlessIdentity(GradientBuilder g, Operand x, int[] perm) {
        for (int i = 0; i < perm.length; i++) if (perm[i] != i) return g.transpose(x, perm);
        return x;
    }

    private static Shape staticShape(String op, Operand x) {
        if (!x.shape().isFullyKnown()) throw GradientBuilder.needsStaticShape(op, x.shape());
        return x.shape();
    }

    static List<Operand> nulls(int n) { return new ArrayList<>(java.util.Collections.nCopies(n, null)); }
}
