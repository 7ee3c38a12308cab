package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Comparisons (NaN, signed zero, DAZ, strings) and the logical ops. */
class CompareAndLogicOpsTest {
    static final float NAN = Float.NaN;

    static Tensor f32(float... v) { return Tf.constant(v); }

    static Tensor bools(boolean... v) { return Tf.constant(v); }

    @Test
    void nanComparesFalseExceptNotEqual() {
        Tensor x = f32(NAN, NAN, 1), y = f32(NAN, 1, NAN);
        boolean[] none = {false, false, false};
        assertArrayEquals(none, Tf.less(x, y).toBooleanArray());
        assertArrayEquals(none, Tf.lessEqual(x, y).toBooleanArray());
        assertArrayEquals(none, Tf.greater(x, y).toBooleanArray());
        assertArrayEquals(none, Tf.greaterEqual(x, y).toBooleanArray());
        assertArrayEquals(none, Tf.equal(x, y).toBooleanArray());
        assertArrayEquals(new boolean[]{true, true, true}, Tf.notEqual(x, y).toBooleanArray());
    }

    @Test
    void signedZerosAreEqualAndSubnormalsReadAsZero() {
        assertArrayEquals(new boolean[]{true, true}, Tf.equal(f32(-0f, 1e-40f), f32(0f, 0f)).toBooleanArray());
        assertArrayEquals(new boolean[]{false}, Tf.less(f32(0f), f32(1e-40f)).toBooleanArray());
    }

    @Test
    void orderingBroadcasts() {
        Tensor m = Tf.constant(new int[][]{{1, 5}, {3, 2}});
        Tensor r = Tf.greater(m, Tf.constant(2));
        assertEquals(Shape.of(2, 2), r.shape());
        assertArrayEquals(new boolean[]{false, true, true, false}, r.toBooleanArray());
        assertArrayEquals(new boolean[]{true, false, true, true}, m.lessEqual(3).toBooleanArray());
        assertArrayEquals(new boolean[]{false, true}, Tf.constant(new int[]{200, 3}, DType.UINT8).less(Tf.constant(new int[]{100}, DType.UINT8)).toBooleanArray());
    }

    @Test
    void stringsAndBoolsCanBeTestedForEquality() {
        Tensor s = Tf.constant(new String[]{"a", "b", "c"});
        assertArrayEquals(new boolean[]{false, true, false}, Tf.equal(s, Tf.constant("b")).toBooleanArray());
        assertArrayEquals(new boolean[]{true, false, true}, Tf.notEqual(s, Tf.constant("b")).toBooleanArray());
        assertArrayEquals(new boolean[]{true, false}, Tf.equal(bools(true, false), bools(true, true)).toBooleanArray());
    }

    @Test
    void orderingIsNotDefinedOnBoolOrString() {
        var e = assertThrows(DTypeError.class, () -> Tf.less(bools(true), bools(false)));
        assertTrue(e.getMessage().contains("Value for attr 'T' of bool is not in the list of allowed values: float, double, int32"), e.getMessage());
        assertThrows(DTypeError.class, () -> Tf.greater(Tf.constant("a"), Tf.constant("b")));
    }

    @Test
    void comparingDifferentDTypesIsAnError() {
        assertThrows(DTypeError.class, () -> Tf.equal(f32(1), Tf.constant(new int[]{1})));
    }

    @Test
    void logicalOpsBroadcast() {
        Tensor col = Tf.constant(new boolean[][]{{true}, {false}});
        Tensor row = bools(true, false);
        assertArrayEquals(new boolean[]{true, false, false, false}, Tf.logicalAnd(col, row).toBooleanArray());
        assertArrayEquals(new boolean[]{true, true, true, false}, Tf.logicalOr(col, row).toBooleanArray());
        assertArrayEquals(new boolean[]{false, true, true, false}, Tf.logicalXor(col, row).toBooleanArray());
        assertArrayEquals(new boolean[]{false, true}, row.not().toBooleanArray());
    }

    @Test
    void logicalOpsTakeBoolOnly() {
        var e = assertThrows(DTypeError.class, () -> Tf.logicalAnd(f32(1), f32(0)));
        assertTrue(e.getMessage().contains("cannot compute LogicalAnd as input #0(zero-based) was expected to be a bool tensor but is a float tensor"),
                e.getMessage());
        assertThrows(DTypeError.class, () -> Tf.logicalNot(Tf.constant(new int[]{1})));
    }
}
