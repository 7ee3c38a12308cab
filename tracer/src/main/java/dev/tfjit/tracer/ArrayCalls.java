package dev.tfjit.tracer;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.ops.ArrayOps;

/**
 * The array primitives the reduction, sorting and loss composites need, applied straight
 * through {@link Tf#apply1} so they trace like any op. They stand in until the array family's
 * {@code Tf.transpose/reshape/squeeze/where/size} facade methods land; then those replace them.
 */
final class ArrayCalls {
    private ArrayCalls() {}

    static Tensor transpose(Tensor x, int[] perm) { return Tf.apply1(ArrayOps.TRANSPOSE, Attrs.of("perm", perm), x); }

    static Tensor reshape(Tensor x, int... shape) { return Tf.apply1(ArrayOps.RESHAPE, Attrs.of("shape", shape), x); }

    /** Reshapes {@code x} to the run-time shape of {@code like} (works with unknown dims while tracing). */
    static Tensor reshapeLike(Tensor x, Tensor like) {
        return Tf.apply1(ArrayOps.RESHAPE, Attrs.EMPTY, x, Tf.apply1(ArrayOps.SHAPE, Attrs.EMPTY, like));
    }

    /** Removes the listed size-1 dims, or every size-1 dim when {@code axes} is null. */
    static Tensor squeeze(Tensor x, int[] axes) {
        return Tf.apply1(ArrayOps.SQUEEZE, axes == null ? Attrs.EMPTY : Attrs.of("axis", axes), x);
    }

    /** TF's SelectV2: {@code x} where {@code condition}, else {@code y}, all three broadcast. */
    static Tensor select(Tensor condition, Tensor x, Tensor y) { return Tf.apply1(ArrayOps.SELECT, Attrs.EMPTY, condition, x, y); }

    /** The number of elements as an int32 scalar. */
    static Tensor size(Tensor x) { return Tf.apply1(ArrayOps.SIZE, Attrs.EMPTY, x); }
}
