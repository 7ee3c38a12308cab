package dev.tfjit.nn.losses;

/** How a loss turns per-sample losses into one value, like Keras's {@code reduction}. */
public enum Reduction {
    /** Sum divided by the number of per-sample losses (Keras's default; "AUTO"). */
    SUM_OVER_BATCH_SIZE,
    SUM,
    /** The per-sample losses unreduced. */
    NONE
}
