package dev.tfjit.ir.ops;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.kernels.Ragged;

import java.util.ArrayList;
import java.util.List;

/**
 * Ops of ragged tensors with one ragged dimension, given as flat {@code values[nvals, ...]} and
 * int64 {@code row_splits[nrows + 1]}. Everything else about ragged tensors (row lengths,
 * indexing, elementwise ops) is composed from ordinary ops in the tracer, as TF's Python does.
 */
public final class RaggedOps {
    private RaggedOps() {}

    /** {@code ragged_check_splits %row_splits, %values}: the splits, after checking they describe the values. */
    public static final OpDef RAGGED_CHECK_SPLITS = OpDef.op("ragged_check_splits").inputs(2)
            .type((in, a) -> {
                checkSplitsType("ragged_check_splits", in.get(0));
                checkValuesType("ragged_check_splits", in.get(1));
                return in.get(0);
            })
            .kernel1((in, a) -> {
                Ragged.checkSplits(in.get(0), in.get(1).shape().dim(0));
                return in.get(0);
            })
            .build();

    /** {@code ragged_to_tensor %values, %row_splits, %default}: a dense {@code [nrows, maxlen, inner...]} tensor. */
    public static final OpDef RAGGED_TO_TENSOR = OpDef.op("ragged_to_tensor").inputs(3)
            .type((in, a) -> {
                TensorType values = in.get(0);
                checkValuesType("ragged_to_tensor", values);
                Shape splits = checkSplitsType("ragged_to_tensor", in.get(1));
                if (in.get(2).dtype() != values.dtype()) {
                    throw new DTypeError("ragged_to_tensor: default_value must have the values' dtype " + values.dtype() + ", got " + in.get(2).dtype());
                }
                if (in.get(2).shape().hasRank() && in.get(2).shape().rank() != 0) {
                    throw new InvalidArgumentError("ragged_to_tensor: default_value must be a scalar, got shape " + in.get(2).shape().brief());
                }
                if (!values.shape().hasRank()) return new TensorType(values.dtype(), Shape.unknownRank());
                int[] dims = new int[values.shape().rank() + 1];
                dims[0] = splits.hasRank() && splits.dim(0) >= 0 ? splits.dim(0) - 1 : Shape.UNKNOWN;
                dims[1] = Shape.UNKNOWN;
                for (int d = 1; d < values.shape().rank(); d++) dims[d + 1] = values.shape().dim(d);
                return new TensorType(values.dtype(), Shape.of(dims));
            })
            .kernel1((in, a) -> Ragged.toTensor(in.get(0), in.get(1), in.get(2)))
            .build();

    /** {@code ragged_concat_rows %values0, %splits0, %values1, %splits1, ...}: concat along the ragged axis (axis 1). */
    public static final OpDef RAGGED_CONCAT_ROWS = OpDef.op("ragged_concat_rows").variadic(2)
            .types((in, a, r) -> {
                if (in.size() % 2 != 0) throw new InvalidArgumentError("ragged_concat_rows: inputs must alternate values and row splits");
                TensorType v0 = in.get(0);
                Shape inner = null;
                int rows = Shape.UNKNOWN;
                for (int j = 0; j < in.size(); j += 2) {
                    TensorType v = in.get(j);
                    checkValuesType("ragged_concat_rows", v);
                    Shape s = checkSplitsType("ragged_concat_rows", in.get(j + 1));
                    if (v.dtype() != v0.dtype()) {
                        throw new DTypeError("ragged_concat_rows: all inputs must have the same dtype, got " + v0.dtype() + " and " + v.dtype());
                    }
                    if (v.shape().hasRank()) {
                        Shape tail = Shape.of(java.util.Arrays.copyOfRange(v.shape().dims(), 1, v.shape().rank()));
                        if (inner != null && inner.isFullyKnown() && tail.isFullyKnown() && !inner.equals(tail)) {
                            throw new InvalidArgumentError("ragged_concat_rows: inner dims must match, got " + inner.brief() + " and " + tail.brief());
                        }
                        inner = inner == null ? tail : inner.mostSpecificCommon(tail);
                    }
                    if (s.hasRank() && s.dim(0) >= 0) {
                        if (rows >= 0 && rows != s.dim(0)) {
                            throw new InvalidArgumentError("ragged_concat_rows: all inputs must have the same number of rows, got "
                                    + (rows - 1) + " and " + (s.dim(0) - 1));
                        }
                        rows = s.dim(0);
                    }
                }
                Shape values;
                if (inner == null || !inner.hasRank()) values = Shape.unknownRank();
                else {
                    List<Integer> d = new ArrayList<>();
                    d.add(Shape.UNKNOWN);
                    for (int x : inner.dims()) d.add(x);
                    values = Shape.of(d.stream().mapToInt(Integer::intValue).toArray());
                }
                return List.of(new TensorType(v0.dtype(), values), new TensorType(DType.INT64, Shape.of(rows)));
            })
            .kernel((in, a, r) -> Ragged.concatRows(in))
            .build();

    /** {@code ragged_same_splits %a, %b}: {@code a}, after checking both splits are identical (ragged elementwise ops). */
    public static final OpDef RAGGED_SAME_SPLITS = OpDef.op("ragged_same_splits").inputs(2)
            .type((in, a) -> {
                checkSplitsType("ragged_same_splits", in.get(0));
                Shape b = checkSplitsType("ragged_same_splits", in.get(1));
                Shape s = in.get(0).shape();
                if (s.isFullyKnown() && b.isFullyKnown() && !s.equals(b)) {
                    throw new InvalidArgumentError("Inputs must have identical ragged splits: row_splits shapes " + s.brief() + " vs. " + b.brief());
                }
                return new TensorType(DType.INT64, s.mostSpecificCommon(b));
            })
            .kernel1((in, a) -> Ragged.sameSplits(in.get(0), in.get(1)))
            .build();

    private static Shape checkSplitsType(String op, TensorType splits) {
        if (splits.dtype() != DType.INT64) throw new DTypeError(op + ": row_splits must be int64, got " + splits.dtype());
        if (splits.shape().hasRank() && splits.shape().rank() != 1) {
            throw new InvalidArgumentError(op + ": row_splits must be a vector, got shape " + splits.shape().brief());
        }
        return splits.shape();
    }

    private static void checkValuesType(String op, TensorType values) {
        if (values.shape().hasRank() && values.shape().rank() == 0) {
            throw new InvalidArgumentError(op + ": values must have rank at least 1, got a scalar");
        }
    }
}
