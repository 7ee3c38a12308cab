package dev.tfjit.ir;

import java.util.Collections;
import java.util.List;
import java.util.function.BiFunction;

/**
 * An op's vector-Jacobian product, written once against a {@link GradientBuilder} that emits
 * ops, so the backward pass is itself made of ops: it runs eagerly, is recorded while tracing,
 * and can be differentiated again. Returns one gradient per input, null where none flows.
 */
@FunctionalInterface
public interface GradientRule {
    List<Operand> vjp(GradientBuilder g, Call call);

    /**
     * One recorded application of the op. {@code outputGrads} has one entry per output; outputs
     * that received no gradient get zeros, so rules never see null.
     */
    record Call(OpDef op, List<Operand> inputs, List<Operand> outputs, List<Operand> outputGrads, Attrs attrs) {
        public Operand x(int i) { return inputs.get(i); }

        public Operand x() { return inputs.get(0); }

        public Operand y(int i) { return outputs.get(i); }

        public Operand y() { return outputs.get(0); }

        public Operand dy(int i) { return outputGrads.get(i); }

        public Operand dy() { return outputGrads.get(0); }
    }

    /**
     * For ops whose result is locally constant in their inputs (comparisons, floor, argmax,
     * shape queries) or has no meaningful derivative (indices, random draws): no gradient flows,
     * as TensorFlow's {@code NotDifferentiable}.
     */
    GradientRule NONE = (g, c) -> Collections.nCopies(c.inputs().size(), null);

    /** A rule for a single-input op, giving that input's gradient. */
    static GradientRule of1(BiFunction<GradientBuilder, Call, Operand> rule) {
        return (g, c) -> Collections.singletonList(rule.apply(g, c));
    }
}
