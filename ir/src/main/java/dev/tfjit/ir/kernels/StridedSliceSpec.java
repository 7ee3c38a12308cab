package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * TensorFlow's {@code StridedSlice} arguments: sparse begin/end/strides plus the five masks,
 * resolved against an input shape exactly as TF's {@code ValidateStridedSliceOp} does (the
 * ellipsis expands to the dims not named, new axes add dims of 1, shrink axes drop theirs).
 */
public record StridedSliceSpec(long[] begin, long[] end, long[] strides,
                               int beginMask, int endMask, int ellipsisMask, int newAxisMask, int shrinkAxisMask) {
    private static final int NEW_AXIS = -1;
    private static final int SHRINK_AXIS = -2;

    public StridedSliceSpec {
        begin = begin.clone();
        end = end.clone();
        strides = strides.clone();
        if (begin.length != end.length || begin.length != strides.length) {
            throw new InvalidArgumentError("Expected begin, end, and strides to be 1D equal size tensors, but got shapes ["
                    + begin.length + "], [" + end.length + "], and [" + strides.length + "] instead.");
        }
        if (Integer.bitCount(ellipsisMask) > 1) throw new InvalidArgumentError("Multiple ellipses in slice spec not allowed");
    }

    /** The spec from an op's attributes. */
    public static StridedSliceSpec of(Attrs a) {
        return new StridedSliceSpec(a.getLongs("begin"), a.getLongs("end"), a.getLongs("strides"),
                a.getInt("begin_mask", 0), a.getInt("end_mask", 0), a.getInt("ellipsis_mask", 0),
                a.getInt("new_axis_mask", 0), a.getInt("shrink_axis_mask", 0));
    }

    /** The spec as op attributes. */
    public Attrs toAttrs() {
        return Attrs.of("begin", begin, "end", end, "strides", strides, "begin_mask", beginMask, "end_mask", endMask,
                "ellipsis_mask", ellipsisMask, "new_axis_mask", newAxisMask, "shrink_axis_mask", shrinkAxisMask);
    }

    /**
     * The slice over an input of a given rank: per input dim the first index and the step (both
     * meaningful only where the dim is known), the sliced extent per input dim ({@code processing},
     * shrunk dims as 1), and the result shape ({@code result}: new axes added, shrunk dims removed).
     */
    public record Resolved(long[] start, long[] step, Shape processing, Shape result) {}

    /** Resolves this spec against {@code input}, whose dims may be unknown; throws TF's errors. */
    public Resolved resolve(Shape input) {
        if (!input.hasRank()) throw new ShapeError("strided_slice needs an input of known rank");
        int rank = input.rank();
        int sparseDims = begin.length;
        int ellipsis = ellipsisMask;
        boolean ellipsisSeen = false;
        int newAxesAfterEllipsis = 0;
        for (int i = 0; i < sparseDims; i++) {
            if (ellipsisSeen && (newAxisMask & (1 << i)) != 0) newAxesAfterEllipsis++;
            if ((ellipsis & (1 << i)) != 0) ellipsisSeen = true;
        }
        long[] sb = begin, se = end, ss = strides;
        if (!ellipsisSeen) { // an implicit trailing ellipsis covers the dims not named
            ellipsis |= 1 << sparseDims;
            sb = Arrays.copyOf(sb, sparseDims + 1);
            se = Arrays.copyOf(se, sparseDims + 1);
            ss = Arrays.copyOf(ss, sparseDims + 1);
            ss[sparseDims] = 1;
            sparseDims++;
        }
        long[] db = new long[rank], de = new long[rank], ds = new long[rank];
        int dBeginMask = 0, dEndMask = 0, dShrinkMask = 0;
        List<Integer> gather = new ArrayList<>();
        int full = 0;
        for (int i = 0; i < sparseDims; i++) {
            int bit = 1 << i;
            if ((ellipsis & bit) != 0) {
                int next = Math.min(rank - (sparseDims - i) + 1 + newAxesAfterEllipsis, rank);
                for (; full < next; full++) {
                    ds[full] = 1;
                    dBeginMask |= 1 << full;
                    dEndMask |= 1 << full;
                    gather.add(full);
                }
            } else if ((newAxisMask & bit) != 0) {
                gather.add(NEW_AXIS);
            } else {
                if (full == rank) {
                    throw new InvalidArgumentError("Index out of range using input dim " + full + "; input has only " + rank + " dims");
                }
                db[full] = sb[i];
                de[full] = se[i];
                ds[full] = ss[i];
                if ((beginMask & bit) != 0) dBeginMask |= 1 << full;
                if ((endMask & bit) != 0) dEndMask |= 1 << full;
                if ((shrinkAxisMask & bit) != 0) {
                    gather.add(SHRINK_AXIS);
                    dShrinkMask |= 1 << full;
                } else {
                    gather.add(full);
                }
                full++;
            }
        }
        int[] processing = new int[rank];
        long[] start = new long[rank];
        for (int i = 0; i < rank; i++) {
            long stride = ds[i];
            if (stride == 0) throw new InvalidArgumentError("strides[" + i + "] must be non-zero");
            boolean shrink = (dShrinkMask & (1 << i)) != 0;
            if (shrink && stride <= 0) throw new InvalidArgumentError("only stride 1 allowed on non-range indexing.");
            int dim = input.dim(i);
            if (dim == Shape.UNKNOWN) {
                processing[i] = shrink ? 1 : Shape.UNKNOWN;
                continue;
            }
            long b, e;
            if (shrink) {
                b = db[i] < 0 ? dim + db[i] : db[i];
                e = b + 1;
                if (b < 0 || b >= dim) throw new InvalidArgumentError("slice index " + db[i] + " of dimension " + i + " out of bounds.");
            } else {
                b = canonical(db[i], (dBeginMask & (1 << i)) != 0, 0, stride, dim);
                e = canonical(de[i], (dEndMask & (1 << i)) != 0, 1, stride, dim);
            }
            long length = e - b;
            long size;
            if (shrink) size = 1;
            else if (length == 0 || (length < 0) != (stride < 0)) size = 0;
            else size = length / stride + (length % stride != 0 ? 1 : 0);
            start[i] = b;
            processing[i] = (int) size;
        }
        List<Integer> result = new ArrayList<>();
        for (int g : gather) {
            if (g >= 0) result.add(processing[g]);
            else if (g == NEW_AXIS) result.add(1);
        }
        return new Resolved(start, ds, Shape.of(processing), Shape.of(result.stream().mapToInt(Integer::intValue).toArray()));
    }

    /** A begin ({@code c = 0}) or end ({@code c = 1}) bound made non-negative and clamped, as TF does. */
    private static long canonical(long x, boolean masked, int c, long stride, int dim) {
        long lo = stride > 0 ? 0 : -1;
        long hi = stride > 0 ? dim : dim - 1;
        if (masked) return stride > 0 ? (c == 0 ? lo : hi) : (c == 0 ? hi : lo);
        long fwd = x < 0 ? dim + x : x;
        return Math.max(lo, Math.min(hi, fwd));
    }

    /** The input-element strides and offset of the resolved view over a row-major input of {@code input}. */
    public static long[] viewStrides(Resolved r, Shape input) {
        long[] own = input.strides();
        long[] s = new long[own.length];
        for (int i = 0; i < s.length; i++) s[i] = own[i] * r.step()[i];
        return s;
    }

    public static long viewOffset(Resolved r, Shape input) {
        long[] own = input.strides();
        long off = 0;
        for (int i = 0; i < own.length; i++) if (r.processing().dim(i) > 0) off += own[i] * r.start()[i];
        return off;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StridedSliceSpec s && Arrays.equals(begin, s.begin) && Arrays.equals(end, s.end)
                && Arrays.equals(strides, s.strides) && beginMask == s.beginMask && endMask == s.endMask
                && ellipsisMask == s.ellipsisMask && newAxisMask == s.newAxisMask && shrinkAxisMask == s.shrinkAxisMask;
    }

    @Override
    public int hashCode() { return Arrays.hashCode(begin) * 31 + Arrays.hashCode(end) * 7 + Arrays.hashCode(strides); }

    @Override
    public String toString() {
        return "StridedSliceSpec[begin=" + Arrays.toString(begin) + ", end=" + Arrays.toString(end) + ", strides="
                + Arrays.toString(strides) + ", masks=" + beginMask + "/" + endMask + "/" + ellipsisMask + "/"
                + newAxisMask + "/" + shrinkAxisMask + "]";
    }
}
