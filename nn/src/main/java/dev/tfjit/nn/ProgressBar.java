package dev.tfjit.nn;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Keras's per-epoch progress line:
 * {@code 469/469 [==============================] - 2s 4ms/step - loss: 0.5123 - accuracy: 0.8210}.
 * On a terminal the line is redrawn in place after each step; otherwise (logs, tests) only the
 * finished line is printed, so output stays one line per epoch.
 */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private final int target;
    private final PrintStream out;
    private final boolean live;
    private final long start = System.nanoTime();
    private int lastDrawnLength;

    /** A bar for {@code target} steps ({@code -1} when the step count is not known yet). */
    public ProgressBar(int target, PrintStream out, boolean live) {
        this.target = target;
        this.out = out;
        this.live = live;
    }

    /** Redraws the line after {@code step} steps (only on a live terminal). */
    public void update(int step, Map<String, Double> values) {
        if (!live) return;
        String line = render(step, values, System.nanoTime() - start);
        out.print("\r" + line + " ".repeat(Math.max(0, lastDrawnLength - line.length())));
        lastDrawnLength = line.length();
        out.flush();
    }

    /** Prints the finished line and ends it. */
    public void finish(int steps, Map<String, Double> values) {
        String line = render(steps, values, System.nanoTime() - start);
        out.println((live ? "\r" : "") + line + " ".repeat(Math.max(0, lastDrawnLength - line.length())));
        out.flush();
    }

    /** The line for {@code step} steps done in {@code elapsedNanos}. */
    String render(int step, Map<String, Double> values, long elapsedNanos) {
        StringBuilder sb = new StringBuilder();
        if (target > 0) {
            String t = Integer.toString(target);
            sb.append(" ".repeat(Math.max(0, t.length() - Integer.toString(step).length()))).append(step).append('/').append(t).append(" [");
            int done = (int) ((long) WIDTH * Math.min(step, target) / target);
            if (step >= target) sb.append("=".repeat(WIDTH));
            else sb.append("=".repeat(Math.max(0, done - 1))).append(done > 0 || step > 0 ? ">" : "").append(".".repeat(WIDTH - Math.max(done, step > 0 ? 1 : 0)));
            sb.append(']');
        } else {
            sb.append(step).append("/Unknown");
        }
        double seconds = elapsedNanos / 1e9;
        sb.append(" - ").append(Math.round(seconds)).append('s');
        if (step > 0) {
            double perStep = seconds / step;
            sb.append(' ').append(perStep >= 1 ? Math.round(perStep) + "s" : perStep >= 1e-3 ? Math.round(perStep * 1e3) + "ms" : Math.round(perStep * 1e6) + "us").append("/step");
        }
        for (Map.Entry<String, Double> e : values.entrySet()) sb.append(" - ").append(e.getKey()).append(": ").append(format(e.getValue()));
        return sb.toString();
    }

    static String format(double v) {
        return Math.abs(v) >= 1e-3 || v == 0 ? String.format(Locale.ROOT, "%.4f", v) : String.format(Locale.ROOT, "%.4e", v);
    }
}
