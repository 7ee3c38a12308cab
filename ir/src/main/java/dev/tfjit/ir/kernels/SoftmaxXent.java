package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;

import java.util.List;

/**
 * The fused softmax cross-entropy kernels on {@code [batch, classes]} logits; both return the
 * per-example loss and the backprop ({@code softmax - labels}), as TF's kernels do. Work is done
 * in double per row and rounded once per output, which keeps float32 within TF's rounding.
 *
 * <p>Dense: labels broadcast against logits (TF's {@code SoftmaxCrossEntropyWithLogits} does
 * too). Sparse: int32/int64 class ids, checked to be in {@code [0, classes)}.
 */
public final class SoftmaxXent {
    private SoftmaxXent() {}

    public static List<TensorType> denseTypes(List<TensorType> in) {
        TensorType logits = in.get(0), labels = in.get(1);
        String op = "softmax_cross_entropy_with_logits";
        Softmax.checkFloat(op, logits.dtype());
        Elementwise.sameDType(op, in);
        Shape shape = Broadcast.shapes(logits.shape(), labels.shape());
        if (shape.hasRank() && shape.rank() != 2) {
            throw new InvalidArgumentError("logits and labels must be either 2-dimensional, or broadcasted to be 2-dimensional");
        }
        Shape loss = shape.hasRank() ? Shape.of(shape.dim(0)) : Shape.unknownDims(1);
        return List.of(new TensorType(logits.dtype(), loss), new TensorType(logits.dtype(), shape.hasRank() ? shape : Shape.unknownDims(2)));
    }

    public static List<TensorType> sparseTypes(List<TensorType> in) {
        TensorType logits = in.get(0), labels = in.get(1);
        Softmax.checkFloat("sparse_softmax_cross_entropy_with_logits", logits.dtype());
        if (labels.dtype() != DType.INT32 && labels.dtype() != DType.INT64) {
            throw new DTypeError("Value for attr 'Tlabels' of " + labels.dtype()
                    + " is not in the list of allowed values for sparse_softmax_cross_entropy_with_logits: int32, int64");
        }
        Shape ls = logits.shape(), bs = labels.shape();
        if (ls.hasRank() && ls.rank() != 2) throw new InvalidArgumentError("logits must be 2-D, but got shape " + ls.brief());
        if (bs.hasRank() && bs.rank() != 1) throw new InvalidArgumentError("labels must be 1-D, but got shape " + bs.brief());
        if (ls.hasRank() && bs.hasRank() && ls.dim(0) != Shape.UNKNOWN && bs.dim(0) != Shape.UNKNOWN && ls.dim(0) != bs.dim(0)) {
            throw new InvalidArgumentError("logits and labels must have the same first dimension, got logits shape "
                    + ls.brief() + " and labels shape " + bs.brief());
        }
        int batch = ls.hasRank() && ls.dim(0) != Shape.UNKNOWN ? ls.dim(0) : bs.hasRank() ? bs.dim(0) : Shape.UNKNOWN;
        int classes = ls.hasRank() ? ls.dim(1) : Shape.UNKNOWN;
        return List.of(new TensorType(logits.dtype(), Shape.of(batch)), new TensorType(logits.dtype(), Shape.of(batch, classes)));
    }

    public static List<Buffer> dense(Buffer logits, Buffer labels) {
        Shape shape = Broadcast.shapes(logits.shape(), labels.shape());
        double[] x = Permute.broadcastTo(logits, shape).toDoubleArray();
        double[] y = Permute.broadcastTo(labels, shape).toDoubleArray();
        return run(logits.dtype(), shape.dim(0), shape.dim(1), x, y, null);
    }

    public static List<Buffer> sparse(Buffer logits, Buffer labels) {
        int batch = logits.shape().dim(0), classes = logits.shape().dim(1);
        long[] ids = labels.toLongArray();
        for (long id : ids) {
            if (id < 0 || id >= classes) {
                StringBuilder all = new StringBuilder();
                for (long v : ids) all.append(all.isEmpty() ? "" : " ").append(v);
                throw new InvalidArgumentError("Received a label value of " + id + " which is outside the valid range of [0, "
                        + classes + ").  Label values: " + all);
            }
        }
        return run(logits.dtype(), batch, classes, logits.toDoubleArray(), null, ids);
    }

    /** One of {@code dense} (row-major labels) or {@code ids} (one class per row) is given. */
    private static List<Buffer> run(DType t, int batch, int classes, double[] x, double[] dense, long[] ids) {
        Buffer loss = Buffer.allocate(t, Shape.of(batch));
        Buffer backprop = Buffer.allocate(t, Shape.of(batch, classes));
        double[] e = new double[classes];
        for (int b = 0; b < batch; b++) {
            int off = b * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) if (x[off + j] > max || x[off + j] != x[off + j]) max = x[off + j];
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                e[j] = Math.exp(x[off + j] - max);
                sum += e[j];
            }
            double logSum = Math.log(sum);
            double l = 0;
            for (int j = 0; j < classes; j++) {
                double label = dense != null ? dense[off + j] : (ids[b] == j ? 1 : 0);
                if (dense != null) l += label * (logSum - (x[off + j] - max));
                backprop.setDouble(off + j, Fn.ftz(e[j] / sum - label));
            }
            if (ids != null) l = logSum - (x[off + (int) ids[b]] - max);
            loss.setDouble(b, Fn.ftz(l));
        }
        return List.of(loss, backprop);
    }
}
