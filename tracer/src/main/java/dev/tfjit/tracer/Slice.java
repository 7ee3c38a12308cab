package dev.tfjit.tracer;

import dev.tfjit.ir.kernels.StridedSliceSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One item of a TensorFlow/NumPy index expression, as in {@code x[1, 2:5, ..., tf.newaxis, ::-1]}.
 * {@link #lower} turns a list of items into {@code strided_slice} arguments exactly as TF's
 * {@code Tensor.__getitem__} ({@code _slice_helper}) does, and {@link #parse} reads Python's
 * syntax from a string.
 */
public sealed interface Slice {
    /** An integer index: selects one position and removes the dim ({@code x[1]}). */
    record Index(long index) implements Slice {
        @Override public String toString() { return Long.toString(index); }
    }

    /** {@code start:stop:step}; a null part is omitted, as in Python. */
    record Range(Long start, Long stop, Long step) implements Slice {
        public Range {
            if (step != null && step == 0) throw new IllegalArgumentException("slice step cannot be zero");
        }

        @Override public String toString() {
            return str(start) + ":" + str(stop) + (step == null ? "" : ":" + step);
        }

        private static String str(Long v) { return v == null ? "" : v.toString(); }
    }

    /** {@code ...}: as many full slices as the dims not otherwise indexed. */
    record Ellipsis() implements Slice {
        @Override public String toString() { return "..."; }
    }

    /** {@code tf.newaxis} / {@code None}: inserts a dim of 1. */
    record NewAxis() implements Slice {
        @Override public String toString() { return "tf.newaxis"; }
    }

    Slice ALL = new Range(null, null, null);
    Slice ELLIPSIS = new Ellipsis();
    Slice NEW_AXIS = new NewAxis();

    static Slice at(long index) { return new Index(index); }

    /** {@code start:stop}. */
    static Slice range(long start, long stop) { return new Range(start, stop, null); }

    /** {@code start:stop:step}. */
    static Slice range(long start, long stop, long step) { return new Range(start, stop, step); }

    /** {@code start:}. */
    static Slice from(long start) { return new Range(start, null, null); }

    /** {@code :stop}. */
    static Slice to(long stop) { return new Range(null, stop, null); }

    /** {@code ::step}. */
    static Slice step(long step) { return new Range(null, null, step); }

    /** TF's {@code _slice_helper}: begin/end/strides and masks, one sparse entry per item. */
    static StridedSliceSpec lower(List<Slice> items) {
        int n = items.size();
        if (n > 31) throw new IllegalArgumentException("too many indices: " + n);
        long[] begin = new long[n], end = new long[n], strides = new long[n];
        int beginMask = 0, endMask = 0, ellipsisMask = 0, newAxisMask = 0, shrinkMask = 0;
        for (int i = 0; i < n; i++) {
            int bit = 1 << i;
            strides[i] = 1;
            switch (items.get(i)) {
                case Index(long index) -> {
                    begin[i] = index;
                    end[i] = index + 1;
                    shrinkMask |= bit;
                }
                case Range(Long start, Long stop, Long step) -> {
                    if (start == null) beginMask |= bit; else begin[i] = start;
                    if (stop == null) endMask |= bit; else end[i] = stop;
                    if (step != null) strides[i] = step;
                }
                case Ellipsis e -> {
                    if (ellipsisMask != 0) throw new IllegalArgumentException("an index can only have a single ellipsis ('...')");
                    ellipsisMask |= bit;
                }
                case NewAxis a -> newAxisMask |= bit;
            }
        }
        return new StridedSliceSpec(begin, end, strides, beginMask, endMask, ellipsisMask, newAxisMask, shrinkMask);
    }

    /**
     * Parses Python index syntax, the part inside the brackets: {@code "..., 1:"},
     * {@code "1:3, ::-1"}, {@code ":, tf.newaxis, 0"} ({@code None} and {@code newaxis} work too).
     */
    static List<Slice> parse(String spec) {
        List<Slice> out = new ArrayList<>();
        String[] items = spec.split(",", -1);
        for (int k = 0; k < items.length; k++) {
            String item = items[k].strip();
            if (item.isEmpty()) {
                if (k == items.length - 1 && k > 0) break; // a trailing comma, as in Python's x[1,]
                throw new IllegalArgumentException("invalid index expression '" + spec + "': item " + k + " is empty");
            }
            out.add(parseItem(item, spec));
        }
        return out;
    }

    private static Slice parseItem(String item, String spec) {
        switch (item) {
            case "..." -> { return ELLIPSIS; }
            case "None", "newaxis", "tf.newaxis", "np.newaxis" -> { return NEW_AXIS; }
            default -> { }
        }
        if (!item.contains(":")) return at(number(item, spec));
        String[] parts = item.split(":", -1);
        if (parts.length > 3) throw new IllegalArgumentException("invalid slice '" + item + "' in '" + spec + "': at most two ':'");
        Long[] v = new Long[3];
        for (int p = 0; p < parts.length; p++) v[p] = parts[p].isBlank() ? null : number(parts[p].strip(), spec);
        if (v[2] != null && v[2] == 0) throw new IllegalArgumentException("slice step cannot be zero in '" + spec + "'");
        return new Range(v[0], v[1], v[2]);
    }

    private static long number(String s, String spec) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid index '" + s + "' in '" + spec + "': expected an integer, a slice "
                    + "(start:stop:step), '...', or tf.newaxis/None", e);
        }
    }

    /** Java ints as integer indices. */
    static List<Slice> of(int... indices) {
        List<Slice> l = new ArrayList<>(indices.length);
        for (int i : indices) l.add(at(i));
        return l;
    }

    static List<Slice> of(Slice... items) { return Arrays.asList(items); }
}
