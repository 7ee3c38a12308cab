package dev.tfjit.tracer;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.kernels.StridedCopy;
import dev.tfjit.ir.ops.RaggedOps;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;

/** {@code tf.ragged}, reached as {@code Tf.ragged.constant(new int[][] {{1, 2}, {3}})}. */
public final class TfRagged {
    TfRagged() {}

    /**
     * {@code tf.ragged.constant}: a Java jagged array is a ragged list ({@code new int[][] {{1, 2},
     * {3}}}); rows of a {@code float[][][]} may hold uniform inner rows. The dtype follows the
     * Java type, as {@link Tf#constant(Object)} does.
     */
    public RaggedTensor constant(Object jaggedRows) {
        if (jaggedRows instanceof List<?> rows) return constant(rowsAsArray(rows));
        if (!jaggedRows.getClass().isArray() || !jaggedRows.getClass().getComponentType().isArray()) {
            throw new TfException("Tf.ragged.constant needs an array of rows (e.g. int[][]), got " + jaggedRows.getClass().getSimpleName());
        }
        DType dtype = JavaArrays.dtypeOf(jaggedRows);
        int n = Array.getLength(jaggedRows);
        List<Buffer> rows = new ArrayList<>(n);
        long[] splits = new long[n + 1];
        Shape inner = null;
        for (int i = 0; i < n; i++) {
            Buffer row = JavaArrays.toBuffer(Array.get(jaggedRows, i), dtype);
            Shape tail = Shape.of(java.util.Arrays.copyOfRange(row.shape().dims(), 1, row.shape().rank()));
            if (row.shape().dim(0) > 0) {
                if (inner != null && !inner.equals(tail)) {
                    throw new TfException("Tf.ragged.constant: all rows must have the same inner shape, got " + inner + " and " + tail);
                }
                inner = tail;
            }
            rows.add(row);
            splits[i + 1] = splits[i] + row.shape().dim(0);
        }
        int[] dims = inner == null ? new int[] {0} : new int[inner.rank() + 1];
        if (inner != null) System.arraycopy(inner.dims(), 0, dims, 1, inner.rank());
        dims[0] = Math.toIntExact(splits[n]);
        Buffer values = Buffer.allocate(dtype, Shape.of(dims));
        long at = 0;
        for (Buffer row : rows) {
            StridedCopy.copyRun(row, 0, 1, values, at, 1, row.size());
            at += row.size();
        }
        return new RaggedTensor(Tf.fromBuffer(values), Tf.constant(splits, DType.INT64));
    }

    /**
     * Nested Java lists ({@code List.of(List.of(1, 2), List.of(3))}) as the jagged array
     * {@link #constant(Object)} takes; element types follow TF's Python rules: Integer int32, Long
     * int64, Float and Double float32, Boolean bool, String string.
     */
    private static Object rowsAsArray(List<?> rows) {
        Class<?> element = null;
        for (Object row : rows) {
            if (!(row instanceof List<?> r)) throw new TfException("Tf.ragged.constant: each row must be a List, got " + row);
            for (Object x : r) {
                if (x == null) throw new TfException("Tf.ragged.constant: rows cannot hold null");
                Class<?> c = primitiveFor(x);
                if (element != null && element != c) {
                    throw new TfException("Tf.ragged.constant: rows mix " + element.getSimpleName() + " and " + c.getSimpleName() + " values");
                }
                element = c;
            }
        }
        if (element == null) element = float.class; // TF: an all-empty ragged list is float32
        Object out = Array.newInstance(element.arrayType(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            List<?> r = (List<?>) rows.get(i);
            Object row = Array.newInstance(element, r.size());
            for (int j = 0; j < r.size(); j++) {
                Object x = r.get(j);
                if (element == float.class) Array.setFloat(row, j, ((Number) x).floatValue());
                else Array.set(row, j, x);
            }
            Array.set(out, i, row);
        }
        return out;
    }

    private static Class<?> primitiveFor(Object x) {
        return switch (x) {
            case Integer i -> int.class;
            case Long l -> long.class;
            case Float f -> float.class;
            case Double d -> float.class;
            case Boolean b -> boolean.class;
            case String s -> String.class;
            default -> throw new TfException("Tf.ragged.constant: unsupported element " + x.getClass().getSimpleName());
        };
    }

    /** {@code tf.RaggedTensor.from_row_splits}: checked (start at 0, non-decreasing, end at the number of values). */
    public RaggedTensor fromRowSplits(Tensor values, Tensor rowSplits) {
        Tensor splits = rowSplits.dtype() == DType.INT32 ? Tf.cast(rowSplits, DType.INT64) : rowSplits;
        return new RaggedTensor(values, Tf.apply1(RaggedOps.RAGGED_CHECK_SPLITS, Attrs.EMPTY, splits, values));
    }

    /** {@code tf.RaggedTensor.from_row_lengths}: splits are the running sum of the lengths, from 0. */
    public RaggedTensor fromRowLengths(Tensor values, Tensor rowLengths) {
        Tensor lengths = rowLengths.dtype() == DType.INT64 ? rowLengths : Tf.cast(rowLengths, DType.INT64);
        Tensor splits = Tf.concat(List.of(Tf.zeros(new int[] {1}, DType.INT64), Tf.cumsum(lengths, 0)), 0);
        return fromRowSplits(values, splits);
    }

    /** {@code rt.to_tensor(default_value)}: {@code [nrows, longest row, inner...]}. */
    public Tensor toTensor(RaggedTensor rt, Tensor defaultValue) {
        return Tf.apply1(RaggedOps.RAGGED_TO_TENSOR, Attrs.EMPTY, rt.values(), rt.rowSplits(), defaultValue);
    }

    /**
     * {@code tf.concat(ragged, axis)}: axis 0 stacks the rows of every input (values joined,
     * splits shifted as TF's Python does); axis 1 joins row i of every input into row i.
     */
    public RaggedTensor concat(List<RaggedTensor> inputs, int axis) {
        if (inputs.isEmpty()) throw new TfException("Tf.ragged.concat needs at least one input");
        if (axis == 0) {
            List<Tensor> values = new ArrayList<>(), splits = new ArrayList<>();
            Tensor offset = null;
            for (RaggedTensor rt : inputs) {
                values.add(rt.values());
                splits.add(offset == null ? rt.rowSplits() : Tf.add(Tf.getItem(rt.rowSplits(), "1:"), offset));
                offset = Tf.getItem(splits.get(splits.size() - 1), "-1");
            }
            return new RaggedTensor(Tf.concat(values, 0), Tf.concat(splits, 0));
        }
        if (axis == 1 || axis == -1 && inputs.get(0).values().rank() == 1) {
            Tensor[] in = new Tensor[2 * inputs.size()];
            for (int j = 0; j < inputs.size(); j++) {
                in[2 * j] = inputs.get(j).values();
                in[2 * j + 1] = inputs.get(j).rowSplits();
            }
            List<Tensor> out = Tf.apply(RaggedOps.RAGGED_CONCAT_ROWS, Attrs.EMPTY, in);
            return new RaggedTensor(out.get(0), out.get(1));
        }
        throw new TfException("Tf.ragged.concat: axis must be 0 or 1 (the ragged axis), got " + axis);
    }

    /** An elementwise op on two ragged tensors with identical row splits (checked, as TF does). */
    public RaggedTensor elementwise(RaggedTensor x, RaggedTensor y, BinaryOperator<Tensor> op) {
        Tensor splits = Tf.apply1(RaggedOps.RAGGED_SAME_SPLITS, Attrs.EMPTY, x.rowSplits(), y.rowSplits());
        return new RaggedTensor(op.apply(x.values(), y.values()), splits);
    }
}
