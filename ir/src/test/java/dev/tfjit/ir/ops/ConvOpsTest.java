package dev.tfjit.ir.ops;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.ir.kernels.Casts;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * conv2d, its gradients and the pools against straightforward loops written here from
 * TensorFlow's definitions (SAME: {@code ceil(in / stride)} outputs, padding split with the odd
 * element after; windows never read the padding of a pool), and small cases worked by hand.
 */
class ConvOpsTest {
    private static final Random RANDOM = new Random(7);

    private static Attrs conv(int sh, int sw, String padding, int dh, int dw) {
        return Attrs.of("strides", new int[] {1, sh, sw, 1}, "padding", padding, "dilations", new int[] {1, dh, dw, 1});
    }

    private static Attrs pool(int kh, int kw, int sh, int sw, String padding) {
        return Attrs.of("ksize", new int[] {1, kh, kw, 1}, "strides", new int[] {1, sh, sw, 1}, "padding", padding);
    }

    private static Buffer random(DType t, int... dims) {
        Buffer b = Buffer.allocate(t, Shape.of(dims));
        for (long i = 0; i < b.size(); i++) b.setDouble(i, RANDOM.nextDouble() * 2 - 1);
        return b;
    }

    private static Buffer cast(Buffer b, DType t) { return Casts.cast(b, t); }

    private static Buffer run(OpDef op, Attrs a, Buffer... in) { return op.evaluate(List.of(in), a).get(0); }

    private static Buffer arange16() {
        float[] v = new float[16];
        for (int i = 0; i < 16; i++) v[i] = i;
        return Buffer.ofFloats(Shape.of(1, 4, 4, 1), v);
    }

    // ------------------------------------------------------------ worked by hand

    @Test
    void samePaddingPutsTheOddRowAndColumnAfter() {
        // 4x4 input 0..15, 3x3 ones, stride 2: 2x2 outputs, one padding row/column at the bottom/right.
        Buffer y = run(ConvOps.CONV2D, conv(2, 2, "SAME", 1, 1), arange16(), Buffer.ofFloats(Shape.of(3, 3, 1, 1), 1, 1, 1, 1, 1, 1, 1, 1, 1));
        assertEquals(Shape.of(1, 2, 2, 1), y.shape());
        assertArrayEquals(new float[] {45, 39, 66, 50}, y.toFloatArray());
    }

    @Test
    void poolsOfAWorkedExample() {
        assertArrayEquals(new float[] {5, 7, 13, 15}, run(ConvOps.MAX_POOL, pool(2, 2, 2, 2, "VALID"), arange16()).toFloatArray());
        // The average divides by the elements inside the input only: 9, 6, 6 and 4 of them.
        assertArrayEquals(new float[] {5, 6.5f, 11, 12.5f}, run(ConvOps.AVG_POOL, pool(3, 3, 2, 2, "SAME"), arange16()).toFloatArray());
        Buffer dy = Buffer.ofFloats(Shape.of(1, 2, 2, 1), 1, 2, 3, 4);
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4},
                run(ConvOps.MAX_POOL_GRAD, pool(2, 2, 2, 2, "VALID"), arange16(), dy).toFloatArray());
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.5f, 0.5f, 0.25f, 0.25f, 0.5f, 0.5f, 0.75f, 0.75f, 1, 1, 0.75f, 0.75f, 1, 1},
                run(ConvOps.AVG_POOL_GRAD, pool(2, 2, 2, 2, "VALID"), arange16(), dy).toFloatArray());
    }

    @Test
    void maxPoolLetsNaNWinAndTiesGoToTheFirstElement() {
        Buffer x = Buffer.ofFloats(Shape.of(1, 2, 2, 1), 3, Float.NaN, 1, 2);
        assertTrue(Float.isNaN(run(ConvOps.MAX_POOL, pool(2, 2, 1, 1, "VALID"), x).toFloatArray()[0]));
        Buffer ties = Buffer.ofFloats(Shape.of(1, 2, 2, 1), 1, 5, 5, 0);
        Buffer g = run(ConvOps.MAX_POOL_GRAD, pool(2, 2, 1, 1, "VALID"), ties, Buffer.ofFloats(Shape.of(1, 1, 1, 1), 1));
        assertArrayEquals(new float[] {0, 1, 0, 0}, g.toFloatArray());
    }

    // ------------------------------------------------------------ against naive loops

    /** TF's SAME/VALID geometry, written out again: output size and the padding before. */
    private static int[] geometry(int in, int k, int stride, int dilation, boolean same) {
        int eff = (k - 1) * dilation + 1;
        int out = same ? (in + stride - 1) / stride : (in - eff + stride) / stride;
        int before = same ? Math.max(0, (out - 1) * stride + eff - in) / 2 : 0;
        return new int[] {out, before};
    }

    private static double[] naiveConv(double[] x, int[] xs, double[] f, int[] fs, int sh, int sw, int dh, int dw, boolean same) {
        int[] gh = geometry(xs[1], fs[0], sh, dh, same), gw = geometry(xs[2], fs[1], sw, dw, same);
        int oh = gh[0], ow = gw[0], co = fs[3];
        double[] y = new double[xs[0] * oh * ow * co];
        for (int b = 0; b < xs[0]; b++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    for (int o = 0; o < co; o++) {
                        double s = 0;
                        for (int kh = 0; kh < fs[0]; kh++)
                            for (int kw = 0; kw < fs[1]; kw++)
                                for (int c = 0; c < xs[3]; c++) {
                                    int r = i * sh - gh[1] + kh * dh, q = j * sw - gw[1] + kw * dw;
                                    if (r < 0 || r >= xs[1] || q < 0 || q >= xs[2]) continue;
                                    s += x[((b * xs[1] + r) * xs[2] + q) * xs[3] + c] * f[((kh * fs[1] + kw) * fs[2] + c) * fs[3] + o];
                                }
                        y[((b * oh + i) * ow + j) * co + o] = s;
                    }
        return y;
    }

    record ConvCase(int[] x, int[] f, int sh, int sw, int dh, int dw, String padding) {}

    private static final List<ConvCase> CONV_CASES = List.of(
            new ConvCase(new int[] {2, 5, 6, 3}, new int[] {3, 3, 3, 4}, 1, 1, 1, 1, "SAME"),
            new ConvCase(new int[] {2, 5, 6, 3}, new int[] {3, 2, 3, 2}, 1, 1, 1, 1, "VALID"),
            new ConvCase(new int[] {1, 7, 8, 2}, new int[] {3, 3, 2, 3}, 2, 3, 1, 1, "SAME"),
            new ConvCase(new int[] {1, 7, 8, 2}, new int[] {2, 3, 2, 3}, 2, 2, 1, 1, "VALID"),
            new ConvCase(new int[] {2, 9, 7, 2}, new int[] {3, 2, 2, 2}, 1, 1, 2, 3, "SAME"),
            new ConvCase(new int[] {1, 9, 9, 1}, new int[] {2, 2, 1, 2}, 1, 1, 3, 2, "VALID"),
            new ConvCase(new int[] {3, 4, 4, 5}, new int[] {1, 1, 5, 2}, 1, 1, 1, 1, "VALID"),
            new ConvCase(new int[] {1, 3, 3, 1}, new int[] {5, 5, 1, 1}, 1, 1, 1, 1, "SAME"));

    @Test
    void conv2dMatchesNaiveLoops() {
        for (ConvCase k : CONV_CASES) {
            Buffer x = random(DType.FLOAT64, k.x()), f = random(DType.FLOAT64, k.f());
            double[] want = naiveConv(x.toDoubleArray(), k.x(), f.toDoubleArray(), k.f(), k.sh(), k.sw(), k.dh(), k.dw(), k.padding().equals("SAME"));
            Attrs a = conv(k.sh(), k.sw(), k.padding(), k.dh(), k.dw());
            assertArrayEquals(want, run(ConvOps.CONV2D, a, x, f).toDoubleArray(), 1e-12, k.toString());
            float[] y32 = run(ConvOps.CONV2D, a, cast(x, DType.FLOAT32), cast(f, DType.FLOAT32)).toFloatArray();
            for (int i = 0; i < want.length; i++) assertEquals(want[i], y32[i], 1e-5, k + " float32 element " + i);
        }
    }

    /** The gradients are the adjoints of conv2d: {@code <conv(x, f), dy> = <x, bpi(f, dy)> = <f, bpf(x, dy)>}, checked per element by unit vectors. */
    @Test
    void backpropOpsAreTheAdjointsOfConv2d() {
        for (ConvCase k : CONV_CASES) {
            Attrs a = conv(k.sh(), k.sw(), k.padding(), k.dh(), k.dw());
            Buffer x = random(DType.FLOAT64, k.x()), f = random(DType.FLOAT64, k.f());
            Buffer y = run(ConvOps.CONV2D, a, x, f);
            Buffer dy = random(DType.FLOAT64, y.shape().dims());
            double[] dx = run(ConvOps.CONV2D_BACKPROP_INPUT, a, x, f, dy).toDoubleArray();
            double[] df = run(ConvOps.CONV2D_BACKPROP_FILTER, a, x, f, dy).toDoubleArray();
            for (int i = 0; i < dx.length; i++) {
                Buffer e = Buffer.allocate(DType.FLOAT64, Shape.of(k.x()));
                e.setDouble(i, 1);
                assertEquals(dot(run(ConvOps.CONV2D, a, e, f), dy), dx[i], 1e-12, k + " d input " + i);
            }
            for (int i = 0; i < df.length; i++) {
                Buffer e = Buffer.allocate(DType.FLOAT64, Shape.of(k.f()));
                e.setDouble(i, 1);
                assertEquals(dot(run(ConvOps.CONV2D, a, x, e), dy), df[i], 1e-12, k + " d filter " + i);
            }
        }
    }

    private static double dot(Buffer a, Buffer b) {
        double s = 0;
        for (long i = 0; i < a.size(); i++) s += a.getDouble(i) * b.getDouble(i);
        return s;
    }

    @Test
    void poolsMatchNaiveLoops() {
        int[][] shapes = {{2, 5, 6, 3}, {1, 7, 4, 2}};
        int[][] windows = {{2, 2, 2, 2}, {3, 3, 1, 1}, {3, 2, 2, 3}, {1, 1, 2, 2}, {4, 4, 3, 3}};
        for (int[] s : shapes) {
            for (int[] w : windows) {
                for (String padding : List.of("SAME", "VALID")) {
                    Buffer x = random(DType.FLOAT64, s);
                    Attrs a = pool(w[0], w[1], w[2], w[3], padding);
                    double[][] want = naivePools(x.toDoubleArray(), s, w, padding.equals("SAME"));
                    String what = java.util.Arrays.toString(s) + " " + java.util.Arrays.toString(w) + " " + padding;
                    assertArrayEquals(want[0], run(ConvOps.MAX_POOL, a, x).toDoubleArray(), 0, what);
                    assertArrayEquals(want[1], run(ConvOps.AVG_POOL, a, x).toDoubleArray(), 1e-12, what);
                }
            }
        }
    }

    private static double[][] naivePools(double[] x, int[] xs, int[] w, boolean same) {
        int[] gh = geometry(xs[1], w[0], w[2], 1, same), gw = geometry(xs[2], w[1], w[3], 1, same);
        int n = xs[0] * gh[0] * gw[0] * xs[3];
        double[] max = new double[n], avg = new double[n];
        int o = 0;
        for (int b = 0; b < xs[0]; b++)
            for (int i = 0; i < gh[0]; i++)
                for (int j = 0; j < gw[0]; j++)
                    for (int c = 0; c < xs[3]; c++, o++) {
                        double m = Double.NEGATIVE_INFINITY, s = 0;
                        int count = 0;
                        for (int r = i * w[2] - gh[1]; r < i * w[2] - gh[1] + w[0]; r++)
                            for (int q = j * w[3] - gw[1]; q < j * w[3] - gw[1] + w[1]; q++) {
                                if (r < 0 || r >= xs[1] || q < 0 || q >= xs[2]) continue;
                                double v = x[((b * xs[1] + r) * xs[2] + q) * xs[3] + c];
                                m = Math.max(m, v);
                                s += v;
                                count++;
                            }
                        max[o] = m;
                        avg[o] = s / count;
                    }
        return new double[][] {max, avg};
    }

    @Test
    void halvesComputeInFloatAndRoundOnce() {
        Buffer x = random(DType.FLOAT32, 1, 4, 4, 2), f = random(DType.FLOAT32, 2, 2, 2, 3);
        Attrs a = conv(1, 1, "SAME", 1, 1);
        Buffer wide = run(ConvOps.CONV2D, a, cast(cast(x, DType.FLOAT16), DType.FLOAT32), cast(cast(f, DType.FLOAT16), DType.FLOAT32));
        Buffer half = run(ConvOps.CONV2D, a, cast(x, DType.FLOAT16), cast(f, DType.FLOAT16));
        assertEquals(DType.FLOAT16, half.dtype());
        assertArrayEquals(cast(wide, DType.FLOAT16).toFloatArray(), half.toFloatArray());
    }

    // ------------------------------------------------------------ types and errors

    private static TensorType t(int... dims) { return TensorType.of(DType.FLOAT32, dims); }

    @Test
    void unknownDimsStayUnknown() {
        Attrs a = conv(2, 2, "SAME", 1, 1);
        assertEquals(t(-1, 14, 14, 8), ConvOps.CONV2D.inferTypes(List.of(t(-1, 28, 28, 1), t(3, 3, 1, 8)), a).get(0));
        assertEquals(t(-1, -1, 4, 8), ConvOps.CONV2D.inferTypes(List.of(t(-1, -1, 7, 1), t(3, 3, 1, 8)), a).get(0));
        assertEquals(t(-1, 13, 13, 16), ConvOps.MAX_POOL.inferTypes(List.of(t(-1, 26, 26, 16)), pool(2, 2, 2, 2, "VALID")).get(0));
    }

    private static String error(Class<? extends TfException> type, OpDef op, Attrs a, TensorType... in) {
        return assertThrows(type, () -> op.inferTypes(List.of(in), a)).getMessage();
    }

    @Test
    void tensorflowsErrorMessages() {
        Attrs a = conv(1, 1, "VALID", 1, 1);
        assertEquals("input must be 4-dimensional[4,4,1]", error(InvalidArgumentError.class, ConvOps.CONV2D, a, t(4, 4, 1), t(3, 3, 1, 1)));
        assertEquals("filter must be 4-dimensional: [3,3,1]", error(InvalidArgumentError.class, ConvOps.CONV2D, a, t(1, 4, 4, 1), t(3, 3, 1)));
        assertEquals("input depth must be evenly divisible by filter depth: 3 vs 2",
                error(InvalidArgumentError.class, ConvOps.CONV2D, a, t(1, 4, 4, 3), t(3, 3, 2, 1)));
        assertEquals("Computed output size would be negative: -1 [input_size: 2, effective_filter_size: 4, stride: 1]",
                error(InvalidArgumentError.class, ConvOps.CONV2D, a, t(1, 2, 2, 1), t(4, 4, 1, 1)));
        assertEquals("Current implementation does not yet support strides in the batch and depth dimensions.",
                error(UnimplementedError.class, ConvOps.CONV2D, Attrs.of("strides", new int[] {2, 1, 1, 1}, "padding", "SAME"), t(1, 4, 4, 1), t(3, 3, 1, 1)));
        assertEquals("Sliding window strides field must specify 4 dimensions",
                error(InvalidArgumentError.class, ConvOps.CONV2D, Attrs.of("strides", new int[] {1, 1}, "padding", "SAME"), t(1, 4, 4, 1), t(3, 3, 1, 1)));
        assertEquals("Dilated rates should be larger than 0.", error(InvalidArgumentError.class, ConvOps.CONV2D, conv(1, 1, "SAME", 0, 1), t(1, 4, 4, 1), t(3, 3, 1, 1)));
        assertTrue(error(InvalidArgumentError.class, ConvOps.CONV2D, conv(1, 1, "FULL", 1, 1), t(1, 4, 4, 1), t(3, 3, 1, 1))
                .startsWith("Value for attr 'padding' of \"FULL\" is not in the list of allowed values"));
        assertTrue(error(DTypeError.class, ConvOps.CONV2D, a, t(1, 4, 4, 1), TensorType.of(DType.FLOAT64, 3, 3, 1, 1)).contains("double"));
        assertEquals("The Conv2D op currently only supports the NHWC tensor format on the CPU. The op was given the format: NCHW",
                error(UnimplementedError.class, ConvOps.CONV2D, a.with("data_format", "NCHW"), t(1, 4, 4, 1), t(3, 3, 1, 1)));
        assertEquals("tensor_in must be 4-dimensional", error(InvalidArgumentError.class, ConvOps.MAX_POOL, pool(2, 2, 2, 2, "VALID"), t(4, 4, 1)));
        assertEquals("Pooling is not yet supported on the batch dimension.",
                error(UnimplementedError.class, ConvOps.AVG_POOL, Attrs.of("ksize", new int[] {2, 1, 1, 1}, "strides", new int[] {1, 1, 1, 1}, "padding", "SAME"), t(1, 4, 4, 1)));
        assertEquals("Sliding window ksize field must specify 4 dimensions",
                error(InvalidArgumentError.class, ConvOps.MAX_POOL, Attrs.of("ksize", new int[] {2, 2}, "strides", new int[] {1, 1, 1, 1}, "padding", "SAME"), t(1, 4, 4, 1)));
        assertTrue(error(InvalidArgumentError.class, ConvOps.CONV2D_BACKPROP_INPUT, a, t(1, 4, 4, 1), t(3, 3, 1, 1), t(1, 3, 2, 1))
                .contains("Size of out_backprop doesn't match computed: actual = 3, computed = 2"));
        assertTrue(error(DTypeError.class, ConvOps.MAX_POOL, pool(2, 2, 2, 2, "VALID"), TensorType.of(DType.INT32, 1, 4, 4, 1))
                .startsWith("Value for attr 'T' of int32 is not in the list of allowed values"));
    }
}
