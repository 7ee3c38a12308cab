package dev.tfjit.tracer;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.GradientRule;
import dev.tfjit.ir.Operand;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.ops.ArrayOps;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code tf.custom_gradient}: a function that computes its value with ops, and says itself what
 * its gradient is. The ops of the value are not recorded on any tape; instead each tape records
 * one step from the inputs to the value whose gradient is the user's function.
 */
public final class CustomGradient {
    private CustomGradient() {}

    /**
     * A value with its gradient function, which maps the upstream gradient to one gradient per
     * input (null for an input that gets none).
     */
    public record Result(Tensor value, Function<Tensor, List<Tensor>> gradient) {}

    /** For one-input functions: the gradient function returns that input's gradient. */
    public static Result result(Tensor value, java.util.function.UnaryOperator<Tensor> gradient) {
        return new Result(value, up -> java.util.Collections.singletonList(gradient.apply(up)));
    }

    static Tensor call(Function<List<Tensor>, Result> f, List<Tensor> inputs) {
        List<TapeContext> tapes = TapeContext.activeTapes();
        boolean[] was = new boolean[tapes.size()];
        for (int i = 0; i < was.length; i++) was[i] = tapes.get(i).setRecording(false);
        Result r;
        Tensor value;
        try {
            r = f.apply(inputs);
            if (r == null || r.value() == null || r.gradient() == null) {
                throw new TfException("Tf.customGradient: the function must return a value and a gradient function");
            }
            value = Tf.apply1(ArrayOps.IDENTITY, Attrs.EMPTY, r.value()); // a tensor of its own, even if f returns an input
        } finally {
            for (int i = 0; i < was.length; i++) tapes.get(i).setRecording(was[i]);
        }
        Function<Tensor, List<Tensor>> grad = r.gradient();
        GradientRule rule = (g, c) -> {
            List<Tensor> gs = grad.apply(TensorOperand.unwrap(c.dy()));
            if (gs == null || gs.size() != inputs.size()) {
                throw new TfException("Tf.customGradient: the gradient function must return " + inputs.size() + " gradients, got "
                        + (gs == null ? "null" : gs.size()));
            }
            List<Operand> out = new ArrayList<>(gs.size());
            for (Tensor t : gs) out.add(t == null ? null : new TensorOperand(t));
            return out;
        };
        for (TapeContext t : tapes) t.record(ArrayOps.IDENTITY, Attrs.EMPTY, inputs, List.of(value), rule);
        return value;
    }
}
