package dev.tfjit.ir.format;

import java.util.function.LongFunction;
import java.util.stream.IntStream;

/**
 * NumPy's {@code _formatArray}: nested brackets, rows wrapped to the line width, blank lines
 * between higher-rank blocks, and {@code ...} in place of the middle of every axis longer than
 * six once the array has more than 1000 elements.
 *
 * @param dims            the array's shape
 * @param separator       between elements: {@code " "} for {@code str}, {@code ", "} for {@code repr}
 * @param nextLinePrefix  indent of continuation lines (one space per character before the first {@code [})
 * @param lineWidth       NumPy's {@code linewidth}, already reduced by any suffix such as {@code ")"}
 * @param summarize       whether the array is over the summarization threshold
 */
record ArrayLayout(int[] dims, String separator, String nextLinePrefix, int lineWidth, boolean summarize) {
    static final int THRESHOLD = 1000;
    static final int EDGE_ITEMS = 3;
    static final int LINE_WIDTH = 75;
    private static final String SUMMARY = "...";

    static boolean needsSummary(long size) { return size > THRESHOLD; }

    /** Flat row-major indices of the elements that will be printed (NumPy's {@code _leading_trailing}). */
    long[] shownIndices() {
        int[][] visible = new int[dims.length][];
        int count = 1;
        for (int axis = 0; axis < dims.length; axis++) {
            visible[axis] = visibleIndices(dims[axis]);
            count = Math.multiplyExact(count, visible[axis].length);
        }
        long[] out = new long[count];
        collect(0, 0, strides(), visible, out, new int[]{0});
        return out;
    }

    private static void collect(int axis, long offset, long[] strides, int[][] visible, long[] out, int[] next) {
        if (axis == visible.length) {
            out[next[0]++] = offset;
            return;
        }
        for (int i : visible[axis]) collect(axis + 1, offset + i * strides[axis], strides, visible, out, next);
    }

    private boolean elides(int length) { return summarize && 2 * EDGE_ITEMS < length; }

    private int[] visibleIndices(int length) {
        if (!elides(length)) return IntStream.range(0, length).toArray();
        return IntStream.concat(IntStream.range(0, EDGE_ITEMS), IntStream.range(length - EDGE_ITEMS, length)).toArray();
    }

    private long[] strides() {
        long[] s = new long[dims.length];
        long acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    /** The whole array; {@code element} writes the element at a flat index. */
    String format(LongFunction<String> element) {
        return recurse(0, 0, strides(), element, nextLinePrefix, lineWidth);
    }

    private String recurse(int axis, long offset, long[] strides, LongFunction<String> element,
                           String hangingIndent, int width) {
        if (axis == dims.length) return element.apply(offset);
        // Children sit one column further right, after this level's "[", and must leave room for its "]".
        String nextHangingIndent = hangingIndent + " ";
        int nextWidth = width - 1;
        int length = dims[axis];
        boolean elide = elides(length);
        int leading = elide ? EDGE_ITEMS : 0;
        int trailing = elide ? EDGE_ITEMS : length;
        int axesLeft = dims.length - axis;

        StringBuilder s = new StringBuilder();
        if (axesLeft == 1) {
            int elementWidth = width - Math.max(separator.stripTrailing().length(), 1);
            StringBuilder line = new StringBuilder(hangingIndent);
            for (int i = 0; i < leading; i++) {
                extendLine(s, line, element.apply(offset + i * strides[axis]), elementWidth, hangingIndent);
                line.append(separator);
            }
            if (elide) {
                extendLine(s, line, SUMMARY, elementWidth, hangingIndent);
                line.append(separator);
            }
            for (int i = trailing; i > 1; i--) {
                extendLine(s, line, element.apply(offset + (length - i) * strides[axis]), elementWidth, hangingIndent);
                line.append(separator);
            }
            if (length > 0) {
                extendLine(s, line, element.apply(offset + (length - 1) * strides[axis]), elementWidth, hangingIndent);
            }
            s.append(line);
        } else {
            String lineSeparator = separator.stripTrailing() + "\n".repeat(axesLeft - 1);
            for (int i = 0; i < leading; i++) {
                s.append(hangingIndent)
                        .append(recurse(axis + 1, offset + i * strides[axis], strides, element, nextHangingIndent, nextWidth))
                        .append(lineSeparator);
            }
            if (elide) s.append(hangingIndent).append(SUMMARY).append(lineSeparator);
            for (int i = trailing; i > 1; i--) {
                s.append(hangingIndent)
                        .append(recurse(axis + 1, offset + (length - i) * strides[axis], strides, element, nextHangingIndent, nextWidth))
                        .append(lineSeparator);
            }
            if (length > 0) {
                s.append(hangingIndent)
                        .append(recurse(axis + 1, offset + (length - 1) * strides[axis], strides, element, nextHangingIndent, nextWidth));
            }
        }
        return "[" + s.substring(Math.min(hangingIndent.length(), s.length())) + "]";
    }

    /** NumPy's {@code _extendLine}: wrap before a word that would overflow, unless wrapping cannot help. */
    private static void extendLine(StringBuilder s, StringBuilder line, String word, int width, String nextLinePrefix) {
        boolean wrap = line.length() + word.length() > width && line.length() > nextLinePrefix.length();
        if (wrap) {
            s.append(line.toString().stripTrailing()).append('\n');
            line.setLength(0);
            line.append(nextLinePrefix);
        }
        line.append(word);
    }
}
