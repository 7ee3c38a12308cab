package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.TfException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SetsTest {
    /** The seed's sets {1, 2} and {3, 4}, against {2, 5} and {4}. */
    private static final Tensor A = Tf.constant(new int[][] {{1, 2}, {3, 4}});
    private static final Tensor B = Tf.constant(new int[][] {{2, 5}, {4, 4}});

    @Test
    void unionIsSparseWithSortedSets() {
        SparseTensor u = Tf.sets.union(A, B);
        assertArrayEquals(new long[] {0, 0, 0, 1, 0, 2, 1, 0, 1, 1}, u.indices().toLongArray());
        assertArrayEquals(new int[] {1, 2, 5, 3, 4}, u.values().toIntArray());
        assertArrayEquals(new long[] {2, 3}, u.denseShape().toLongArray());
        assertArrayEquals(new int[] {1, 2, 5, 3, 4, 0}, u.toDense().toIntArray());
    }

    @Test
    void intersectionAndDifference() {
        SparseTensor i = Tf.sets.intersection(A, B);
        assertArrayEquals(new int[] {2, 4}, i.values().toIntArray());
        assertArrayEquals(new long[] {0, 0, 1, 0}, i.indices().toLongArray());
        assertArrayEquals(new long[] {2, 1}, i.denseShape().toLongArray());
        assertArrayEquals(new int[] {1, 3}, Tf.sets.difference(A, B).values().toIntArray());
        SparseTensor bMinusA = Tf.sets.difference(A, B, false);
        assertArrayEquals(new int[] {5}, bMinusA.values().toIntArray());
        assertArrayEquals(new long[] {0, 0}, bMinusA.indices().toLongArray());
        assertArrayEquals(new long[] {2, 1}, bMinusA.denseShape().toLongArray(), "the empty second set still counts as a row");
    }

    @Test
    void sizeCountsDistinctElements() {
        assertArrayEquals(new int[] {3, 2}, Tf.sets.size(Tf.sets.union(A, B)).toIntArray());
        SparseTensor withDuplicates = SparseTensor.of(new long[][] {{0, 0}, {0, 1}, {0, 2}, {2, 0}}, new long[] {7, 7, 8, 1}, 3, 3);
        assertArrayEquals(new int[] {2, 0, 1}, Tf.sets.size(withDuplicates).toIntArray());
        assertThrows(InvalidArgumentError.class, () -> Tf.sets.size(SparseTensor.of(new long[][] {{0}}, new int[] {1}, 2)));
    }

    @Test
    void stringSetsAndHigherRanks() {
        SparseTensor s = Tf.sets.union(Tf.constant(new String[][] {{"b", "a"}}), Tf.constant(new String[][] {{"c", "b"}}));
        assertArrayEquals(new String[] {"a", "b", "c"}, s.values().toStringArray());
        Tensor a = Tf.constant(new long[][][] {{{1, 1}, {2, 3}}, {{4, 5}, {6, 6}}});
        Tensor b = Tf.constant(new long[][][] {{{1, 9}, {3, 3}}, {{0, 0}, {6, 7}}});
        SparseTensor i = Tf.sets.intersection(a, b);
        assertArrayEquals(new long[] {1, 3, 6}, i.values().toLongArray());
        assertArrayEquals(new long[] {0, 0, 0, 0, 1, 0, 1, 1, 0}, i.indices().toLongArray());
        assertArrayEquals(new long[] {2, 2, 1}, i.denseShape().toLongArray());
    }

    @Test
    void badInputsAreRejected() {
        TfException rank = assertThrows(InvalidArgumentError.class, () -> Tf.sets.union(Tf.constant(new int[] {1, 2}), Tf.constant(new int[] {3})));
        assertTrue(rank.getMessage().contains("has rank 1 < 2"), rank.getMessage());
        assertThrows(DTypeError.class, () -> Tf.sets.union(Tf.constant(new float[][] {{1}}), Tf.constant(new float[][] {{2}})));
        assertThrows(DTypeError.class, () -> Tf.sets.union(A, Tf.cast(B, DType.INT64)));
        TfException groups = assertThrows(InvalidArgumentError.class, () -> Tf.sets.union(A, Tf.constant(new int[][] {{1}, {2}, {3}})));
        assertTrue(groups.getMessage().contains("Mismatched shapes"), groups.getMessage());
    }

    @Test
    void worksWhileTracingWithUnknownDims() {
        Function unionSizes = Function.of((Tensor a, Tensor b) -> Tf.sets.size(Tf.sets.union(a, b)))
                .withInputSignature(TensorSpec.of(DType.INT32, "?", "?"), TensorSpec.of(DType.INT32, "?", "?"));
        assertArrayEquals(new int[] {3, 2}, unionSizes.call(A, B).toIntArray());
        assertArrayEquals(new int[] {1}, unionSizes.call(Tf.constant(new int[][] {{9, 9, 9}}), Tf.constant(new int[][] {{9}})).toIntArray());
        assertEquals(1, unionSizes.traceCount());
    }
}
