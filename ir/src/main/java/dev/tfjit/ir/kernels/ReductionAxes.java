package dev.tfjit.ir.kernels;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;

/** Axis arguments of reductions and scans as TensorFlow checks them: negative axes count from the end. */
public final class ReductionAxes {
    private ReductionAxes() {}

    /**
     * Which dims a reduction removes. {@code axes == null} means all of them. Errors use the
     * wording of TensorFlow's {@code ReductionHelper}.
     */
    public static boolean[] reductionMask(long[] axes, int rank) {
        boolean[] mask = new boolean[rank];
        if (axes == null) {
            java.util.Arrays.fill(mask, true);
            return mask;
        }
        for (long a : axes) {
            if (a < -rank || a >= rank) {
                throw new InvalidArgumentError("Invalid reduction dimension (" + a + " for input with " + rank + " dimension(s)");
            }
            int i = (int) (a < 0 ? a + rank : a);
            if (mask[i]) {
                throw new InvalidArgumentError("Invalid reduction arguments: Axes contains duplicate dimension: " + i);
            }
            mask[i] = true;
        }
        return mask;
    }

    /** The shape left after reducing the masked dims (kept as 1 with {@code keepdims}). */
    public static Shape reducedShape(Shape in, boolean[] mask, boolean keepdims) {
        int[] d = in.dims();
        int kept = 0;
        for (boolean m : mask) if (!m) kept++;
        int[] out = new int[keepdims ? d.length : kept];
        for (int i = 0, j = 0; i < d.length; i++) {
            if (!mask[i]) out[j++] = d[i];
            else if (keepdims) out[j++] = 1;
        }
        return Shape.of(out);
    }

    /** A single axis in {@code [-rank, rank)}, made non-negative; TensorFlow's range message otherwise. */
    public static int single(long axis, int rank) {
        if (axis < -rank || axis >= rank) {
            throw new InvalidArgumentError("Expected dimension in the range [" + (-rank) + ", " + rank + "), but got " + axis);
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }
}
