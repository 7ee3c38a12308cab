package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code reduce_*} op's input dims in the two groups the code generators loop over: those it
 * keeps and those it removes, each in increasing order. {@code in} is fully known.
 *
 * @param mask which dims are reduced ({@link ReductionAxes#reductionMask})
 */
public record ReductionDims(Shape in, boolean[] mask, List<Integer> kept, List<Integer> reduced) {
    public ReductionDims {
        kept = List.copyOf(kept);
        reduced = List.copyOf(reduced);
    }

    /** The split the op's {@code axis} attr makes of {@code in}; bad axes are TensorFlow's errors. */
    public static ReductionDims of(Shape in, Attrs attrs) {
        boolean[] mask = ReductionAxes.reductionMask(Reduce.axes(attrs), in.rank());
        List<Integer> kept = new ArrayList<>(), reduced = new ArrayList<>();
        for (int d = 0; d < in.rank(); d++) (mask[d] ? reduced : kept).add(d);
        return new ReductionDims(in, mask, kept, reduced);
    }

    /** How many elements each output combines (0 when a reduced dim is empty). */
    public long count() {
        long n = 1;
        for (int d : reduced) n *= in.dim(d);
        return n;
    }

    public int[] keptSizes() { return sizes(kept); }

    public int[] reducedSizes() { return sizes(reduced); }

    /** The kept dims' entries of a per-dim array of the input (its strides, say). */
    public long[] keptOf(long[] perDim) { return pick(perDim, kept); }

    /** The reduced dims' entries of a per-dim array of the input. */
    public long[] reducedOf(long[] perDim) { return pick(perDim, reduced); }

    private int[] sizes(List<Integer> which) {
        int[] s = new int[which.size()];
        for (int i = 0; i < s.length; i++) s[i] = in.dim(which.get(i));
        return s;
    }

    private static long[] pick(long[] perDim, List<Integer> which) {
        long[] s = new long[which.size()];
        for (int i = 0; i < s.length; i++) s[i] = perDim[which.get(i)];
        return s;
    }
}
