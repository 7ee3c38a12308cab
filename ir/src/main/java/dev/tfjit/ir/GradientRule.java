package dev.tfjit.ir;

import java.util.List;

/**
 * An op's vector-Jacobian product, written once against an {@link Emitter} so the same rule
 * serves the eager tape and symbolic differentiation. Returns one gradient per input, or null
 * for inputs that are not differentiable.
 */
@FunctionalInterface
public interface GradientRule {
    <T> List<T> vjp(Emitter<T> e, List<T> inputs, List<T> outputs, List<T> outputGrads, Attrs attrs);

    /** Emits ops on whatever the caller computes with (eager tensors or graph values). */
    interface Emitter<T> {
        List<T> emit(OpDef op, List<T> inputs, Attrs attrs);

        default T emit1(OpDef op, List<T> inputs, Attrs attrs) { return emit(op, inputs, attrs).get(0); }

        TensorType typeOf(T t);

        /** A scalar constant of the given dtype. */
        T scalar(DType dtype, double value);
    }
}
