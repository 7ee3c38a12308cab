package dev.tfjit.ir.kernels;

import dev.tfjit.ir.InvalidArgumentError;

/** Axis arguments: negative axes count from the end, and out-of-range axes are TF's errors. */
public final class Axes {
    private Axes() {}

    /** {@code axis} in {@code [-rank, rank)} made non-negative, else TF's usual "Expected axis in the range" error. */
    public static int normalize(long axis, int rank) {
        if (axis < -rank || axis >= rank) {
            throw new InvalidArgumentError("Expected axis in the range [" + -rank + ", " + rank + "), but got " + axis);
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }

    /** {@code axis} in {@code [-rank, rank)} made non-negative, else {@code messagePrefix + axis + " not in [-r, r)"}. */
    public static int normalize(long axis, int rank, String messagePrefix) {
        if (axis < -rank || axis >= rank) {
            throw new InvalidArgumentError(messagePrefix + axis + " not in [" + -rank + ", " + rank + ")");
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }
}
