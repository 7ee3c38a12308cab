package dev.tfjit.codegen.llvm;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Nested loops over a shape, reading several operands with their own element strides (zero
 * on broadcast dims). Dims of size 1 are dropped and neighbours that every operand walks
 * contiguously are merged, so a same-shape elementwise kernel is one flat loop the vectorizer
 * handles, and broadcasting costs index arithmetic only where it really happens.
 */
public record LoopNest(long[] dims, List<long[]> strides) {

    public static LoopNest of(int[] shape, List<long[]> operandStrides) {
        List<Long> dims = new ArrayList<>();
        List<List<Long>> str = new ArrayList<>();
        for (int k = 0; k < operandStrides.size(); k++) str.add(new ArrayList<>());
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            int last = dims.size() - 1;
            boolean merge = last >= 0;
            for (int k = 0; merge && k < operandStrides.size(); k++) {
                merge = str.get(k).get(last) == operandStrides.get(k)[d] * shape[d];
            }
            if (merge) {
                dims.set(last, dims.get(last) * shape[d]);
                for (int k = 0; k < operandStrides.size(); k++) str.get(k).set(last, operandStrides.get(k)[d]);
            } else {
                dims.add((long) shape[d]);
                for (int k = 0; k < operandStrides.size(); k++) str.get(k).add(operandStrides.get(k)[d]);
            }
        }
        long[] d = dims.stream().mapToLong(Long::longValue).toArray();
        List<long[]> s = str.stream().map(l -> l.stream().mapToLong(Long::longValue).toArray()).toList();
        return new LoopNest(d, s);
    }

    public long count() {
        long n = 1;
        for (long d : dims) n *= d;
        return n;
    }

    /** Emits the loops; {@code body} receives each operand's element offset (an i64 operand). */
    void emit(IrFunction f, Consumer<List<String>> body) {
        emit(f, "0", dims.length == 0 ? "1" : Long.toString(dims[0]), body);
    }

    /**
     * Emits the loops with the outermost one running over {@code [from, to)} only (i64 operands),
     * the part of the nest one thread computes; a nest without loops runs its body once.
     */
    void emit(IrFunction f, String from, String to, Consumer<List<String>> body) {
        emit(f, 0, new String[dims.length], from, to, body, "");
    }

    /** {@link #emit(IrFunction, String, String, Consumer)} with {@code innermost} (loop metadata) on the innermost loop's latch. */
    void emit(IrFunction f, String from, String to, Consumer<List<String>> body, String innermost) {
        emit(f, 0, new String[dims.length], from, to, body, innermost);
    }

    /** The trip count of the outermost loop (1 for a nest without loops). */
    long outer() { return dims.length == 0 ? 1 : dims[0]; }

    private void emit(IrFunction f, int level, String[] ivs, String from, String to, Consumer<List<String>> body, String innermost) {
        if (level == dims.length) {
            List<String> offsets = new ArrayList<>(strides.size());
            for (long[] s : strides) offsets.add(offset(f, ivs, s));
            body.accept(offsets);
            return;
        }
        Consumer<String> inner = iv -> {
            ivs[level] = iv;
            emit(f, level + 1, ivs, from, to, body, innermost);
        };
        String latch = level == dims.length - 1 ? innermost : "";
        if (level == 0) f.forRange(from, to, inner, latch);
        else f.forLoop(Long.toString(dims[level]), inner, latch);
    }

    /** Each operand's offset at flat (row-major) position {@code flat} of the nest, by division. */
    List<String> offsetsOfFlat(IrFunction f, String flat) {
        String[] ivs = new String[dims.length];
        long suffix = 1;
        for (int l = dims.length - 1; l >= 0; l--) {
            String q = suffix == 1 ? flat : f.let("udiv i64 " + flat + ", " + suffix);
            ivs[l] = l == 0 ? q : f.let("urem i64 " + q + ", " + dims[l]);
            suffix *= dims[l];
        }
        List<String> offsets = new ArrayList<>(strides.size());
        for (long[] s : strides) offsets.add(offset(f, ivs, s));
        return offsets;
    }

    private static String offset(IrFunction f, String[] ivs, long[] s) {
        String acc = null;
        for (int l = 0; l < ivs.length; l++) {
            if (s[l] == 0) continue;
            String term = s[l] == 1 ? ivs[l] : f.let("mul nuw nsw i64 " + ivs[l] + ", " + s[l]);
            acc = acc == null ? term : f.let("add nuw nsw i64 " + acc + ", " + term);
        }
        return acc == null ? "0" : acc;
    }
}
