package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TfException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class RaggedTensorTest {
    private static final int[] DOC_VALUES = {3, 1, 4, 1, 5, 9, 2, 6};

    /** TF's documented example: {@code [[3, 1, 4, 1], [], [5, 9, 2], [6], []]}. */
    private static RaggedTensor docExample() {
        return Tf.ragged.fromRowSplits(Tf.constant(DOC_VALUES), Tf.constant(new long[] {0, 4, 4, 7, 8, 8}));
    }

    @Test
    void constantFromAJaggedJavaArray() {
        RaggedTensor rt = Tf.ragged.constant(new int[][] {{1, 2}, {3}});
        assertArrayEquals(new int[] {1, 2, 3}, rt.values().toIntArray());
        assertArrayEquals(new long[] {0, 2, 3}, rt.rowSplits().toLongArray());
        assertEquals(DType.INT32, rt.dtype());
        assertEquals(Shape.of(2, Shape.UNKNOWN), rt.shape());
        assertEquals("<tf.RaggedTensor [[1, 2], [3]]>", rt.toString());
    }

    @Test
    void constantFromNestedJavaLists() {
        RaggedTensor ints = Tf.ragged.constant(List.of(List.of(3, 1, 4, 1), List.of(), List.of(5, 9, 2), List.of(6)));
        assertEquals(DType.INT32, ints.values().dtype());
        assertArrayEquals(new long[] {4, 0, 3, 1}, ints.rowLengths().toLongArray());
        assertEquals("<tf.RaggedTensor [[3, 1, 4, 1], [], [5, 9, 2], [6]]>", ints.toString());
        RaggedTensor floats = Tf.ragged.constant(List.of(List.of(1.5, 2.0), List.of(3.0)));
        assertEquals(DType.FLOAT32, floats.values().dtype(), "Python floats become float32, as in TF");
        assertThrows(TfException.class, () -> Tf.ragged.constant(List.of(List.of(1, 2), List.of(1.5))));
        assertThrows(TfException.class, () -> Tf.ragged.constant(List.of(List.of(1), 2)));
    }

    @Test
    void printsFloatsStringsAndEmptyRowsLikePython() {
        // to_list() widens float32 to Python floats, so 1e-5f shows all its double digits
        assertEquals("<tf.RaggedTensor [[1.5, 2.0], [], [9.999999747378752e-06]]>",
                Tf.ragged.constant(new float[][] {{1.5f, 2}, {}, {1e-5f}}).toString());
        assertEquals("<tf.RaggedTensor [[b'a', b'b'], [b'c']]>", Tf.ragged.constant(new String[][] {{"a", "b"}, {"c"}}).toString());
        assertEquals("<tf.RaggedTensor [[[1, 2]], [[3, 4], [5, 6]]]>", Tf.ragged.constant(new int[][][] {{{1, 2}}, {{3, 4}, {5, 6}}}).toString());
        assertEquals("1e+16", RaggedFormat.pythonFloat(1e16));
        assertEquals("0.0001", RaggedFormat.pythonFloat(1e-4));
        assertEquals("123.25", RaggedFormat.pythonFloat(123.25));
    }

    @Test
    void fromRowSplitsAndFromRowLengthsAgree() {
        assertEquals("<tf.RaggedTensor [[3, 1, 4, 1], [], [5, 9, 2], [6], []]>", docExample().toString());
        RaggedTensor byLengths = Tf.ragged.fromRowLengths(Tf.constant(DOC_VALUES), Tf.constant(new int[] {4, 0, 3, 1, 0}));
        assertArrayEquals(new long[] {0, 4, 4, 7, 8, 8}, byLengths.rowSplits().toLongArray());
        assertArrayEquals(new long[] {4, 0, 3, 1, 0}, docExample().rowLengths().toLongArray());
        assertEquals(5, docExample().nrows().longValue());
    }

    @Test
    void invalidSplitsAreRejected() {
        Tensor v = Tf.constant(new int[] {1, 2, 3});
        for (long[] bad : new long[][] {{1, 3}, {0, 2, 1, 3}, {0, 2}}) {
            TfException e = assertThrows(InvalidArgumentError.class, () -> Tf.ragged.fromRowSplits(v, Tf.constant(bad)));
            assertTrue(e.getMessage().contains("do not form a valid RaggedTensor"), e.getMessage());
        }
        assertThrows(TfException.class, () -> Tf.ragged.fromRowLengths(v, Tf.constant(new int[] {2, 2})));
    }

    @Test
    void indexingReturnsOneRow() {
        assertArrayEquals(new int[] {5, 9, 2}, docExample().get(2).toIntArray());
        assertEquals(Shape.of(0), docExample().get(1).shape());
        assertArrayEquals(new int[] {3, 1, 4, 1}, docExample().get(0).toIntArray());
        assertArrayEquals(new int[] {6}, docExample().get(-2).toIntArray());
        assertThrows(TfException.class, () -> docExample().get(5));
    }

    @Test
    void toTensorPadsShortRows() {
        Tensor dense = docExample().toTensor();
        assertEquals(Shape.of(5, 4), dense.shape());
        assertArrayEquals(new int[] {3, 1, 4, 1, 0, 0, 0, 0, 5, 9, 2, 0, 6, 0, 0, 0, 0, 0, 0, 0}, dense.toIntArray());
        assertArrayEquals(new int[] {1, 2, 3, -1}, Tf.ragged.constant(new int[][] {{1, 2}, {3}}).toTensor(-1).toIntArray());
        Tensor inner = Tf.ragged.constant(new float[][][] {{{1, 2}}, {{3, 4}, {5, 6}}}).toTensor();
        assertEquals(Shape.of(2, 2, 2), inner.shape());
        assertArrayEquals(new float[] {1, 2, 0, 0, 3, 4, 5, 6}, inner.toFloatArray());
        assertEquals(Shape.of(0, 0), Tf.ragged.constant(new int[0][]).toTensor().shape());
    }

    @Test
    void concatAlongRowsAndAlongTheRaggedAxis() {
        RaggedTensor a = Tf.ragged.constant(new int[][] {{1, 2}, {3}});
        RaggedTensor b = Tf.ragged.constant(new int[][] {{4}, {5, 6}});
        assertEquals("<tf.RaggedTensor [[1, 2], [3], [4], [5, 6]]>", Tf.ragged.concat(List.of(a, b), 0).toString());
        assertEquals("<tf.RaggedTensor [[1, 2, 4], [3, 5, 6]]>", Tf.ragged.concat(List.of(a, b), 1).toString());
        RaggedTensor threeRows = Tf.ragged.constant(new int[][] {{1}, {2}, {3}});
        assertTrue(assertThrows(InvalidArgumentError.class, () -> Tf.ragged.concat(List.of(a, threeRows), 1)).getMessage()
                .contains("same number of rows"));
        assertThrows(TfException.class, () -> Tf.ragged.concat(List.of(a, b), 2));
    }

    @Test
    void elementwiseOpsKeepTheRowStructure() {
        RaggedTensor a = Tf.ragged.constant(new int[][] {{1, 2}, {3}});
        assertEquals("<tf.RaggedTensor [[11, 12], [13]]>", a.add(10).toString());
        assertEquals("<tf.RaggedTensor [[2, 4], [6]]>", a.add(a).toString());
        assertEquals("<tf.RaggedTensor [[1, 4], [9]]>", a.mul(a).toString());
        assertEquals("<tf.RaggedTensor [[1.0, 4.0], [9.0]]>", Tf.ragged.constant(new float[][] {{1, 2}, {3}}).mapValues(Tf::square).toString());
        RaggedTensor other = Tf.ragged.constant(new int[][] {{1}, {2, 3}});
        assertTrue(assertThrows(InvalidArgumentError.class, () -> a.add(other)).getMessage().contains("identical ragged splits"));
    }

    @Test
    void worksWhileTracingWithUnknownDims() {
        Function padded = Function.of((Tensor values, Tensor lengths) -> Tf.ragged.fromRowLengths(values, lengths).mul(2).toTensor())
                .withInputSignature(TensorSpec.of(DType.INT32, "?"), TensorSpec.of(DType.INT32, "?"));
        Tensor out = padded.call(Tf.constant(new int[] {1, 2, 3}), Tf.constant(new int[] {1, 2}));
        assertEquals(Shape.of(2, 2), out.shape());
        assertArrayEquals(new int[] {2, 0, 4, 6}, out.toIntArray());
        Tensor other = padded.call(Tf.constant(new int[] {1, 2, 3, 4}), Tf.constant(new int[] {0, 4, 0}));
        assertArrayEquals(new int[] {0, 0, 0, 0, 2, 4, 6, 8, 0, 0, 0, 0}, other.toIntArray());
        assertEquals(1, padded.traceCount());
    }
}
