package dev.tfjit.nn;

import dev.tfjit.ir.Shape;

import java.util.List;
import java.util.Locale;

/** Keras's {@code model.summary()} table: one row per top-level layer with its output shape and parameter count. */
final class Summary {
    private static final int[] COLUMNS = {29, 26, 10};
    private static final int LINE = 65;

    private Summary() {}

    /** {@code shapes.get(i)} is layer i's output shape, or null when not known yet. */
    static String of(String modelName, List<Layer> layers, List<Shape> shapes, long trainable, long nonTrainable) {
        StringBuilder sb = new StringBuilder();
        sb.append("Model: \"").append(modelName).append("\"\n");
        sb.append("_".repeat(LINE)).append('\n');
        row(sb, " Layer (type)", "Output Shape", "Param #");
        sb.append("=".repeat(LINE)).append('\n');
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            row(sb, " " + l.name() + " (" + l.getClass().getSimpleName() + ")", shapeString(shapes.get(i)), Long.toString(l.countParams()));
            if (i < layers.size() - 1) sb.append(" ".repeat(LINE)).append('\n');
        }
        sb.append("=".repeat(LINE)).append('\n');
        sb.append("Total params: ").append(count(trainable + nonTrainable)).append('\n');
        sb.append("Trainable params: ").append(count(trainable)).append('\n');
        sb.append("Non-trainable params: ").append(count(nonTrainable)).append('\n');
        sb.append("_".repeat(LINE)).append('\n');
        return sb.toString();
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d (%s)", n, bytes(n * 4));
    }

    private static String bytes(long b) {
        if (b < 1024) return b + ".00 Byte";
        if (b < 1024 * 1024) return String.format(Locale.ROOT, "%.2f KB", b / 1024.0);
        return String.format(Locale.ROOT, "%.2f MB", b / (1024.0 * 1024));
    }

    /** {@code (None, 784)} as Keras prints shapes; "multiple" when unknown. */
    static String shapeString(Shape s) {
        if (s == null || !s.hasRank()) return "multiple";
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < s.rank(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(s.isKnown(i) ? Integer.toString(s.dim(i)) : "None");
        }
        if (s.rank() == 1) sb.append(',');
        return sb.append(')').toString();
    }

    private static void row(StringBuilder sb, String... cells) {
        StringBuilder line = new StringBuilder();
        int pos = 0;
        for (int i = 0; i < cells.length; i++) {
            line.append(cells[i]);
            pos += COLUMNS[i];
            if (line.length() < pos) line.append(" ".repeat(pos - line.length()));
            else line.append(' ');
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }
}
