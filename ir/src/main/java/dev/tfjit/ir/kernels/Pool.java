package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;

import java.util.List;

import static dev.tfjit.ir.kernels.Fn.ftz;

/**
 * 2-D max and average pooling over NHWC inputs, and their gradients. Windows cover only the
 * input elements inside the input (SAME padding is never read), so every window has at least
 * one element and an average divides by the elements it covered, as TensorFlow does.
 *
 * <ul>
 * <li>max: the first element of the window in row-major (kh, kw) order, replaced by every later
 * element that is greater or NaN (NaN wins, as in reduce_max). Elements are compared unflushed.
 * <li>max_pool_grad: each output's gradient is added to the input element that won its window
 * (the same rule), output positions in increasing order.
 * <li>avg: the flushed elements summed in window order, divided by their count.
 * <li>avg_pool_grad: each output's gradient divided by its window's count is added to every
 * element of the window, output positions in increasing order.
 * </ul>
 * Narrow floats compute in float32 (every sum rounded to float) and round once at the end; sums
 * are flushed to zero once, when stored.
 */
public final class Pool {
    private Pool() {}

    private static final AllowedTypes FLOATS = AllowedTypes.of("pooling", AllowedTypes.FLOATING);

    /** {@code max_pool(input)} / {@code avg_pool(input)}: {@code [N, H, W, C] -> [N, outH, outW, C]}. */
    public static TensorType type(String tfOp, List<TensorType> in, Attrs a) {
        TensorType x = in.get(0);
        checkDType(tfOp, x.dtype());
        Window2d w = Window2d.pool(a, tfOp);
        Shape s = x.shape();
        if (!s.hasRank()) return new TensorType(x.dtype(), Shape.unknownDims(4));
        if (s.rank() != 4) throw new InvalidArgumentError("tensor_in must be 4-dimensional");
        return new TensorType(x.dtype(), w.outputShape(s, s.dim(3)));
    }

    /** {@code max_pool_grad(input, dy)} / {@code avg_pool_grad(input, dy)}: the gradient for {@code input} (only its shape is read by avg). */
    public static TensorType gradType(String tfOp, List<TensorType> in, Attrs a) {
        Elementwise.sameDType(tfOp, in);
        TensorType y = type(tfOp, in.subList(0, 1), a);
        Shape dy = in.get(1).shape();
        if (dy.hasRank() && y.shape().hasRank() && !y.shape().accepts(dy) && !dy.accepts(y.shape())) {
            throw new InvalidArgumentError(tfOp + ": out_backprop of shape " + dy.brief() + " does not match the pooled output shape "
                    + y.shape().brief());
        }
        return in.get(0);
    }

    private static void checkDType(String tfOp, DType t) {
        if (!FLOATS.allows(t)) {
            throw new dev.tfjit.ir.DTypeError("Value for attr 'T' of " + AllowedTypes.tfInternalName(t)
                    + " is not in the list of allowed values: " + AllowedTypes.FLOATING + "\n\t; NodeDef: {{node " + tfOp + "}}");
        }
    }

    /** The window of a pooling node over its concrete input shape. */
    public static Window2d.Placed place(Shape input, Attrs a, String tfOp) { return Window2d.pool(a, tfOp).place(input); }

    // ------------------------------------------------------------ kernels

    public static Buffer maxPool(Buffer x, Attrs a) {
        Shape outShape = type("MaxPool", List.of(x.type()), a).shape();
        Window2d.Placed p = place(x.shape(), a, "MaxPool");
        Buffer out = Buffer.allocate(x.dtype(), outShape);
        long[] winner = winners(x, p);
        for (long o = 0; o < winner.length; o++) out.setDouble(o, x.getDouble(winner[(int) o]));
        return out;
    }

    public static Buffer maxPoolGrad(Buffer x, Buffer dy, Attrs a) {
        gradType("MaxPoolGrad", List.of(x.type(), dy.type()), a);
        Window2d.Placed p = place(x.shape(), a, "MaxPoolGrad");
        boolean f32 = ComputeType.of(x.dtype()) == ComputeType.F32;
        double[] acc = new double[Math.toIntExact(x.size())];
        long[] winner = winners(x, p);
        for (int o = 0; o < winner.length; o++) {
            int i = (int) winner[o];
            double s = acc[i] + flushed(dy.getDouble(o), f32);
            acc[i] = f32 ? (float) s : s;
        }
        return stored(acc, x.dtype(), x.shape(), f32);
    }

    public static Buffer avgPool(Buffer x, Attrs a) {
        Shape outShape = type("AvgPool", List.of(x.type()), a).shape();
        Window2d.Placed p = place(x.shape(), a, "AvgPool");
        boolean f32 = ComputeType.of(x.dtype()) == ComputeType.F32;
        double[] sum = new double[Math.toIntExact(outShape.numElements())];
        int[] count = new int[sum.length];
        forEachWindow(p, (o, in) -> {
            sum[(int) o] = flushed(x.getDouble(in), f32);
            count[(int) o] = 1;
        }, (o, in) -> {
            double s = sum[(int) o] + flushed(x.getDouble(in), f32);
            sum[(int) o] = f32 ? (float) s : s;
            count[(int) o]++;
        });
        for (int o = 0; o < sum.length; o++) sum[o] = f32 ? (float) (sum[o] / count[o]) : sum[o] / count[o];
        return stored(sum, x.dtype(), outShape, f32);
    }

    public static Buffer avgPoolGrad(Buffer x, Buffer dy, Attrs a) {
        gradType("AvgPoolGrad", List.of(x.type(), dy.type()), a);
        Window2d.Placed p = place(x.shape(), a, "AvgPoolGrad");
        boolean f32 = ComputeType.of(x.dtype()) == ComputeType.F32;
        int[] count = new int[Math.toIntExact(p.outputPositions() * p.channels())];
        forEachWindow(p, (o, in) -> count[(int) o] = 1, (o, in) -> count[(int) o]++);
        double[] acc = new double[Math.toIntExact(x.size())];
        forEachWindow(p, (o, in) -> add(acc, in, dy, o, count, f32), (o, in) -> add(acc, in, dy, o, count, f32));
        return stored(acc, x.dtype(), x.shape(), f32);
    }

    private static void add(double[] acc, long in, Buffer dy, long o, int[] count, boolean f32) {
        double share = flushed(dy.getDouble(o), f32) / count[(int) o];
        share = f32 ? ftz((float) share) : ftz(share);
        double s = acc[(int) in] + share;
        acc[(int) in] = f32 ? (float) s : s;
    }

    /** The input index that wins each output's max window. */
    private static long[] winners(Buffer x, Window2d.Placed p) {
        long[] winner = new long[Math.toIntExact(p.outputPositions() * p.channels())];
        double[] best = new double[winner.length];
        forEachWindow(p, (o, in) -> {
            winner[(int) o] = in;
            best[(int) o] = x.getDouble(in);
        }, (o, in) -> {
            double v = x.getDouble(in);
            if (v > best[(int) o] || v != v) {
                best[(int) o] = v;
                winner[(int) o] = in;
            }
        });
        return winner;
    }

    private static double flushed(double v, boolean f32) { return f32 ? ftz((float) v) : ftz(v); }

    private static Buffer stored(double[] v, DType t, Shape s, boolean f32) {
        Buffer out = Buffer.allocate(t, s);
        for (int i = 0; i < v.length; i++) out.setDouble(i, f32 ? ftz((float) v[i]) : ftz(v[i]));
        return out;
    }

    /** Called with (output index, input index) for each window element inside the input. */
    @FunctionalInterface
    private interface Visit {
        void at(long out, long in);
    }

    /**
     * Visits every window element inside the input: {@code first} for the first element of
     * each output's window, {@code next} for the rest, in output order, then window row, then
     * window column.
     */
    private static void forEachWindow(Window2d.Placed p, Visit first, Visit next) {
        int ch = p.channels();
        long o = 0;
        for (int b = 0; b < p.batch(); b++) {
            for (int oh = 0; oh < p.outH(); oh++) {
                for (int ow = 0; ow < p.outW(); ow++, o += ch) {
                    boolean firstTap = true;
                    for (int kh = 0; kh < p.w().kH(); kh++) {
                        int ih = p.inRow(oh, kh);
                        if (ih < 0 || ih >= p.inH()) continue;
                        for (int kw = 0; kw < p.w().kW(); kw++) {
                            int iw = p.inCol(ow, kw);
                            if (iw < 0 || iw >= p.inW()) continue;
                            long in = (((long) b * p.inH() + ih) * p.inW() + iw) * ch;
                            Visit v = firstTap ? first : next;
                            for (int c = 0; c < ch; c++) v.at(o + c, in + c);
                            firstTap = false;
                        }
                    }
                }
            }
        }
    }
}
