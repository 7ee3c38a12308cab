package dev.tfjit.ir.kernels.random;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * TensorFlow's CPU random kernels, number for number: {@code FillPhiloxRandom} over TF's
 * distributions ({@code UniformDistribution}, {@code NormalDistribution} with Box-Muller,
 * {@code TruncatedNormalDistribution}), including how each output group positions its generator.
 * Every kernel first reserves {@code 256 * n} blocks of its stream, as TF's do ({@link RandomStream});
 * the normals' log, sine and cosine are {@link BoxMuller}'s, which compiled code shares.
 */
public final class RandomKernels {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;

    private RandomKernels() {}

    /** Reserves this execution's blocks of the op's stream ({@link RandomStream}: the definition compiled code shares). */
    private static Philox reserve(String op, DType t, long seed, long seed2, long stream, Shape shape) {
        return RandomStream.of(op, t, stream, seed, seed2).shared().reserve(RandomStream.blocks(op, shape));
    }

    /** {@code RandomUniform}: floats in [0, 1). */
    public static Buffer uniform(DType t, Shape shape, long seed, long seed2, long stream) {
        Buffer out = Buffer.allocate(t, shape);
        long n = out.size();
        Philox g = reserve("random_uniform", t, seed, seed2, stream, shape);
        MemorySegment o = out.segment();
        int[] s = new int[4];
        switch (t) {
            case FLOAT32 -> {
                for (long i = 0; i < n; i += 4) {
                    g.next(s);
                    for (int k = 0; k < 4 && i + k < n; k++) o.setAtIndex(F, i + k, Philox.toFloat(s[k]));
                }
            }
            case FLOAT64 -> {
                for (long i = 0; i < n; i += 2) {
                    g.next(s);
                    o.setAtIndex(D, i, Philox.toDouble(s[0], s[1]));
                    if (i + 1 < n) o.setAtIndex(D, i + 1, Philox.toDouble(s[2], s[3]));
                }
            }
            // Uint16ToHalf / Uint16ToGfloat16: the low 10 (7) mantissa bits of each word, minus one.
            case FLOAT16 -> {
                for (long i = 0; i < n; i += 4) {
                    g.next(s);
                    for (int k = 0; k < 4 && i + k < n; k++) out.setDouble(i + k, (s[k] & 0x3ff) / 1024.0);
                }
            }
            case BFLOAT16 -> {
                for (long i = 0; i < n; i += 4) {
                    g.next(s);
                    for (int k = 0; k < 4 && i + k < n; k++) out.setDouble(i + k, (s[k] & 0x7f) / 128.0);
                }
            }
            default -> throw new IllegalStateException("random_uniform of " + t);
        }
        return out;
    }

    /** {@code RandomUniformInt}: integers in [lo, hi) by {@code lo + bits % (hi - lo)}, TF's (slightly biased) mapping. */
    public static Buffer uniformInt(DType t, Shape shape, long lo, long hi, long seed, long seed2, long stream) {
        if (lo >= hi) throw new InvalidArgumentError("Need minval < maxval: " + lo + " >= " + hi);
        Buffer out = Buffer.allocate(t, shape);
        long n = out.size();
        Philox g = reserve("random_uniform_int", t, seed, seed2, stream, shape);
        MemorySegment o = out.segment();
        int[] s = new int[4];
        if (t == DType.INT32) {
            long range = (hi - lo) & 0xffffffffL;
            for (long i = 0; i < n; i += 4) {
                g.next(s);
                for (int k = 0; k < 4 && i + k < n; k++) {
                    o.setAtIndex(I, i + k, (int) lo + (int) ((s[k] & 0xffffffffL) % range));
                }
            }
        } else {
            long range = hi - lo; // unsigned 64-bit, as TF computes it
            for (long i = 0; i < n; i += 2) {
                g.next(s);
                for (int k = 0; k < 2 && i + k < n; k++) {
                    long bits = (s[2 * k] & 0xffffffffL) | ((long) s[2 * k + 1] << 32);
                    o.setAtIndex(L, i + k, lo + Long.remainderUnsigned(bits, range));
                }
            }
        }
        return out;
    }

    /** {@code RandomStandardNormal}: Box-Muller pairs. */
    public static Buffer normal(DType t, Shape shape, long seed, long seed2, long stream) {
        Buffer out = Buffer.allocate(t, shape);
        long n = out.size();
        Philox g = reserve("random_standard_normal", t, seed, seed2, stream, shape);
        int[] s = new int[4];
        if (t == DType.FLOAT64) {
            MemorySegment o = out.segment();
            double[] pair = new double[2];
            for (long i = 0; i < n; i += 2) {
                g.next(s);
                BoxMuller.toDoubles(s[0], s[1], s[2], s[3], pair);
                o.setAtIndex(D, i, pair[0]);
                if (i + 1 < n) o.setAtIndex(D, i + 1, pair[1]);
            }
            return out;
        }
        float[] quad = new float[4];
        for (long i = 0; i < n; i += 4) {
            g.next(s);
            BoxMuller.toFloats(s[0], s[1], quad, 0);
            BoxMuller.toFloats(s[2], s[3], quad, 2);
            for (int k = 0; k < 4 && i + k < n; k++) store(out, t, i + k, quad[k]);
        }
        return out;
    }

    /**
     * {@code TruncatedNormal}: normal samples with |x| >= 2 rejected. Each output group restarts
     * from its own offset ({@code group * groupSize * 256 / 4} blocks), so the result does not
     * depend on how many samples earlier groups rejected.
     */
    public static Buffer truncatedNormal(DType t, Shape shape, long seed, long seed2, long stream) {
        Buffer out = Buffer.allocate(t, shape);
        long n = out.size();
        Philox base = reserve("truncated_normal", t, seed, seed2, stream, shape);
        int group = t == DType.FLOAT64 ? 2 : 4;
        long skipPerGroup = (long) group * RandomStream.RESERVED_PER_OUTPUT / 4;
        SingleSamples words = new SingleSamples();
        float[] f = new float[2];
        double[] d = new double[2];
        for (long start = 0, gi = 0; start < n; start += group, gi++) {
            Philox g = base.copy();
            g.skip(gi * skipPerGroup);
            words.reset(g);
            int filled = 0;
            while (filled < group) {
                if (t == DType.FLOAT64) {
                    BoxMuller.toDoubles(words.next(), words.next(), words.next(), words.next(), d);
                    for (int k = 0; k < 2 && filled < group; k++) {
                        if (Math.abs(d[k]) < 2.0) {
                            if (start + filled < n) out.setDouble(start + filled, d[k]);
                            filled++;
                        }
                    }
                } else {
                    BoxMuller.toFloats(words.next(), words.next(), f, 0);
                    for (int k = 0; k < 2 && filled < group; k++) {
                        if (Math.abs(f[k]) < 2.0f) {
                            if (start + filled < n) store(out, t, start + filled, f[k]);
                            filled++;
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * {@code RandomShuffle}: a Fisher-Yates permutation of the first dimension, drawing
     * {@code word % (i + 1)} from single 32-bit words as TF's kernel does.
     */
    public static Buffer shuffle(Buffer x, long seed, long seed2, long stream) {
        // Like TF, nothing to permute (a scalar, one row, or no elements) draws no numbers.
        if (x.size() <= 1 || x.shape().dim(0) <= 1) return x;
        int rows = x.shape().dim(0);
        Philox g = reserve("random_shuffle", x.dtype(), seed, seed2, stream, x.shape());
        SingleSamples words = new SingleSamples();
        words.reset(g);
        int[] perm = new int[rows];
        for (int i = 0; i < rows; i++) perm[i] = i;
        for (int i = rows - 1; i > 0; i--) {
            int j = (int) Integer.remainderUnsigned(words.next(), i + 1);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        return gatherRows(x, perm);
    }

    private static Buffer gatherRows(Buffer x, int[] perm) {
        Buffer out = Buffer.allocate(x.dtype(), x.shape());
        long rowSize = perm.length == 0 ? 0 : x.size() / perm.length;
        if (x.dtype() == DType.STRING) {
            String[] src = x.strings(), dst = out.strings();
            for (int r = 0; r < perm.length; r++) {
                System.arraycopy(src, (int) (perm[r] * rowSize), dst, (int) (r * rowSize), (int) rowSize);
            }
            return out;
        }
        long rowBytes = rowSize * x.dtype().byteSize();
        for (int r = 0; r < perm.length; r++) {
            MemorySegment.copy(x.segment(), perm[r] * rowBytes, out.segment(), r * rowBytes, rowBytes);
        }
        return out;
    }

    private static void store(Buffer out, DType t, long i, float v) {
        if (t == DType.FLOAT32) out.segment().setAtIndex(F, i, v);
        else out.setDouble(i, v); // half types round from float, as Eigen::half(float) does
    }

    /** TF's {@code SingleSampleAdapter}: hands out a generator's words one at a time. */
    private static final class SingleSamples {
        private final int[] words = new int[4];
        private int used = 4;
        private Philox g;

        void reset(Philox g) {
            this.g = g;
            used = 4;
        }

        int next() {
            if (used == 4) {
                g.next(words);
                used = 0;
            }
            return words[used++];
        }
    }
}
