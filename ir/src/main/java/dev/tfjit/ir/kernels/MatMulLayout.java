package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Shape;

import java.util.Arrays;
import java.util.List;

/**
 * Where a matmul finds its elements in dense row-major operands: the product's sizes, the row
 * and column element strides that apply {@code transpose_a/b} without copying, and each
 * operand's element strides over the broadcast batch dims. The reference kernel ({@link MatMul})
 * and the code generators take their indexing from here, so they agree on it by construction.
 * Shapes are those {@link MatMul#type} accepted, fully known.
 *
 * @param batch the output's batch dims (all but its last two)
 * @param batchStrides the output's, A's and B's element strides of each batch dim, in that order (0 where an operand broadcasts)
 */
public record MatMulLayout(int m, int n, int k, boolean transposeA, boolean transposeB, Shape batch, List<long[]> batchStrides) {
    public static MatMulLayout of(Shape a, Shape b, Shape out, Attrs attrs) {
        boolean ta = attrs.getBool("transpose_a", false), tb = attrs.getBool("transpose_b", false);
        int m = out.dim(-2), n = out.dim(-1), k = a.dim(ta ? -2 : -1);
        int batchRank = out.rank() - 2;
        Shape batch = Shape.of(Arrays.copyOf(out.dims(), batchRank));
        List<long[]> strides = List.of(batchStrides(out, batchRank, (long) m * n), batchStrides(a, batchRank, (long) m * k),
                batchStrides(b, batchRank, (long) k * n));
        return new MatMulLayout(m, n, k, ta, tb, batch, strides);
    }

    // Element (i, p) of A is at i*rowA + p*colA, (p, j) of B at p*rowB + j*colB: a transpose just swaps the strides.

    public long rowA() { return transposeA ? 1 : k; }

    public long colA() { return transposeA ? m : 1; }

    public long rowB() { return transposeB ? 1 : n; }

    public long colB() { return transposeB ? k : 1; }

    /** Element strides of each batch dim of an operand read over the broadcast batch (0 where broadcast). */
    private static long[] batchStrides(Shape operand, int batchRank, long matrixSize) {
        int r = operand.rank() - 2;
        long[] s = new long[batchRank];
        long acc = matrixSize;
        for (int i = r - 1; i >= 0; i--) {
            int j = i + batchRank - r;
            s[j] = operand.dim(i) == 1 ? 0 : acc;
            acc *= operand.dim(i);
        }
        return s;
    }
}
