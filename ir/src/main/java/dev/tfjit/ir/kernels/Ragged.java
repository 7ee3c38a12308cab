package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;

import java.util.List;

/**
 * Reference kernels of ragged tensors with one ragged dimension: flat {@code values[nvals, ...]}
 * and int64 {@code row_splits[nrows + 1]}, row i being {@code values[splits[i]:splits[i+1]]}.
 * Rows are contiguous runs of values, so every kernel moves whole rows with one copy.
 */
public final class Ragged {
    private Ragged() {}

    /** The elements of one value row (the product of the uniform inner dims). */
    static long rowWidth(Shape values) {
        long w = 1;
        for (int d = 1; d < values.rank(); d++) w *= values.dim(d);
        return w;
    }

    /**
     * Checks that splits start at 0, never decrease and end at the number of values, with
     * TF's wording for {@code from_row_splits(validate=True)}.
     */
    public static long[] checkSplits(Buffer splits, long nvals) {
        long[] s = splits.toLongArray();
        String prefix = "Arguments to from_row_splits do not form a valid RaggedTensor:";
        if (s.length == 0) throw new InvalidArgumentError(prefix + "row_splits must have at least one element");
        if (s[0] != 0) throw new InvalidArgumentError(prefix + "zero: row_splits[0] must be 0, got " + s[0]);
        for (int i = 1; i < s.length; i++) {
            if (s[i] < s[i - 1]) {
                throw new InvalidArgumentError(prefix + "monotonic: row_splits must be non-decreasing, got " + s[i - 1] + " then " + s[i]);
            }
        }
        if (s[s.length - 1] != nvals) {
            throw new InvalidArgumentError(prefix + "Condition x == y did not hold: the last row split is " + s[s.length - 1]
                    + " but there are " + nvals + " values");
        }
        return s;
    }

    /**
     * TF's {@code RaggedTensorToTensor} for one ragged dim: {@code [nrows, maxlen, inner...]},
     * short rows padded with {@code dflt}.
     */
    public static Buffer toTensor(Buffer values, Buffer splits, Buffer dflt) {
        Shape vs = values.shape();
        long[] s = checkSplits(splits, vs.dim(0));
        int nrows = s.length - 1;
        long maxLen = 0;
        for (int i = 0; i < nrows; i++) maxLen = Math.max(maxLen, s[i + 1] - s[i]);
        int[] dims = new int[vs.rank() + 1];
        dims[0] = nrows;
        dims[1] = Math.toIntExact(maxLen);
        for (int d = 1; d < vs.rank(); d++) dims[d + 1] = vs.dim(d);
        Buffer out = Buffer.allocate(values.dtype(), Shape.of(dims));
        long w = rowWidth(vs);
        for (long i = 0; i < out.size(); i++) StridedCopy.copyRun(dflt, 0, 0, out, i, 1, 1);
        for (int i = 0; i < nrows; i++) {
            StridedCopy.copyRun(values, s[i] * w, 1, out, i * maxLen * w, 1, (s[i + 1] - s[i]) * w);
        }
        return out;
    }

    /**
     * TF's {@code tf.concat(ragged, axis=1)}: row i of the result is row i of every input in
     * turn. Inputs alternate values and splits; all must have the same number of rows.
     */
    public static List<Buffer> concatRows(List<Buffer> in) {
        int k = in.size() / 2;
        long[][] splits = new long[k][];
        for (int j = 0; j < k; j++) splits[j] = checkSplits(in.get(2 * j + 1), in.get(2 * j).shape().dim(0));
        int nrows = splits[0].length - 1;
        for (int j = 1; j < k; j++) {
            if (splits[j].length - 1 != nrows) {
                throw new InvalidArgumentError("Input tensors at index 0 (=x.shape[0]) and " + j + " (=y.shape[0]) must have the same number of rows: "
                        + nrows + " vs. " + (splits[j].length - 1));
            }
        }
        Shape v0 = in.get(0).shape();
        long w = rowWidth(v0);
        long total = 0;
        for (int j = 0; j < k; j++) total += in.get(2 * j).shape().dim(0);
        Buffer values = Buffer.allocate(in.get(0).dtype(), v0.withDim(0, Math.toIntExact(total)));
        Buffer outSplits = Buffer.allocate(DType.INT64, Shape.of(nrows + 1));
        long at = 0;
        for (int i = 0; i < nrows; i++) {
            for (int j = 0; j < k; j++) {
                long len = splits[j][i + 1] - splits[j][i];
                StridedCopy.copyRun(in.get(2 * j), splits[j][i] * w, 1, values, at * w, 1, len * w);
                at += len;
            }
            outSplits.setLong(i + 1, at);
        }
        return List.of(values, outSplits);
    }

    /** The row splits of both operands of a ragged elementwise op must be identical. */
    public static Buffer sameSplits(Buffer a, Buffer b) {
        if (!a.contentEquals(b)) {
            throw new InvalidArgumentError("Inputs must have identical ragged splits. Condition x == y did not hold: row_splits "
                    + java.util.Arrays.toString(a.toLongArray()) + " vs. " + java.util.Arrays.toString(b.toLongArray()));
        }
        return a;
    }
}
