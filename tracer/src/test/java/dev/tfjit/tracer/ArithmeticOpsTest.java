package dev.tfjit.tracer;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.UnimplementedError;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** add, subtract, multiply, divide, floordiv/floormod, truncatediv/mod, pow, maximum/minimum, squared_difference. */
class ArithmeticOpsTest {
    static final float SUBNORMAL = 1e-39f;

    static Tensor f32(float... v) { return Tf.constant(v); }

    static Tensor i32(int... v) { return Tf.constant(v); }

    @Nested
    class Broadcasting {
        @Test
        void rowPlusColumnGivesAGrid() {
            Tensor col = Tf.constant(new float[][]{{1}, {2}, {3}});
            Tensor row = f32(10, 20, 30, 40);
            Tensor sum = Tf.add(col, row);
            assertEquals(Shape.of(3, 4), sum.shape());
            assertArrayEquals(new float[]{11, 21, 31, 41, 12, 22, 32, 42, 13, 23, 33, 43}, sum.toFloatArray());
        }

        @Test
        void scalarOnTheLeftOfANonCommutativeOp() {
            assertArrayEquals(new float[]{9, 8, 7}, Tf.subtract(Tf.constant(10f), f32(1, 2, 3)).toFloatArray());
            assertArrayEquals(new float[]{12, 6, 4}, Tf.divide(Tf.constant(12f), f32(1, 2, 3)).toFloatArray());
        }

        @Test
        void rankZeroAndEmptyTensors() {
            Tensor s = Tf.multiply(Tf.constant(3.0), Tf.constant(4.0));
            assertEquals(0, s.rank());
            assertEquals(12.0, s.item());
            Tensor empty = Tf.add(Tf.fromBuffer(Buffer.allocate(DType.FLOAT32, 0, 3)), Tf.constant(new float[][]{{1, 2, 3}}));
            assertEquals(Shape.of(0, 3), empty.shape());
        }

        @Test
        void incompatibleShapesUseTensorFlowsMessage() {
            var e = assertThrows(ShapeError.class, () -> Tf.multiply(Tf.constant(new float[2][3]), f32(1, 2, 3, 4)));
            assertTrue(e.getMessage().contains("Incompatible shapes: [2,3] vs. [4]"), e.getMessage());
        }
    }

    @Nested
    class DTypes {
        @Test
        void mixedDTypesAreAnErrorNamingBoth() {
            var e = assertThrows(DTypeError.class, () -> Tf.add(f32(1), Tf.constant(new double[]{1})));
            assertTrue(e.getMessage().contains("cannot compute AddV2 as input #1(zero-based) was expected to be a float tensor but is a double tensor"), e.getMessage());
        }

        @Test
        void multiplyOnBoolListsTheAllowedTypes() {
            Tensor b = Tf.constant(new boolean[]{true});
            var e = assertThrows(DTypeError.class, () -> Tf.multiply(b, b));
            assertTrue(e.getMessage().contains("Value for attr 'T' of bool is not in the list of allowed values: bfloat16, half, float, double, uint8"), e.getMessage());
        }

        @Test
        void integerOverflowWraps() {
            assertArrayEquals(new int[]{Integer.MIN_VALUE}, Tf.add(i32(Integer.MAX_VALUE), i32(1)).toIntArray());
            assertArrayEquals(new int[]{Integer.MIN_VALUE}, Tf.multiply(i32(Integer.MIN_VALUE), i32(-1)).toIntArray());
            Tensor u8 = Tf.constant(new int[]{3, 250}, DType.UINT8);
            assertArrayEquals(new int[]{254, 244}, Tf.subtract(u8, Tf.constant(new int[]{5, 6}, DType.UINT8)).toIntArray());
            assertArrayEquals(new int[]{253}, Tf.add(Tf.constant(new int[]{250}, DType.UINT8), Tf.constant(new int[]{259}, DType.UINT8)).toIntArray());
        }

        @Test
        void int64KeepsAllBits() {
            Tensor big = Tf.constant(new long[]{1L << 40});
            assertArrayEquals(new long[]{(1L << 40) * 3}, Tf.multiply(big, Tf.constant(new long[]{3})).toLongArray());
        }

        @Test
        void halfTypesComputeInFloat32AndRoundOnce() {
            // 2049 is not a float16 (spacing 2 above 2048): 2048 + 1 rounds to even, 2048.
            Tensor h = Tf.constant(new float[]{2048}, DType.FLOAT16);
            Tensor sum = Tf.add(h, Tf.constant(new float[]{1}, DType.FLOAT16));
            assertEquals(DType.FLOAT16, sum.dtype());
            assertArrayEquals(new float[]{2048}, sum.toFloatArray());
            // bfloat16 has 8 significant bits: 256 + 1 rounds to 256, 256 + 3 to 260.
            Tensor bf = Tf.constant(new float[]{256, 256}, DType.BFLOAT16);
            assertArrayEquals(new float[]{256, 260}, Tf.add(bf, Tf.constant(new float[]{1, 3}, DType.BFLOAT16)).toFloatArray());
        }
    }

    @Nested
    class FlushToZero {
        @Test
        void subnormalInputsReadAsZero() {
            assertArrayEquals(new float[]{0}, Tf.add(f32(SUBNORMAL), f32(SUBNORMAL)).toFloatArray());
            // 1.2e-38 is normal; adding a subnormal changes nothing once it is read as zero.
            assertArrayEquals(new float[]{1.2e-38f}, Tf.add(f32(1.2e-38f), f32(SUBNORMAL)).toFloatArray());
        }

        @Test
        void subnormalResultsAreStoredAsZero() {
            assertArrayEquals(new float[]{0}, Tf.multiply(f32(1e-20f), f32(1e-20f)).toFloatArray());
            assertEquals(0.0, Tf.multiply(Tf.constant(1e-200), Tf.constant(1e-200)).item());
        }

        @Test
        void aSubnormalDeepInsideALargeTensorIsFlushedToo() {
            int n = 10_000;
            float[] a = new float[n], b = new float[n];
            for (int i = 0; i < n; i++) { a[i] = i; b[i] = 1; }
            a[7777] = SUBNORMAL;
            b[7777] = 0;
            b[9000] = 1.5e-38f;
            a[9000] = -1.4e-38f; // the difference, 1e-39, is subnormal
            float[] sum = Tf.add(f32(a), f32(b)).toFloatArray();
            assertEquals(0f, sum[7777]);
            assertEquals(0f, sum[9000]);
            assertEquals(7001f, sum[7000]);
            float[] scaled = Tf.multiply(f32(a), Tf.constant(SUBNORMAL)).toFloatArray();
            assertEquals(0f, scaled[5000]);
        }
    }

    @Nested
    class Division {
        @Test
        void divideFollowsIeee() {
            float[] r = Tf.divide(f32(1, -1, 0, 1), f32(0, 0, 0, -0f)).toFloatArray();
            assertEquals(Float.POSITIVE_INFINITY, r[0]);
            assertEquals(Float.NEGATIVE_INFINITY, r[1]);
            assertTrue(Float.isNaN(r[2]));
            assertEquals(Float.NEGATIVE_INFINITY, r[3]);
        }

        @Test
        void divideCastsIntegersLikePythonsTruediv() {
            Tensor q = Tf.divide(i32(7, -7), i32(2, 2));
            assertEquals(DType.FLOAT64, q.dtype());
            assertArrayEquals(new double[]{3.5, -3.5}, q.toDoubleArray());
            assertEquals(DType.FLOAT32, Tf.divide(Tf.constant(new int[]{1}, DType.INT8), Tf.constant(new int[]{2}, DType.INT8)).dtype());
        }

        @Test
        void floordivRoundsTowardMinusInfinity() {
            assertArrayEquals(new int[]{3, -4, -4, 3}, Tf.floordiv(i32(7, -7, 7, -7), i32(2, 2, -2, -2)).toIntArray());
            assertArrayEquals(new float[]{-4, 3}, Tf.floordiv(f32(-7, 7.5f), f32(2, 2.5f)).toFloatArray());
            // TF's formula at INT_MIN: -(|x| + |y| - 1) / |y| with |INT_MIN| wrapping negative.
            assertArrayEquals(new int[]{715827882}, Tf.floordiv(i32(Integer.MIN_VALUE), i32(3)).toIntArray());
        }

        @Test
        void floatFloordivIsFloorOfTheFlushedQuotient() {
            float[] r = Tf.floordiv(f32(-1, Float.POSITIVE_INFINITY, -1), f32(3e38f, 1, Float.POSITIVE_INFINITY)).toFloatArray();
            assertEquals(-0f, r[0]); // -1 / 3e38 is subnormal, flushed to -0
            assertEquals(Float.POSITIVE_INFINITY, r[1]);
            assertEquals(-0f, r[2]);
        }

        @Test
        void floormodTakesTheDivisorsSign() {
            assertArrayEquals(new int[]{1, 2, -2, -1}, Tf.floormod(i32(7, -7, 7, -7), i32(3, 3, -3, -3)).toIntArray());
            float[] r = Tf.floormod(f32(-7.5f, -1, 1, 5), f32(2.5f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0)).toFloatArray();
            assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(r[0]), "a zero keeps the sign of x");
            assertEquals(Float.POSITIVE_INFINITY, r[1]);
            assertEquals(Float.NEGATIVE_INFINITY, r[2]);
            assertTrue(Float.isNaN(r[3]));
        }

        @Test
        void integerDivisionByZeroIsAnError() {
            var e = assertThrows(InvalidArgumentError.class, () -> Tf.floordiv(i32(1, 2), i32(1, 0)));
            assertTrue(e.getMessage().contains("Integer division by zero"), e.getMessage());
            assertThrows(InvalidArgumentError.class, () -> Tf.floormod(i32(1), i32(0)));
            assertThrows(InvalidArgumentError.class, () -> Tf.truncatediv(Tf.constant(new long[]{1}), Tf.constant(new long[]{0})));
        }

        @Test
        void truncatedOpsRoundTowardZero() {
            assertArrayEquals(new int[]{3, -3, -3, 3}, Tf.truncatediv(i32(7, -7, 7, -7), i32(2, 2, -2, -2)).toIntArray());
            assertArrayEquals(new int[]{1, -1, 1, -1}, Tf.truncatemod(i32(7, -7, 7, -7), i32(3, 3, -3, -3)).toIntArray());
            assertArrayEquals(new float[]{-1.5f}, Tf.truncatemod(f32(-7.5f), f32(2)).toFloatArray());
        }

        @Test
        void truncatedivHasNoFloatKernel() {
            assertThrows(UnimplementedError.class, () -> Tf.truncatediv(f32(1), f32(2)));
        }
    }

    @Nested
    class Powers {
        @Test
        void integerPowersWrap() {
            assertArrayEquals(new int[]{Integer.MIN_VALUE, 0, 1, 81}, Tf.pow(i32(2, -2, 5, 3), i32(31, 33, 0, 4)).toIntArray());
        }

        @Test
        void negativeIntegerExponentIsAnError() {
            var e = assertThrows(InvalidArgumentError.class, () -> Tf.pow(i32(2), i32(-1)));
            assertTrue(e.getMessage().contains("Integers to negative integer powers are not allowed"), e.getMessage());
        }

        @Test
        void floatPowFollowsC() {
            float[] r = Tf.pow(f32(2, 1, -1, Float.NaN, -8), f32(0.5f, Float.NaN, Float.POSITIVE_INFINITY, 0, 1f / 3)).toFloatArray();
            assertEquals((float) Math.sqrt(2), r[0]);
            assertEquals(1f, r[1], "pow(1, NaN) is 1 in C");
            assertEquals(1f, r[2], "pow(-1, inf) is 1 in C");
            assertEquals(1f, r[3]);
            assertTrue(Float.isNaN(r[4]));
        }

        @Test
        void fluentPowConvertsTheNumberToTheTensorsDType() {
            assertArrayEquals(new int[]{1, 8, 27}, i32(1, 2, 3).pow(3).toIntArray());
        }
    }

    @Nested
    class MinMax {
        @Test
        void nanFromEitherSidePropagates() {
            float[] mx = Tf.maximum(f32(Float.NaN, 1, 3), f32(1, Float.NaN, 2)).toFloatArray();
            assertTrue(Float.isNaN(mx[0]) && Float.isNaN(mx[1]));
            assertEquals(3f, mx[2]);
            float[] mn = Tf.minimum(f32(Float.NaN, 1, 3), f32(1, Float.NaN, 2)).toFloatArray();
            assertTrue(Float.isNaN(mn[0]) && Float.isNaN(mn[1]));
            assertEquals(2f, mn[2]);
        }

        @Test
        void signedZeroTiesReturnTheSecondOperand() {
            assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(Tf.maximum(f32(0f), f32(-0f)).toFloatArray()[0]));
            assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(Tf.minimum(f32(-0f), f32(0f)).toFloatArray()[0]));
        }

        @Test
        void integersAndUint8() {
            assertArrayEquals(new int[]{3, 5, 3}, Tf.maximum(i32(1, 5, -2), i32(3)).toIntArray());
            Tensor u = Tf.constant(new int[]{200, 10}, DType.UINT8);
            assertArrayEquals(new int[]{10, 10}, Tf.minimum(u, Tf.constant(new int[]{10}, DType.UINT8)).toIntArray());
        }

        @Test
        void squaredDifference() {
            assertArrayEquals(new float[]{4, 0, 25}, Tf.squaredDifference(f32(1, 2, -2), f32(3, 2, 3)).toFloatArray());
            assertArrayEquals(new int[]{9}, Tf.squaredDifference(i32(-1), i32(2)).toIntArray());
        }
    }

    @Nested
    class Fluent {
        @Test
        void javaNumbersTakeTheTensorsDType() {
            Tensor x = f32(1, 2, 3);
            assertArrayEquals(new float[]{0.5f, 1, 1.5f}, x.div(2).toFloatArray());
            assertArrayEquals(new float[]{1, 0, 1}, x.mod(2).toFloatArray());
            assertArrayEquals(new int[]{-1, -1, 0}, i32(-3, -1, 2).floordiv(3).toIntArray());
            assertArrayEquals(new float[]{-1, -2, -3}, x.neg().toFloatArray());
        }
    }
}
