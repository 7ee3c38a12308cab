package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Cast between dtypes with TensorFlow's x86 rules. */
class CastOpsTest {
    static Tensor f32(float... v) { return Tf.constant(v); }

    @Test
    void floatToIntTruncatesTowardZero() {
        assertArrayEquals(new int[]{1, -1, 0, 2147483520}, f32(1.9f, -1.9f, -0.5f, 2.1474835e9f).cast(DType.INT32).toIntArray());
        assertArrayEquals(new long[]{-3_000_000_000L}, Tf.cast(Tf.constant(new double[]{-3e9}), DType.INT64).toLongArray());
    }

    @Test
    void nanInfinityAndOutOfRangeBecomeIntMin() {
        int m = Integer.MIN_VALUE;
        assertArrayEquals(new int[]{m, m, m, m}, f32(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 3e9f).cast(DType.INT32).toIntArray());
        assertArrayEquals(new long[]{Long.MIN_VALUE}, f32(Float.NaN).cast(DType.INT64).toLongArray());
    }

    @Test
    void narrowingKeepsTheLowBits() {
        assertArrayEquals(new int[]{44, 255}, Tf.constant(new int[]{300, -1}).cast(DType.UINT8).toIntArray());
        assertArrayEquals(new int[]{-1}, Tf.constant(new long[]{0xFFFF_FFFFL}).cast(DType.INT32).toIntArray());
        assertArrayEquals(new int[]{255}, f32(255.5f).cast(DType.UINT8).toIntArray());
    }

    @Test
    void floatToBoolIsNonzeroAfterDenormalsAreZero() {
        assertArrayEquals(new boolean[]{true, false, false, true, true}, f32(Float.NaN, -0f, 1e-40f, 1e-30f, -2).cast(DType.BOOL).toBooleanArray());
        assertArrayEquals(new boolean[]{false, true}, Tf.constant(new int[]{0, -7}).cast(DType.BOOL).toBooleanArray());
    }

    @Test
    void boolToNumbers() {
        assertArrayEquals(new float[]{1, 0}, Tf.constant(new boolean[]{true, false}).cast(DType.FLOAT32).toFloatArray());
    }

    @Test
    void floatingNarrowingRoundsToNearestEven() {
        float[] r = Tf.constant(new double[]{1e39, 1e-50, 1 + 0x1p-24, 1 + 0x1p-23 + 0x1p-24}).cast(DType.FLOAT32).toFloatArray();
        assertEquals(Float.POSITIVE_INFINITY, r[0]);
        assertEquals(0f, r[1]);
        assertEquals(1f, r[2], "a tie rounds to the even neighbour");
        assertEquals(1 + 0x1p-22f, r[3]);
        assertArrayEquals(new double[]{9007199254740992.0}, Tf.constant(new long[]{9007199254740993L}).cast(DType.FLOAT64).toDoubleArray());
        assertArrayEquals(new float[]{256}, f32(257).cast(DType.BFLOAT16).toFloatArray(), "bfloat16 has 8 significant bits");
    }

    @Test
    void stringsDoNotCastToNumbers() {
        assertThrows(DTypeError.class, () -> Tf.constant("1").cast(DType.INT32));
    }

    @Test
    void castToTheSameDTypeIsTheIdentity() {
        Tensor x = f32(1);
        assertSame(x, x.cast(DType.FLOAT32));
    }
}
