package dev.tfjit.nn;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Variable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code keras.callbacks.EarlyStopping}: stops training once {@code monitor} has not improved by
 * more than {@code minDelta} for {@code patience} epochs; optionally puts back the best epoch's
 * weights. Values whose name contains "acc" improve upward, others (losses) downward, as Keras's
 * "auto" mode decides.
 */
public final class EarlyStopping implements Callback {
    private final String monitor;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBestWeights;
    private double best;
    private int wait;
    private int stoppedEpoch;
    private List<Tensor> bestWeights;

    public EarlyStopping(String monitor, int patience) { this(monitor, patience, 0, false); }

    public EarlyStopping(String monitor, int patience, double minDelta, boolean restoreBestWeights) {
        this.monitor = monitor;
        this.patience = patience;
        this.minDelta = Math.abs(minDelta);
        this.restoreBestWeights = restoreBestWeights;
    }

    private boolean higherIsBetter() { return monitor.contains("acc") || monitor.contains("precision") || monitor.contains("recall"); }

    @Override
    public void onTrainBegin(Model model) {
        best = higherIsBetter() ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        wait = 0;
        stoppedEpoch = 0;
        bestWeights = null;
    }

    @Override
    public void onEpochEnd(Model model, int epoch, Map<String, Double> logs) {
        Double value = logs.get(monitor);
        if (value == null) throw new InvalidArgumentError("EarlyStopping: no '" + monitor + "' among the logged values " + logs.keySet());
        boolean improved = higherIsBetter() ? value - minDelta > best : value + minDelta < best;
        if (improved) {
            best = value;
            wait = 0;
            if (restoreBestWeights) bestWeights = snapshot(model);
            return;
        }
        if (++wait >= patience) {
            stoppedEpoch = epoch;
            model.stopTraining();
            if (restoreBestWeights && bestWeights != null) {
                List<Variable> vars = model.weights();
                for (int i = 0; i < vars.size(); i++) vars.get(i).assign(bestWeights.get(i));
            }
        }
    }

    private static List<Tensor> snapshot(Model model) {
        List<Tensor> values = new ArrayList<>();
        for (Variable v : model.weights()) values.add(v.read());
        return values;
    }

    /** The epoch training stopped after (0 if it ran to the end). */
    public int stoppedEpoch() { return stoppedEpoch; }
}
