package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;

import java.util.List;

/**
 * {@code InTopKV2(predictions, targets)} with attr {@code k}: whether each row's target class is
 * among its k largest predictions. As TF's kernel: a target counts when fewer than k predictions
 * are strictly larger (so ties favour it), and a non-finite target prediction or an
 * out-of-range target id gives false.
 */
public final class InTopK {
    private InTopK() {}

    public static TensorType type(List<TensorType> in, Attrs a) {
        TensorType predictions = in.get(0), targets = in.get(1);
        if (predictions.dtype() != DType.FLOAT32) {
            throw new DTypeError("Value for attr 'T' of " + predictions.dtype() + " is not in the list of allowed values for in_top_k: float");
        }
        if (targets.dtype() != DType.INT32 && targets.dtype() != DType.INT64) {
            throw new DTypeError("in_top_k: targets must be int32 or int64, got " + targets.dtype());
        }
        Shape p = predictions.shape(), t = targets.shape();
        if (p.hasRank() && p.rank() != 2) throw new InvalidArgumentError("predictions must be 2-dimensional, got shape " + p.brief());
        if (t.hasRank() && t.rank() != 1) throw new InvalidArgumentError("targets must be 1-dimensional, got shape " + t.brief());
        int batch = p.hasRank() ? p.dim(0) : Shape.UNKNOWN;
        if (t.hasRank() && batch != Shape.UNKNOWN && t.dim(0) != Shape.UNKNOWN && t.dim(0) != batch) {
            throw new InvalidArgumentError("First dimension of predictions " + batch + " must match length of targets " + t.dim(0));
        }
        return new TensorType(DType.BOOL, Shape.of(batch != Shape.UNKNOWN ? batch : t.hasRank() ? t.dim(0) : Shape.UNKNOWN));
    }

    public static Buffer run(Buffer predictions, Buffer targets, Attrs a) {
        long k = a.getLong("k");
        int batch = predictions.shape().dim(0), classes = predictions.shape().dim(1);
        float[] p = predictions.toFloatArray();
        long[] ids = targets.toLongArray();
        Buffer out = Buffer.allocate(DType.BOOL, Shape.of(batch));
        for (int b = 0; b < batch; b++) {
            long id = ids[b];
            boolean in = false;
            if (id >= 0 && id < classes && Float.isFinite(p[b * classes + (int) id])) {
                float target = p[b * classes + (int) id];
                int larger = 0;
                for (int j = 0; j < classes; j++) if (p[b * classes + j] > target) larger++;
                in = larger < k;
            }
            out.setLong(b, in ? 1 : 0);
        }
        return out;
    }
}
