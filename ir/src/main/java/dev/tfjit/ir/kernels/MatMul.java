package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.TensorType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;

import static dev.tfjit.ir.kernels.Fn.ftz;

/**
 * Matrix products of rank-2 or batched operands ({@code transpose_a}, {@code transpose_b};
 * for real dtypes the adjoint is the transpose). Batch dims broadcast like NumPy. Each batch
 * is packed into row-major primitive arrays (transposes applied while packing) and multiplied
 * in i-k-j order, so the innermost loop streams contiguous rows of B and C and vectorizes;
 * float products accumulate sequentially over k with fused multiply-add, as Eigen's kernel does.
 * Columns and depth are tiled so a tile of B stays in cache across the rows of A; the tiles run
 * in increasing k, so every element still sums its products in the same order.
 */
public final class MatMul {
    /** Columns of B and C per tile (2 KiB of float32 per row). */
    private static final int COLUMN_BLOCK = 512;
    /** Rows of B per tile: a 128 x 512 float32 tile is 256 KiB, about an L2 cache. */
    private static final int DEPTH_BLOCK = 128;

    private MatMul() {}

    public static TensorType type(List<TensorType> in, Attrs a) {
        DType t = Elementwise.sameDType("matmul", in);
        if (!t.isNumeric()) throw new DTypeError("Value for attr 'T' of " + t + " is not in the list of allowed values for matmul");
        Shape sa = in.get(0).shape(), sb = in.get(1).shape();
        if (!sa.hasRank() || !sb.hasRank()) return new TensorType(t, Shape.unknownRank());
        int ra = sa.rank(), rb = sb.rank();
        if (ra < 2 || rb < 2) {
            if (ra != rb) throw new InvalidArgumentError("In[0] and In[1] has different ndims: " + sa.brief() + " vs. " + sb.brief());
            throw new InvalidArgumentError("In[0] ndims must be >= 2: " + ra);
        }
        boolean ta = a.getBool("transpose_a", false), tb = a.getBool("transpose_b", false);
        int m = sa.dim(ta ? -1 : -2), ka = sa.dim(ta ? -2 : -1);
        int kb = sb.dim(tb ? -1 : -2), n = sb.dim(tb ? -2 : -1);
        if (ka != Shape.UNKNOWN && kb != Shape.UNKNOWN && ka != kb) {
            if (ra == 2 && rb == 2) {
                throw new InvalidArgumentError("Matrix size-incompatible: In[0]: " + sa.brief() + ", In[1]: " + sb.brief());
            }
            throw new InvalidArgumentError("In[0] mismatch In[1] shape: " + ka + " vs. " + kb + ": " + sa.brief() + " " + sb.brief()
                    + " " + ta + " " + tb);
        }
        Shape batch;
        try {
            batch = Broadcast.shapes(Shape.of(Arrays.copyOf(sa.dims(), ra - 2)), Shape.of(Arrays.copyOf(sb.dims(), rb - 2)));
        } catch (ShapeError e) {
            throw new InvalidArgumentError("In[0] and In[1] must have compatible batch dimensions: " + sa.brief() + " vs. " + sb.brief());
        }
        int[] out = Arrays.copyOf(batch.dims(), batch.rank() + 2);
        out[batch.rank()] = m;
        out[batch.rank() + 1] = n;
        return new TensorType(t, Shape.of(out));
    }

    public static Buffer run(Buffer a, Buffer b, Attrs attrs) {
        DType t = a.dtype();
        Shape outShape = type(List.of(a.type(), b.type()), attrs).shape();
        MatMulLayout l = MatMulLayout.of(a.shape(), b.shape(), outShape, attrs);
        boolean ta = l.transposeA(), tb = l.transposeB();
        int m = l.m(), n = l.n(), k = l.k();
        ComputeType c = ComputeType.of(t);
        Buffer wa = Casts.widen(a, c), wb = Casts.widen(b, c);
        Buffer r = Buffer.allocate(c.dtype(), outShape);
        Shape batch = l.batch();
        long[] aStrides = l.batchStrides().get(1), bStrides = l.batchStrides().get(2);
        long batches = batch.numElements();
        int[] idx = new int[batch.rank()];
        Packed packed = Packed.of(c, m, k, n);
        for (long bi = 0; bi < batches; bi++) {
            long aOff = 0, bOff = 0;
            for (int d = 0; d < idx.length; d++) {
                aOff += idx[d] * aStrides[d];
                bOff += idx[d] * bStrides[d];
            }
            packed.multiply(wa.segment(), aOff, ta, wb.segment(), bOff, tb, r.segment(), bi * m * n);
            for (int d = idx.length - 1; d >= 0; d--) {
                if (++idx[d] < batch.dim(d)) break;
                idx[d] = 0;
            }
        }
        return Casts.narrow(r, t);
    }

    /** Scratch arrays for one batch, reused across batches; one implementation per compute type. */
    private sealed interface Packed {
        void multiply(MemorySegment a, long aOff, boolean ta, MemorySegment b, long bOff, boolean tb, MemorySegment out, long outOff);

        static Packed of(ComputeType c, int m, int k, int n) {
            return switch (c) {
                case F32 -> new F32(m, k, n);
                case F64 -> new F64(m, k, n);
                case I32 -> new I32(m, k, n);
                case I64 -> new I64(m, k, n);
                default -> throw new DTypeError("matmul does not support " + c.dtype());
            };
        }
    }

    /** A packed matrix's length; a matrix too large for one Java array is a clear error, not a crash. */
    private static int size(int rows, int cols) {
        long n = (long) rows * cols;
        if (n > Integer.MAX_VALUE - 16) {
            throw new dev.tfjit.ir.UnimplementedError("matmul: a " + rows + "x" + cols + " matrix is too large for the reference kernel");
        }
        return (int) n;
    }

    /** Index of element (i, j) of a rows x cols matrix stored transposed or not. */
    private static long at(boolean transposed, int i, int j, int rows, int cols) {
        return transposed ? (long) j * rows + i : (long) i * cols + j;
    }

    private record F32(int m, int k, int n, float[] a, float[] b, float[] c) implements Packed {
        F32(int m, int k, int n) { this(m, k, n, new float[size(m, k)], new float[size(k, n)], new float[size(m, n)]); }

        public void multiply(MemorySegment as, long aOff, boolean ta, MemorySegment bs, long bOff, boolean tb, MemorySegment out, long outOff) {
            ValueLayout.OfFloat L = ValueLayout.JAVA_FLOAT;
            if (!ta) MemorySegment.copy(as, L, aOff * 4, a, 0, a.length);
            else for (int i = 0; i < m; i++) for (int p = 0; p < k; p++) a[i * k + p] = as.getAtIndex(L, aOff + at(true, i, p, m, k));
            if (!tb) MemorySegment.copy(bs, L, bOff * 4, b, 0, b.length);
            else for (int p = 0; p < k; p++) for (int j = 0; j < n; j++) b[p * n + j] = bs.getAtIndex(L, bOff + at(true, p, j, k, n));
            for (int i = 0; i < a.length; i++) a[i] = ftz(a[i]);
            for (int i = 0; i < b.length; i++) b[i] = ftz(b[i]);
            Arrays.fill(c, 0f);
            for (int j0 = 0; j0 < n; j0 += COLUMN_BLOCK) {
                int j1 = Math.min(n, j0 + COLUMN_BLOCK);
                for (int p0 = 0; p0 < k; p0 += DEPTH_BLOCK) {
                    int p1 = Math.min(k, p0 + DEPTH_BLOCK);
                    for (int i = 0; i < m; i++) {
                        int ci = i * n;
                        for (int p = p0; p < p1; p++) {
                            float aip = a[i * k + p];
                            int bp = p * n;
                            for (int j = j0; j < j1; j++) c[ci + j] = Math.fma(aip, b[bp + j], c[ci + j]);
                        }
                    }
                }
            }
            for (int i = 0; i < c.length; i++) c[i] = ftz(c[i]);
            MemorySegment.copy(c, 0, out, L, outOff * 4, c.length);
        }
    }

    private record F64(int m, int k, int n, double[] a, double[] b, double[] c) implements Packed {
        F64(int m, int k, int n) { this(m, k, n, new double[size(m, k)], new double[size(k, n)], new double[size(m, n)]); }

        public void multiply(MemorySegment as, long aOff, boolean ta, MemorySegment bs, long bOff, boolean tb, MemorySegment out, long outOff) {
            ValueLayout.OfDouble L = ValueLayout.JAVA_DOUBLE;
            if (!ta) MemorySegment.copy(as, L, aOff * 8, a, 0, a.length);
            else for (int i = 0; i < m; i++) for (int p = 0; p < k; p++) a[i * k + p] = as.getAtIndex(L, aOff + at(true, i, p, m, k));
            if (!tb) MemorySegment.copy(bs, L, bOff * 8, b, 0, b.length);
            else for (int p = 0; p < k; p++) for (int j = 0; j < n; j++) b[p * n + j] = bs.getAtIndex(L, bOff + at(true, p, j, k, n));
            Arrays.fill(c, 0.0);
            for (int j0 = 0; j0 < n; j0 += COLUMN_BLOCK) {
                int j1 = Math.min(n, j0 + COLUMN_BLOCK);
                for (int p0 = 0; p0 < k; p0 += DEPTH_BLOCK) {
                    int p1 = Math.min(k, p0 + DEPTH_BLOCK);
                    for (int i = 0; i < m; i++) {
                        int ci = i * n;
                        for (int p = p0; p < p1; p++) {
                            double aip = a[i * k + p];
                            int bp = p * n;
                            for (int j = j0; j < j1; j++) c[ci + j] = Math.fma(aip, b[bp + j], c[ci + j]);
                        }
                    }
                }
            }
            MemorySegment.copy(c, 0, out, L, outOff * 8, c.length);
        }
    }

    private record I32(int m, int k, int n, int[] a, int[] b, int[] c) implements Packed {
        I32(int m, int k, int n) { this(m, k, n, new int[size(m, k)], new int[size(k, n)], new int[size(m, n)]); }

        public void multiply(MemorySegment as, long aOff, boolean ta, MemorySegment bs, long bOff, boolean tb, MemorySegment out, long outOff) {
            ValueLayout.OfInt L = ValueLayout.JAVA_INT;
            if (!ta) MemorySegment.copy(as, L, aOff * 4, a, 0, a.length);
            else for (int i = 0; i < m; i++) for (int p = 0; p < k; p++) a[i * k + p] = as.getAtIndex(L, aOff + at(true, i, p, m, k));
            if (!tb) MemorySegment.copy(bs, L, bOff * 4, b, 0, b.length);
            else for (int p = 0; p < k; p++) for (int j = 0; j < n; j++) b[p * n + j] = bs.getAtIndex(L, bOff + at(true, p, j, k, n));
            Arrays.fill(c, 0);
            for (int j0 = 0; j0 < n; j0 += COLUMN_BLOCK) {
                int j1 = Math.min(n, j0 + COLUMN_BLOCK);
                for (int p0 = 0; p0 < k; p0 += DEPTH_BLOCK) {
                    int p1 = Math.min(k, p0 + DEPTH_BLOCK);
                    for (int i = 0; i < m; i++) {
                        int ci = i * n;
                        for (int p = p0; p < p1; p++) {
                            int aip = a[i * k + p];
                            int bp = p * n;
                            for (int j = j0; j < j1; j++) c[ci + j] += aip * b[bp + j];
                        }
                    }
                }
            }
            MemorySegment.copy(c, 0, out, L, outOff * 4, c.length);
        }
    }

    private record I64(int m, int k, int n, long[] a, long[] b, long[] c) implements Packed {
        I64(int m, int k, int n) { this(m, k, n, new long[size(m, k)], new long[size(k, n)], new long[size(m, n)]); }

        public void multiply(MemorySegment as, long aOff, boolean ta, MemorySegment bs, long bOff, boolean tb, MemorySegment out, long outOff) {
            ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
            if (!ta) MemorySegment.copy(as, L, aOff * 8, a, 0, a.length);
            else for (int i = 0; i < m; i++) for (int p = 0; p < k; p++) a[i * k + p] = as.getAtIndex(L, aOff + at(true, i, p, m, k));
            if (!tb) MemorySegment.copy(bs, L, bOff * 8, b, 0, b.length);
            else for (int p = 0; p < k; p++) for (int j = 0; j < n; j++) b[p * n + j] = bs.getAtIndex(L, bOff + at(true, p, j, k, n));
            Arrays.fill(c, 0L);
            for (int j0 = 0; j0 < n; j0 += COLUMN_BLOCK) {
                int j1 = Math.min(n, j0 + COLUMN_BLOCK);
                for (int p0 = 0; p0 < k; p0 += DEPTH_BLOCK) {
                    int p1 = Math.min(k, p0 + DEPTH_BLOCK);
                    for (int i = 0; i < m; i++) {
                        int ci = i * n;
                        for (int p = p0; p < p1; p++) {
                            long aip = a[i * k + p];
                            int bp = p * n;
                            for (int j = j0; j < j1; j++) c[ci + j] += aip * b[bp + j];
                        }
                    }
                }
            }
            MemorySegment.copy(c, 0, out, L, outOff * 8, c.length);
        }
    }
}
