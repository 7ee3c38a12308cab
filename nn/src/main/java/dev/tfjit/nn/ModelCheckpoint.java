package dev.tfjit.nn;

import dev.tfjit.ir.InvalidArgumentError;

import java.nio.file.Path;
import java.util.Map;

/**
 * {@code keras.callbacks.ModelCheckpoint} for weights: after each epoch saves the model's
 * weights to {@code dir}, or with {@code saveBestOnly} only when {@code monitor} improved
 * (upward for accuracies, downward for losses, like EarlyStopping).
 */
public final class ModelCheckpoint implements Callback {
    private final Path dir;
    private final String monitor;
    private final boolean saveBestOnly;
    private double best;
    private int savedEpoch;

    public ModelCheckpoint(Path dir, String monitor, boolean saveBestOnly) {
        this.dir = dir;
        this.monitor = monitor;
        this.saveBestOnly = saveBestOnly;
    }

    private boolean higherIsBetter() { return monitor.contains("acc") || monitor.contains("precision") || monitor.contains("recall"); }

    @Override
    public void onTrainBegin(Model model) {
        best = higherIsBetter() ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        savedEpoch = 0;
    }

    @Override
    public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
        if (saveBestOnly) {
            Double value = logs.get(monitor);
            if (value == null) throw new InvalidArgumentError("ModelCheckpoint: no '" + monitor + "' among the logged values " + logs.keySet());
            boolean improved = higherIsBetter() ? value > best : value < best;
            if (!improved) return;
            best = value;
        }
        model.saveWeights(dir);
        savedEpoch = epoch;
    }

    /** The last epoch whose weights were saved (0 if none). */
    public int savedEpoch() { return savedEpoch; }
}
