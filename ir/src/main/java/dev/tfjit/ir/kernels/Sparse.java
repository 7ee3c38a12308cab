package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;

import java.util.List;

/**
 * Reference kernels of TensorFlow's sparse ops on COO triples (see {@link SparseCoo}).
 * Values are read once into primitive arrays (double for floating dtypes, long for integers so
 * int64 stays exact) and float32 sums are rounded after every step, as float32 arithmetic does.
 */
public final class Sparse {
    private Sparse() {}

    /**
     * TF's {@code SparseToDense}: {@code default} everywhere, then each value at its index.
     * With {@code validate}, indices must be strictly increasing in row-major order (TF's
     * "out of order" and "is repeated" errors).
     */
    public static Buffer toDense(Buffer indices, Buffer denseShape, Buffer values, Buffer dflt, boolean validate) {
        long[] dims = SparseCoo.dims(denseShape);
        Buffer idx = indices.shape().rank() == 2 ? indices : indices.reshaped(Shape.of(indices.shape().rank() == 0 ? 1 : indices.shape().dim(0), 1));
        long[] pos = SparseCoo.positions(idx, dims);
        if (values.shape().rank() == 1 && values.shape().dim(0) != pos.length) {
            throw new InvalidArgumentError("sparse_values has incorrect shape " + values.shape().brief() + ", should be [] or [" + pos.length + "]");
        }
        if (validate) {
            for (int k = 1; k < pos.length; k++) {
                if (pos[k] == pos[k - 1]) throw new InvalidArgumentError("indices[" + k + "] = " + SparseCoo.row(idx, k) + " is repeated");
                if (pos[k] < pos[k - 1]) {
                    throw new InvalidArgumentError("indices[" + k + "] = " + SparseCoo.row(idx, k) + " is out of order. Many sparse ops"
                            + " require sorted indices.\n    Use `tf.sparse.reorder` to create a correctly ordered copy.");
                }
            }
        }
        Buffer out = Buffer.allocate(values.dtype(), Shape.of(dims));
        long size = out.size();
        for (long i = 0; i < size; i++) StridedCopy.copyRun(dflt, 0, 0, out, i, 1, 1);
        boolean scalar = values.shape().rank() == 0;
        for (int k = 0; k < pos.length; k++) StridedCopy.copyRun(values, scalar ? 0 : k, 1, out, pos[k], 1, 1);
        return out;
    }

    /** TF's {@code SparseReorder}: entries sorted into row-major order (stable for duplicates). */
    public static List<Buffer> reorder(Buffer indices, Buffer values, Buffer denseShape) {
        long[] dims = SparseCoo.dims(denseShape);
        long[] pos = SparseCoo.positions(indices, dims);
        int[] order = SparseCoo.ascendingOrder(pos);
        long[] sorted = new long[pos.length];
        for (int k = 0; k < order.length; k++) sorted[k] = pos[order[k]];
        return List.of(SparseCoo.indicesOf(sorted, sorted.length, dims), SparseCoo.permute(values, order));
    }

    /** TF's {@code SparseTensorDenseAdd}: the dense operand plus each sparse value; shapes must be equal. */
    public static Buffer addToDense(Buffer indices, Buffer values, Buffer denseShape, Buffer dense) {
        long[] dims = SparseCoo.dims(denseShape);
        Shape b = dense.shape();
        if (dims.length != b.rank()) {
            throw new InvalidArgumentError("Two operands have different ranks; received: " + dims.length + " and " + b.rank());
        }
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] != b.dim(i)) {
                throw new InvalidArgumentError("Dimension " + i + " does not equal (no broadcasting is supported): sparse side "
                        + dims[i] + " vs dense side " + b.dim(i));
            }
        }
        long[] pos = SparseCoo.positions(indices, dims);
        Buffer out = dense.copy();
        if (values.dtype().isFloating()) {
            double[] v = values.toDoubleArray();
            for (int k = 0; k < pos.length; k++) out.setDouble(pos[k], out.getDouble(pos[k]) + v[k]);
        } else {
            long[] v = values.toLongArray();
            for (int k = 0; k < pos.length; k++) out.setLong(pos[k], out.getLong(pos[k]) + v[k]);
        }
        return out;
    }

    /**
     * TF's {@code SparseAdd}: the union of both index sets in row-major order, values at equal
     * indices summed; a sum whose magnitude is below {@code thresh} is dropped.
     */
    public static List<Buffer> add(Buffer aIdx, Buffer aVal, Buffer aShape, Buffer bIdx, Buffer bVal, Buffer bShape, Buffer thresh) {
        long[] da = SparseCoo.dims(aShape), db = SparseCoo.dims(bShape);
        if (da.length != db.length) {
            throw new InvalidArgumentError("Operands do not have the same ranks; got shapes: " + SparseCoo.list(da) + " and " + SparseCoo.list(db));
        }
        for (int i = 0; i < da.length; i++) {
            if (da[i] != db[i]) {
                throw new InvalidArgumentError("Operands' shapes do not match: got " + da[i] + " and " + db[i] + " for dimension " + i);
            }
        }
        long[] pa = SparseCoo.positions(aIdx, da), pb = SparseCoo.positions(bIdx, db);
        int[] oa = SparseCoo.ascendingOrder(pa), ob = SparseCoo.ascendingOrder(pb);
        boolean floating = aVal.dtype().isFloating();
        double[] fa = floating ? aVal.toDoubleArray() : null, fb = floating ? bVal.toDoubleArray() : null;
        long[] la = floating ? null : aVal.toLongArray(), lb = floating ? null : bVal.toLongArray();
        double th = thresh.getDouble(0);
        long[] pos = new long[pa.length + pb.length];
        double[] fs = new double[pos.length];
        long[] ls = new long[pos.length];
        int n = 0, i = 0, j = 0;
        while (i < oa.length || j < ob.length) {
            long p = i < oa.length && (j >= ob.length || pa[oa[i]] <= pb[ob[j]]) ? pa[oa[i]] : pb[ob[j]];
            double fsum = 0;
            long lsum = 0;
            while (i < oa.length && pa[oa[i]] == p) {
                if (floating) fsum = round(aVal.dtype(), fsum + fa[oa[i]]); else lsum += la[oa[i]];
                i++;
            }
            while (j < ob.length && pb[ob[j]] == p) {
                if (floating) fsum = round(aVal.dtype(), fsum + fb[ob[j]]); else lsum += lb[ob[j]];
                j++;
            }
            double magnitude = floating ? Math.abs(fsum) : Math.abs((double) lsum);
            if (magnitude < th) continue;
            pos[n] = p;
            fs[n] = fsum;
            ls[n] = lsum;
            n++;
        }
        Buffer values = Buffer.allocate(aVal.dtype(), Shape.of(n));
        for (int k = 0; k < n; k++) {
            if (floating) values.setDouble(k, fs[k]); else values.setLong(k, ls[k]);
        }
        return List.of(SparseCoo.indicesOf(pos, n, da), values, Buffer.ofLongs(Shape.of(da.length), da.clone()));
    }

    /**
     * TF's {@code SparseTensorDenseMatMul}: {@code op(A) @ op(B)} with A sparse of rank 2;
     * {@code adjoint} means transpose (tfjit has no complex dtypes).
     */
    public static Buffer matmul(Buffer aIdx, Buffer aVal, Buffer aShape, Buffer b, boolean adjA, boolean adjB) {
        long[] da = SparseCoo.dims(aShape);
        if (da.length != 2) throw new InvalidArgumentError("Tensor 'a_shape' is not a vector of length 2: " + SparseCoo.list(da));
        if (b.shape().rank() != 2) throw new InvalidArgumentError("Tensor 'b' is not a matrix: " + b.shape().brief());
        long outer = adjA ? da[1] : da[0], innerA = adjA ? da[0] : da[1];
        int bRows = b.shape().dim(0), bCols = b.shape().dim(1);
        long innerB = adjB ? bCols : bRows, n = adjB ? bRows : bCols;
        if (innerA != innerB) {
            throw new InvalidArgumentError("Cannot multiply A and B because inner dimension does not match: " + innerA + " vs. " + innerB
                    + ".  Did you forget a transpose?  Dimensions of A: [" + outer + ", " + innerA + ").  Dimensions of B: " + b.shape().brief());
        }
        int nnz = aIdx.shape().dim(0);
        Buffer out = Buffer.allocate(aVal.dtype(), Shape.of(outer, n));
        boolean floating = aVal.dtype().isFloating();
        double[] fa = floating ? aVal.toDoubleArray() : null, fb = floating ? b.toDoubleArray() : null, fo = floating ? new double[(int) (outer * n)] : null;
        long[] la = floating ? null : aVal.toLongArray(), lb = floating ? null : b.toLongArray(), lo = floating ? null : new long[(int) (outer * n)];
        for (int k = 0; k < nnz; k++) {
            long r = aIdx.getLong(2L * k + (adjA ? 1 : 0)), c = aIdx.getLong(2L * k + (adjA ? 0 : 1));
            if (r < 0 || r >= outer) throw new InvalidArgumentError("m (" + r + ") from index[" + k + "," + (adjA ? 1 : 0) + "] out of bounds (>=" + outer + ")");
            if (c < 0 || c >= innerA) throw new InvalidArgumentError("k (" + c + ") from index[" + k + "," + (adjA ? 0 : 1) + "] out of bounds (>=" + innerA + ")");
            for (long j = 0; j < n; j++) {
                int bi = (int) (adjB ? j * bCols + c : c * bCols + j);
                int oi = (int) (r * n + j);
                if (floating) fo[oi] = round(aVal.dtype(), fo[oi] + fa[k] * fb[bi]); else lo[oi] += la[k] * lb[bi];
            }
        }
        for (int i = 0; i < outer * n; i++) {
            if (floating) out.setDouble(i, fo[i]); else out.setLong(i, lo[i]);
        }
        return out;
    }

    /** Output dims of a reduction over {@code axes} (all when null), keeping size-1 dims when asked. */
    public static long[] reducedDims(long[] dims, int[] axes, boolean keepDims) {
        boolean[] reduced = reducedAxes(dims.length, axes);
        int kept = 0;
        for (int i = 0; i < dims.length; i++) if (!reduced[i] || keepDims) kept++;
        long[] out = new long[kept];
        for (int i = 0, o = 0; i < dims.length; i++) {
            if (!reduced[i]) out[o++] = dims[i];
            else if (keepDims) out[o++] = 1;
        }
        return out;
    }

    public static boolean[] reducedAxes(int rank, int[] axes) {
        boolean[] reduced = new boolean[rank];
        if (axes == null) {
            java.util.Arrays.fill(reduced, true);
            return reduced;
        }
        for (int a : axes) {
            int ax = a < 0 ? a + rank : a;
            if (ax < 0 || ax >= rank) throw new InvalidArgumentError("Invalid reduction dimension " + a + ", for input with " + rank + " dimension(s)");
            reduced[ax] = true;
        }
        return reduced;
    }

    /** TF's {@code SparseReduceSum}: a dense sum over {@code axes} (every axis when null). */
    public static Buffer reduceSum(Buffer indices, Buffer values, Buffer denseShape, int[] axes, boolean keepDims) {
        long[] dims = SparseCoo.dims(denseShape);
        boolean[] reduced = reducedAxes(dims.length, axes);
        long[] outDims = reducedDims(dims, axes, keepDims);
        Buffer out = Buffer.allocate(values.dtype(), Shape.of(outDims));
        SparseCoo.positions(indices, dims); // validates every index first
        long[] outStrideOf = new long[dims.length];
        long stride = 1;
        for (int j = dims.length - 1; j >= 0; j--) {
            if (!reduced[j]) {
                outStrideOf[j] = stride;
                stride *= dims[j];
            }
        }
        int n = indices.shape().dim(0), r = dims.length;
        boolean floating = values.dtype().isFloating();
        double[] fv = floating ? values.toDoubleArray() : null, fo = floating ? new double[(int) out.size()] : null;
        long[] lv = floating ? null : values.toLongArray(), lo = floating ? null : new long[(int) out.size()];
        for (int k = 0; k < n; k++) {
            long o = 0;
            for (int j = 0; j < r; j++) o += indices.getLong((long) k * r + j) * outStrideOf[j];
            if (floating) fo[(int) o] = round(values.dtype(), fo[(int) o] + fv[k]); else lo[(int) o] += lv[k];
        }
        for (int i = 0; i < out.size(); i++) {
            if (floating) out.setDouble(i, fo[i]); else out.setLong(i, lo[i]);
        }
        return out;
    }

    /** The binary operations TF's {@code SparseDenseCwise*} ops apply to each stored value. */
    public enum CwiseOp { ADD, MUL, DIV }

    /**
     * TF's {@code SparseDenseCwiseMul/Div/Add}: each stored value combined with the dense operand
     * at its index; only the dense side broadcasts (to the sparse shape).
     */
    public static Buffer cwise(Buffer indices, Buffer values, Buffer denseShape, Buffer dense, CwiseOp op) {
        long[] dims = SparseCoo.dims(denseShape);
        Shape sparseShape = Shape.of(dims);
        Shape d = dense.shape();
        boolean ok = d.rank() <= dims.length;
        for (int i = 0; ok && i < d.rank(); i++) {
            int dd = d.dim(d.rank() - 1 - i);
            ok = dd == 1 || dd == dims[dims.length - 1 - i];
        }
        if (!ok) {
            throw new InvalidArgumentError("SparseDenseBinaryOpShared broadcasts dense to sparse only; got incompatible shapes: "
                    + SparseCoo.list(dims) + " vs. " + d.brief());
        }
        long[] readStrides = Broadcast.readStrides(d, sparseShape);
        int n = indices.shape().dim(0), r = dims.length;
        SparseCoo.positions(indices, dims);
        Buffer out = Buffer.allocate(values.dtype(), Shape.of(n));
        boolean floating = values.dtype().isFloating();
        for (int k = 0; k < n; k++) {
            long off = 0;
            for (int j = 0; j < r; j++) off += indices.getLong((long) k * r + j) * readStrides[j];
            if (floating) {
                double x = values.getDouble(k), y = dense.getDouble(off);
                out.setDouble(k, switch (op) { case ADD -> x + y; case MUL -> x * y; case DIV -> x / y; });
            } else {
                long x = values.getLong(k), y = dense.getLong(off);
                if (op == CwiseOp.DIV && y == 0) throw new InvalidArgumentError("Integer division by zero");
                out.setLong(k, switch (op) { case ADD -> x + y; case MUL -> x * y; case DIV -> x / y; });
            }
        }
        return out;
    }

    /** Rounds a running sum to the dtype's precision so float32 sums match float32 arithmetic. */
    private static double round(DType t, double v) {
        return t == DType.FLOAT32 ? (float) v : v;
    }
}
