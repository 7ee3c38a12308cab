package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.UnimplementedError;

import java.lang.foreign.MemorySegment;
import java.util.List;

import static dev.tfjit.ir.kernels.Fn.ftz;

/**
 * {@code conv2d} (NHWC input, HWIO filter) and its two gradients, defined through a matrix
 * product: the input's patches form a matrix {@code P[M, K]} with one row per output position
 * ({@code M = batch * outH * outW}) and one column per filter tap ({@code K = kH * kW * inC}, in
 * filter order, zeros where a tap falls in the padding), and the filter is already the matrix
 * {@code W[K, outC]}. Then
 * <ul>
 * <li>{@code conv2d = P · W},
 * <li>{@code conv2d_backprop_filter = Pᵀ · dy} (dy seen as {@code [M, outC]}),
 * <li>{@code conv2d_backprop_input = col2im(dy · Wᵀ)}: each patch gradient is added back to the
 * input elements it was read from, in increasing output position then tap.
 * </ul>
 * The products are {@link MatMul}'s, so every element is the same FMA chain as there (and in the
 * compiled kernels, which use the same decomposition): bit-exact agreement by construction.
 * Narrow floats compute in float32 and round once at the end; float32 is flushed to zero like
 * matmul, float64 is not.
 */
public final class Conv {
    private static final AllowedTypes CONV2D = AllowedTypes.of("Conv2D", "half, bfloat16, float, double, int32");

    private Conv() {}

    // ------------------------------------------------------------ types

    /** {@code conv2d(input, filter)}: {@code [N, H, W, C] x [kH, kW, C, outC] -> [N, outH, outW, outC]}. */
    public static TensorType type(List<TensorType> in, Attrs a) {
        DType t = dtype("conv2d", in);
        Shape x = in.get(0).shape(), f = in.get(1).shape();
        if (x.hasRank() && x.rank() != 4) throw new InvalidArgumentError("input must be 4-dimensional" + x.brief());
        if (f.hasRank() && f.rank() != 4) throw new InvalidArgumentError("filter must be 4-dimensional: " + f.brief());
        int kH = f.hasRank() ? f.dim(0) : Shape.UNKNOWN, kW = f.hasRank() ? f.dim(1) : Shape.UNKNOWN;
        Window2d w = Window2d.conv(a, Math.max(kH, 1), Math.max(kW, 1));
        if (x.hasRank() && f.hasRank()) checkDepth(x.dim(3), f.dim(2));
        int outC = f.hasRank() ? f.dim(3) : Shape.UNKNOWN;
        if (!x.hasRank()) return new TensorType(t, Shape.unknownDims(4));
        if (kH == Shape.UNKNOWN || kW == Shape.UNKNOWN) return new TensorType(t, Shape.of(x.dim(0), Shape.UNKNOWN, Shape.UNKNOWN, outC));
        return new TensorType(t, w.outputShape(x, outC));
    }

    /**
     * {@code conv2d_backprop_input(input, filter, dy)} and {@code conv2d_backprop_filter(input,
     * filter, dy)}: the gradient of conv2d for its input (shaped like {@code input}, whose values
     * are not read) or its filter (shaped like {@code filter}, likewise).
     */
    public static TensorType backpropType(String op, List<TensorType> in, Attrs a, boolean forInput) {
        dtype(op, in);
        TensorType y = type(in.subList(0, 2), a);
        Shape dy = in.get(2).shape(), expected = y.shape();
        if (dy.hasRank() && dy.rank() != 4) throw new InvalidArgumentError(op + ": out_backprop must be 4-dimensional, got " + dy.brief());
        if (dy.hasRank() && expected.hasRank()) {
            for (int i = 0; i < 4; i++) {
                int got = dy.dim(i), want = expected.dim(i);
                if (got != Shape.UNKNOWN && want != Shape.UNKNOWN && got != want) {
                    throw new InvalidArgumentError(op + ": Size of out_backprop doesn't match computed: actual = " + got + ", computed = " + want
                            + " in dim " + i + " (out_backprop " + dy.brief() + ", conv2d output " + expected.brief() + ")");
                }
            }
        }
        return in.get(forInput ? 0 : 1);
    }

    private static DType dtype(String op, List<TensorType> in) {
        DType t = Elementwise.sameDType(op, in);
        CONV2D.check(t);
        if (!t.isFloating()) throw new UnimplementedError(op + " on " + t + " is not supported; cast to a float dtype");
        return t;
    }

    private static void checkDepth(int inC, int filterC) {
        if (inC == Shape.UNKNOWN || filterC == Shape.UNKNOWN) return;
        if (filterC <= 0) throw new InvalidArgumentError("filter depth must be stricly positive, got " + filterC);
        if (inC % filterC != 0) throw new InvalidArgumentError("input depth must be evenly divisible by filter depth: " + inC + " vs " + filterC);
        if (inC != filterC) {
            throw new UnimplementedError("grouped convolution (input depth " + inC + ", filter depth " + filterC + ") is not supported");
        }
    }

    /** The window of a conv2d node over its concrete input and filter shapes. */
    public static Window2d.Placed place(Shape input, Shape filter, Attrs a) {
        return Window2d.conv(a, filter.dim(0), filter.dim(1)).place(input);
    }

    // ------------------------------------------------------------ kernels

    public static Buffer conv2d(Buffer x, Buffer f, Attrs a) {
        Shape outShape = type(List.of(x.type(), f.type()), a).shape();
        ComputeType c = ComputeType.of(x.dtype());
        Window2d.Placed p = place(x.shape(), f.shape(), a);
        Buffer patches = im2col(Casts.widen(x, c), p);
        Buffer w = Casts.widen(f, c).reshaped(Shape.of(patches.shape().dim(1), f.shape().dim(3)));
        Buffer out = MatMul.run(patches, w, Attrs.EMPTY).reshaped(outShape);
        return Casts.narrow(out, x.dtype());
    }

    public static Buffer backpropFilter(Buffer x, Buffer f, Buffer dy, Attrs a) {
        backpropType("conv2d_backprop_filter", List.of(x.type(), f.type(), dy.type()), a, false);
        ComputeType c = ComputeType.of(x.dtype());
        Window2d.Placed p = place(x.shape(), f.shape(), a);
        Buffer patches = im2col(Casts.widen(x, c), p);
        Buffer g = Casts.widen(dy, c).reshaped(Shape.of(patches.shape().dim(0), f.shape().dim(3)));
        Buffer df = MatMul.run(patches, g, Attrs.of("transpose_a", true)).reshaped(f.shape());
        return Casts.narrow(df, x.dtype());
    }

    public static Buffer backpropInput(Buffer x, Buffer f, Buffer dy, Attrs a) {
        backpropType("conv2d_backprop_input", List.of(x.type(), f.type(), dy.type()), a, true);
        ComputeType c = ComputeType.of(x.dtype());
        Window2d.Placed p = place(x.shape(), f.shape(), a);
        int k = f.shape().dim(0) * f.shape().dim(1) * f.shape().dim(2), outC = f.shape().dim(3);
        Buffer g = Casts.widen(dy, c).reshaped(Shape.of(Math.toIntExact(p.outputPositions()), outC));
        Buffer w = Casts.widen(f, c).reshaped(Shape.of(k, outC));
        Buffer patchGrads = MatMul.run(g, w, Attrs.of("transpose_b", true));
        return Casts.narrow(col2im(patchGrads, p, f.shape().dim(0), f.shape().dim(1), c), x.dtype());
    }

    /** The patch matrix {@code [M, kH * kW * C]} of a compute-typed input; taps in the padding stay 0. */
    static Buffer im2col(Buffer x, Window2d.Placed p) {
        int kH = p.w().kH(), kW = p.w().kW(), ch = p.channels();
        long k = (long) kH * kW * ch;
        if (p.outputPositions() * k > Integer.MAX_VALUE) {
            throw new UnimplementedError("conv2d: the patch matrix of " + p.outputPositions() + " x " + k + " elements is too large for the reference kernel");
        }
        Buffer out = Buffer.allocate(x.dtype(), Shape.of(Math.toIntExact(p.outputPositions()), Math.toIntExact(k)));
        long es = x.dtype().byteSize(), rowBytes = ch * es;
        MemorySegment src = x.segment(), dst = out.segment();
        forEachTap(p, kH, kW, (m, tap, pixel) -> MemorySegment.copy(src, pixel * rowBytes, dst, (m * k + tap * ch) * es, rowBytes));
        return out;
    }

    /**
     * Adds each patch gradient back into the input element it was read from, in increasing
     * output position then tap; float32 sums round to float at every addition and the result is
     * flushed once at the end.
     */
    static Buffer col2im(Buffer patchGrads, Window2d.Placed p, int kH, int kW, ComputeType c) {
        int ch = p.channels();
        long k = (long) kH * kW * ch;
        Buffer out = Buffer.allocate(c.dtype(), Shape.of(p.batch(), p.inH(), p.inW(), ch));
        boolean f32 = c == ComputeType.F32;
        forEachTap(p, kH, kW, (m, tap, pixel) -> {
            long to = pixel * ch, from = m * k + tap * ch;
            for (int ci = 0; ci < ch; ci++) {
                double s = out.getDouble(to + ci) + patchGrads.getDouble(from + ci);
                out.setDouble(to + ci, f32 ? (float) s : s);
            }
        });
        if (f32) for (long i = 0; i < out.size(); i++) out.setDouble(i, ftz((float) out.getDouble(i)));
        return out;
    }

    /** One tap of a patch that falls inside the input: output position {@code m}, tap {@code kh * kW + kw} of the patch, input pixel (b, ih, iw) as a flat index. */
    @FunctionalInterface
    private interface Tap {
        void at(long m, long tap, long pixel);
    }

    /**
     * Visits the taps of every output position that fall inside the input (those in the padding
     * read 0 and are skipped), in increasing position then tap: col2im's float sums rely on the order.
     */
    private static void forEachTap(Window2d.Placed p, int kH, int kW, Tap visit) {
        long m = 0;
        for (int b = 0; b < p.batch(); b++) {
            for (int oh = 0; oh < p.outH(); oh++) {
                for (int ow = 0; ow < p.outW(); ow++, m++) {
                    for (int kh = 0; kh < kH; kh++) {
                        int ih = p.inRow(oh, kh);
                        if (ih < 0 || ih >= p.inH()) continue;
                        for (int kw = 0; kw < kW; kw++) {
                            int iw = p.inCol(ow, kw);
                            if (iw < 0 || iw >= p.inW()) continue;
                            visit.at(m, (long) kh * kW + kw, ((long) b * p.inH() + ih) * p.inW() + iw);
                        }
                    }
                }
            }
        }
    }
}
