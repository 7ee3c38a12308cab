package dev.tfjit.tracer;

import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TfException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** concat, stack, unstack, split and reverse. */
class JoinSplitTest {
    private final Tensor a = Tf.constant(new int[][] {{1, 2, 3}, {4, 5, 6}});
    private final Tensor b = Tf.constant(new int[][] {{7, 8, 9}, {10, 11, 12}});

    @Test
    void concatJoinsAlongAnExistingAxis() {
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, Tf.concat(List.of(a, b), 0).toIntArray());
        Tensor c = Tf.concat(List.of(a, b), -1);
        assertEquals(Shape.of(2, 6), c.shape());
        assertArrayEquals(new int[] {1, 2, 3, 7, 8, 9, 4, 5, 6, 10, 11, 12}, c.toIntArray());
        assertEquals(Shape.of(2, 3), Tf.concat(List.of(a, Tf.reshape(Tf.constant(new int[0]), 0, 3)), 0).shape());
    }

    @Test
    void concatErrorsNameShapesAndDtypes() {
        var e = assertThrows(InvalidArgumentError.class, () -> Tf.concat(List.of(a, Tf.constant(new int[] {1})), 0));
        assertTrue(e.getMessage().contains("Ranks of all input tensors should match: shape[0] = [2,3] vs. shape[1] = [1]"), e.getMessage());
        e = assertThrows(InvalidArgumentError.class, () -> Tf.concat(List.of(a, Tf.constant(new int[2][4])), 0));
        assertTrue(e.getMessage().contains("Dimension 1 in both shapes must be equal: shape[0] = [2,3] vs. shape[1] = [2,4]"), e.getMessage());
        e = assertThrows(InvalidArgumentError.class, () -> Tf.concat(List.of(a, b), 2));
        assertTrue(e.getMessage().contains("Expected concatenating dimensions in the range [-2, 2), but got 2"), e.getMessage());
        var d = assertThrows(DTypeError.class, () -> Tf.concat(List.of(a, Tf.constant(new float[2][3])), 0));
        assertTrue(d.getMessage().contains("int32") && d.getMessage().contains("float32"), d.getMessage());
    }

    @Test
    void stackAddsANewAxis() {
        Tensor s = Tf.stack(List.of(a, b), 1);
        assertEquals(Shape.of(2, 2, 3), s.shape());
        assertArrayEquals(new int[] {1, 2, 3, 7, 8, 9, 4, 5, 6, 10, 11, 12}, s.toIntArray());
        assertArrayEquals(new float[] {1, 2, 3}, Tf.stack(List.of(Tf.constant(1f), Tf.constant(2f), Tf.constant(3f))).toFloatArray());
        assertEquals(Shape.of(0, 2), Tf.stack(List.of(Tf.constant(new float[0]), Tf.constant(new float[0])), 1).shape());
        var e = assertThrows(InvalidArgumentError.class, () -> Tf.stack(List.of(a, Tf.constant(new int[3][2]))));
        assertTrue(e.getMessage().contains("Shapes of all inputs must match: values[0].shape = [2,3] != values[1].shape = [3,2]"), e.getMessage());
    }

    @Test
    void unstackIsTheInverseOfStack() {
        List<Tensor> cols = Tf.unstack(a, -1);
        assertEquals(3, cols.size());
        assertArrayEquals(new int[] {2, 5}, cols.get(1).toIntArray());
        List<Tensor> rows = Tf.unstack(Tf.constant(new int[] {4, 9}));
        assertEquals(Shape.SCALAR, rows.get(0).shape());
        assertEquals(9, rows.get(1).intValue());
        assertArrayEquals(a.toIntArray(), Tf.stack(Tf.unstack(a, 1), 1).toIntArray());
        assertThrows(InvalidArgumentError.class, () -> Tf.unstack(a, 0, 3));
        assertEquals(0, Tf.unstack(Tf.constant(new float[0], 0, 2), 0).size());
    }

    @Test
    void splitIntoEqualPiecesOrGivenSizes() {
        List<Tensor> halves = Tf.split(Tf.constant(new int[] {1, 2, 3, 4, 5, 6}), 2, 0);
        assertArrayEquals(new int[] {4, 5, 6}, halves.get(1).toIntArray());
        List<Tensor> parts = Tf.split(a, new int[] {0, 1, -1}, 1);
        assertEquals(Shape.of(2, 0), parts.get(0).shape());
        assertArrayEquals(new int[] {1, 4}, parts.get(1).toIntArray());
        assertArrayEquals(new int[] {2, 3, 5, 6}, parts.get(2).toIntArray());
        var e = assertThrows(InvalidArgumentError.class, () -> Tf.split(a, 2, 1));
        assertTrue(e.getMessage().contains("Number of ways to split should evenly divide the split dimension, but got split_dim 1 (size = 3) and num_split 2"), e.getMessage());
        assertThrows(InvalidArgumentError.class, () -> Tf.split(a, new int[] {2, 2}, 1));
        assertThrows(InvalidArgumentError.class, () -> Tf.split(a, new int[] {-1, -1}, 1));
    }

    @Test
    void reverseFlipsTheListedAxes() {
        assertArrayEquals(new int[] {6, 5, 4, 3, 2, 1}, Tf.reverse(a, 0, -1).toIntArray());
        assertArrayEquals(new int[] {3, 2, 1, 6, 5, 4}, a.reverse(1).toIntArray());
        assertArrayEquals(a.toIntArray(), Tf.reverse(a).toIntArray());
        assertEquals(Shape.of(0, 3), Tf.reverse(Tf.reshape(Tf.constant(new int[0]), 0, 3), 0).shape());
        var e = assertThrows(TfException.class, () -> Tf.reverse(a, 0, -2));
        assertTrue(e.getMessage().contains("specified more than once"), e.getMessage());
    }
}
