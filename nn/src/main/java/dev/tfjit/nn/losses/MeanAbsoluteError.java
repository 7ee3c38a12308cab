package dev.tfjit.nn.losses;

import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

/** {@code keras.losses.MeanAbsoluteError}: {@code mean(|y_true - y_pred|, axis=-1)} per sample. */
public class MeanAbsoluteError extends Loss {
    public MeanAbsoluteError() { super("mean_absolute_error"); }

    public MeanAbsoluteError(Reduction reduction) { super("mean_absolute_error", reduction); }

    @Override
    public Tensor call(Tensor yTrue, Tensor yPred) {
        return Tf.reduceMean(Tf.abs(Tf.subtract(yPred, like(yTrue, yPred))), new int[] {-1}, false);
    }
}
