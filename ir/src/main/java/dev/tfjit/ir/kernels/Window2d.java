package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.UnimplementedError;

/**
 * Where a 2-D sliding window (a convolution's filter or a pooling window) reads an NHWC input:
 * the attrs {@code strides}, {@code dilations}, {@code ksize} and {@code padding} checked with
 * TensorFlow's messages, and TensorFlow's output sizes and padding offsets. {@code SAME} gives
 * {@code ceil(in / stride)} outputs and puts the odd padding element after (bottom/right),
 * {@code VALID} gives {@code (in - effective_window + stride) / stride}. Every kernel and every
 * backend that walks windows takes its geometry from here.
 */
public record Window2d(int kH, int kW, int strideH, int strideW, int dilationH, int dilationW, boolean same) {

    /** The geometry of {@code conv2d}'s attrs for a filter of {@code kH x kW}. */
    public static Window2d conv(Attrs a, int kH, int kW) {
        int[] s = fourInts(a, "strides", "strides");
        if (s[0] != 1 || s[3] != 1) {
            throw new UnimplementedError("Current implementation does not yet support strides in the batch and depth dimensions.");
        }
        if (s[1] <= 0 || s[2] <= 0) throw new InvalidArgumentError("Row and column strides should be larger than 0.");
        int[] d = a.has("dilations") ? fourInts(a, "dilations", "dilations") : new int[] {1, 1, 1, 1};
        if (d[0] != 1 || d[3] != 1) {
            throw new UnimplementedError("Current implementation does not yet support dilations in the batch and depth dimensions.");
        }
        if (d[1] <= 0 || d[2] <= 0) throw new InvalidArgumentError("Dilated rates should be larger than 0.");
        checkFormat(a, "Conv2D");
        return new Window2d(kH, kW, s[1], s[2], d[1], d[2], same(a));
    }

    /** The geometry of a pooling op's attrs ({@code ksize}, {@code strides}, {@code padding}). */
    public static Window2d pool(Attrs a, String tfOp) {
        int[] k = fourInts(a, "ksize", "ksize");
        int[] s = fourInts(a, "strides", "stride");
        if (k[0] != 1 || s[0] != 1) throw new UnimplementedError("Pooling is not yet supported on the batch dimension.");
        for (int i = 0; i < 4; i++) {
            if (k[i] <= 0) throw new InvalidArgumentError("Sliding window ksize for dimension " + i + " was zero.");
        }
        if (k[3] != 1 || s[3] != 1) {
            throw new UnimplementedError(tfOp + " over the depth dimension is not supported; pool over height and width only");
        }
        if (s[1] <= 0 || s[2] <= 0) throw new InvalidArgumentError("Sliding window strides must be larger than 0.");
        checkFormat(a, tfOp);
        return new Window2d(k[1], k[2], s[1], s[2], 1, 1, same(a));
    }

    private static int[] fourInts(Attrs a, String name, String tfWord) {
        int[] v = a.getInts(name);
        if (v.length != 4) throw new InvalidArgumentError("Sliding window " + tfWord + " field must specify 4 dimensions");
        return v;
    }

    private static boolean same(Attrs a) {
        String p = a.getString("padding");
        return switch (p) {
            case "SAME" -> true;
            case "VALID" -> false;
            case "EXPLICIT" -> throw new UnimplementedError("EXPLICIT padding is not supported; use SAME or VALID (or Tf.pad first)");
            default -> throw new InvalidArgumentError("Value for attr 'padding' of \"" + p
                    + "\" is not in the list of allowed values: \"SAME\", \"VALID\", \"EXPLICIT\"");
        };
    }

    private static void checkFormat(Attrs a, String tfOp) {
        String f = a.getString("data_format", "NHWC");
        if (!f.equals("NHWC")) {
            throw new UnimplementedError("The " + tfOp + " op currently only supports the NHWC tensor format on the CPU. The op was given the format: " + f);
        }
    }

    public int effectiveH() { return (kH - 1) * dilationH + 1; }

    public int effectiveW() { return (kW - 1) * dilationW + 1; }

    /** Output rows for {@code in} input rows; unknown stays unknown. */
    public int outH(int in) { return out(in, effectiveH(), strideH); }

    public int outW(int in) { return out(in, effectiveW(), strideW); }

    /** Padding rows above the input (SAME puts the odd one below). */
    public int padTop(int in) { return padBefore(in, effectiveH(), strideH); }

    public int padLeft(int in) { return padBefore(in, effectiveW(), strideW); }

    private int out(int in, int eff, int stride) {
        if (in == Shape.UNKNOWN) return Shape.UNKNOWN;
        int out = same ? (int) (((long) in + stride - 1) / stride) : (in - eff + stride) / stride;
        if (out < 0) {
            throw new InvalidArgumentError("Computed output size would be negative: " + out + " [input_size: " + in
                    + ", effective_filter_size: " + eff + ", stride: " + stride + "]");
        }
        return out;
    }

    private int padBefore(int in, int eff, int stride) {
        if (!same) return 0;
        int needed = Math.max(0, (out(in, eff, stride) - 1) * stride + eff - in);
        return needed / 2;
    }

    /** The output shape {@code [batch, outH, outW, channels]} over an NHWC input shape. */
    public Shape outputShape(Shape input, int channels) {
        return Shape.of(input.dim(0), outH(input.dim(1)), outW(input.dim(2)), channels);
    }

    /** The window placed over one concrete input: sizes and offsets kernels loop with. */
    public Placed place(Shape input) {
        int h = input.dim(1), w = input.dim(2);
        return new Placed(input.dim(0), h, w, input.dim(3), outH(h), outW(w), padTop(h), padLeft(w), this);
    }

    /**
     * A window over a concrete NHWC input: input row {@code oh * strideH - padTop + kh * dilationH}
     * feeds output row {@code oh} through window row {@code kh} when it lies inside the input.
     */
    public record Placed(int batch, int inH, int inW, int channels, int outH, int outW, int padTop, int padLeft, Window2d w) {
        public int inRow(int oh, int kh) { return oh * w.strideH - padTop + kh * w.dilationH; }

        public int inCol(int ow, int kw) { return ow * w.strideW - padLeft + kw * w.dilationW; }

        public long outputPositions() { return (long) batch * outH * outW; }
    }
}
