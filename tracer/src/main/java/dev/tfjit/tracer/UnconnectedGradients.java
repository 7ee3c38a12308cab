package dev.tfjit.tracer;

/** What {@link GradientTape#gradient} returns for a source the target does not depend on (TF's {@code unconnected_gradients}). */
public enum UnconnectedGradients {
    /** {@code null}, as TensorFlow's default {@code None}. */
    NONE,
    /** Zeros of the source's dtype and shape. */
    ZERO
}
