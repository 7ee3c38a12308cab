package dev.tfjit.nn.losses;

import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

/** {@code keras.losses.MeanSquaredError}: {@code mean((y_true - y_pred)^2, axis=-1)} per sample. */
public class MeanSquaredError extends Loss {
    public MeanSquaredError() { super("mean_squared_error"); }

    public MeanSquaredError(Reduction reduction) { super("mean_squared_error", reduction); }

    @Override
    public Tensor call(Tensor yTrue, Tensor yPred) { return Tf.meanSquaredError(like(yTrue, yPred), yPred); }
}
