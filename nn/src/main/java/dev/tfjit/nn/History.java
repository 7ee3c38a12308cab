package dev.tfjit.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code fit} returns, like Keras's {@code History}: each logged value per epoch ("loss", "val_accuracy", ...). */
public final class History {
    private final Map<String, List<Double>> history = new LinkedHashMap<>();

    void record(Map<String, Double> logs) {
        logs.forEach((k, v) -> history.computeIfAbsent(k, key -> new ArrayList<>()).add(v));
    }

    /** The values logged under {@code key}, one per epoch. */
    public List<Double> get(String key) { return List.copyOf(history.getOrDefault(key, List.of())); }

    public Map<String, List<Double>> history() {
        Map<String, List<Double>> copy = new LinkedHashMap<>();
        history.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    public int epochs() { return history.isEmpty() ? 0 : history.values().iterator().next().size(); }

    @Override
    public String toString() { return history.toString(); }
}
