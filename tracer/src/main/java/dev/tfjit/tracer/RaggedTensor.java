package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;

import java.util.function.UnaryOperator;

/**
 * {@code tf.RaggedTensor} with one ragged dimension: flat {@code values[nvals, ...]} and int64
 * {@code rowSplits[nrows + 1]}, row i being {@code values[rowSplits[i]:rowSplits[i+1]]}. Built
 * through {@link TfRagged}, which checks the splits; a plain value of two tensors, so it works
 * eagerly and while tracing.
 */
public record RaggedTensor(Tensor values, Tensor rowSplits) {

    public DType dtype() { return values.dtype(); }

    /** The static shape {@code (nrows, None, inner...)}: the ragged dim is always unknown. */
    public Shape shape() {
        Shape v = values.shape(), s = rowSplits.shape();
        if (!v.hasRank()) return Shape.unknownRank();
        int[] dims = new int[v.rank() + 1];
        dims[0] = s.hasRank() && s.dim(0) >= 0 ? s.dim(0) - 1 : Shape.UNKNOWN;
        dims[1] = Shape.UNKNOWN;
        for (int d = 1; d < v.rank(); d++) dims[d + 1] = v.dim(d);
        return Shape.of(dims);
    }

    /** The number of rows, an int64 scalar. */
    public Tensor nrows() { return Tf.getItem(Tf.shape(rowSplits, DType.INT64), "0").sub(1); }

    /** {@code row_lengths()}: {@code splits[1:] - splits[:-1]}. */
    public Tensor rowLengths() { return Tf.subtract(Tf.getItem(rowSplits, "1:"), Tf.getItem(rowSplits, ":-1")); }

    /** Row {@code i} (negative counts from the end) as a dense tensor {@code [len, inner...]}. */
    public Tensor get(int i) {
        Tensor start = Tf.getItem(Tf.getItem(rowSplits, ":-1"), Integer.toString(i));
        Tensor limit = Tf.getItem(Tf.getItem(rowSplits, "1:"), Integer.toString(i));
        return Tf.gather(values, Tf.range(start, limit, Tf.onesLike(start)));
    }

    /** {@code to_tensor()}: short rows padded with zeros ("" for strings). */
    public Tensor toTensor() { return Tf.ragged.toTensor(this, Tf.zeros(new int[0], dtype())); }

    public Tensor toTensor(Number defaultValue) { return Tf.ragged.toTensor(this, Tf.scalarLike(values, defaultValue)); }

    /** {@code tf.ragged.map_flat_values(f, rt)}: {@code f} applied to the flat values, splits unchanged. */
    public RaggedTensor mapValues(UnaryOperator<Tensor> f) { return new RaggedTensor(f.apply(values), rowSplits); }

    public RaggedTensor add(Number y) { return mapValues(v -> v.add(y)); }

    public RaggedTensor sub(Number y) { return mapValues(v -> v.sub(y)); }

    public RaggedTensor mul(Number y) { return mapValues(v -> v.mul(y)); }

    public RaggedTensor div(Number y) { return mapValues(v -> v.div(y)); }

    /** Elementwise with a ragged tensor of identical row splits (TF's error otherwise). */
    public RaggedTensor add(RaggedTensor y) { return Tf.ragged.elementwise(this, y, Tf::add); }

    public RaggedTensor sub(RaggedTensor y) { return Tf.ragged.elementwise(this, y, Tf::subtract); }

    public RaggedTensor mul(RaggedTensor y) { return Tf.ragged.elementwise(this, y, Tf::multiply); }

    public RaggedTensor div(RaggedTensor y) { return Tf.ragged.elementwise(this, y, Tf::divide); }

    /**
     * TensorFlow's printed form, {@code <tf.RaggedTensor [[1, 2], [3]]>}; while tracing, the
     * components, as TF prints a graph ragged tensor.
     */
    @Override
    public String toString() {
        if (values.isSymbolic() || rowSplits.isSymbolic()) {
            return "tf.RaggedTensor(values=" + values + ", row_splits=" + rowSplits + ")";
        }
        return "<tf.RaggedTensor " + RaggedFormat.toPythonList(values.buffer(), rowSplits.toLongArray()) + ">";
    }
}
