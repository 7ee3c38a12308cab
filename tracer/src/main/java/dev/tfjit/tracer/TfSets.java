package dev.tfjit.tracer;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.ops.SetOps;

import java.util.List;

/**
 * {@code tf.sets}, reached as {@code Tf.sets.union(a, b)}: each set is a vector on the last axis
 * of a dense tensor; results are sparse, each set's elements in ascending order.
 */
public final class TfSets {
    TfSets() {}

    /** {@code tf.sets.union}. */
    public SparseTensor union(Tensor a, Tensor b) { return operation(a, b, "union"); }

    /** {@code tf.sets.intersection}. */
    public SparseTensor intersection(Tensor a, Tensor b) { return operation(a, b, "intersection"); }

    /** {@code tf.sets.difference(a, b)}: the elements of a not in b. */
    public SparseTensor difference(Tensor a, Tensor b) { return difference(a, b, true); }

    /** {@code tf.sets.difference(a, b, aminusb)}: with {@code aminusb = false}, b minus a. */
    public SparseTensor difference(Tensor a, Tensor b, boolean aMinusB) { return operation(a, b, aMinusB ? "a-b" : "b-a"); }

    /** {@code tf.sets.size}: distinct elements in each set of a sparse tensor (TF accepts only sparse here). */
    public Tensor size(SparseTensor sets) {
        return Tf.apply1(SetOps.SET_SIZE, Attrs.EMPTY, sets.indices(), sets.values(), sets.denseShape());
    }

    private static SparseTensor operation(Tensor a, Tensor b, String op) {
        List<Tensor> out = Tf.apply(SetOps.DENSE_TO_DENSE_SET_OPERATION, Attrs.of("set_operation", op), a, b);
        return new SparseTensor(out.get(0), out.get(1), out.get(2));
    }
}
