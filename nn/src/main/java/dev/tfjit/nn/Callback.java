package dev.tfjit.nn;

import java.util.Map;

/** Hooks into {@link Model#fit}, like {@code keras.callbacks.Callback}. Epochs count from 1. */
public interface Callback {
    default void onTrainBegin(Model model) {}

    default void onEpochBegin(Model model, int epoch) {}

    /** {@code logs} holds the epoch's loss and metrics (and their {@code val_} versions). */
    default void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {}

    default void onTrainEnd(Model model) {}
}
