package dev.tfjit.tracer;

import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.ShapeError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tf.Variable's eager API, with the seed's examples (chapter 12, "Variables"). */
class VariableTest {

    static Variable seedVariable() { return Variable.of(new float[][] {{1, 2, 3}, {4, 5, 6}}); }

    @Test
    void assignScalesAndAdds() {
        Variable v = seedVariable();
        v.assign(v.read().mul(2f));
        assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, v.read().toFloatArray());
        v.assignAdd(Tf.ones(2, 3));
        v.assignSub(Tf.ones(2, 3).mul(2f));
        assertArrayEquals(new float[] {1, 3, 5, 7, 9, 11}, v.read().toFloatArray());
    }

    @Test
    void sliceAndElementAssignment() {
        Variable v = seedVariable();
        v.assignSlice("0, 1", Tf.constant(42f));                       // v[0, 1].assign(42)
        v.assignSlice(":, 2", Tf.constant(new float[] {0, 1}));         // v[:, 2].assign([0., 1.])
        assertArrayEquals(new float[] {1, 42, 0, 4, 5, 1}, v.read().toFloatArray());
        assertArrayEquals(new float[] {42, 5}, v.get(":, 1").toFloatArray());
    }

    @Test
    void scatterNdUpdate() {
        Variable v = seedVariable();
        v.scatterNdUpdate(Tf.constant(new int[][] {{0, 0}, {1, 2}}), Tf.constant(new float[] {100, 200}));
        assertArrayEquals(new float[] {100, 2, 3, 4, 5, 200}, v.read().toFloatArray());
    }

    @Test
    void dtypeAndShapeAreFixed() {
        Variable v = seedVariable();
        DTypeError d = assertThrows(DTypeError.class, () -> v.assign(Tf.constant(new double[][] {{1, 2, 3}, {4, 5, 6}})));
        assertTrue(d.getMessage().contains("float32") && d.getMessage().contains("float64"), d.getMessage());
        ShapeError s = assertThrows(ShapeError.class, () -> v.assign(Tf.ones(3, 2)));
        assertTrue(s.getMessage().contains("(2, 3)") && s.getMessage().contains("(3, 2)"), s.getMessage());
    }

    @Test
    void printsLikeTensorFlow() {
        Variable v = new Variable(Tf.constant(new float[] {1, 2}), "w");
        assertEquals("<tf.Variable 'w:0' shape=(2,) dtype=float32, numpy=array([1., 2.], dtype=float32)>", v.toString());
    }
}
