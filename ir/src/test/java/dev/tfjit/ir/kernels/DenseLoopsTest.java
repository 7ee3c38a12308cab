package dev.tfjit.ir.kernels;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vectorizable loops must give exactly what flushing every input and result one element at
 * a time gives, on data full of subnormals, zeros, infinities and NaNs, in every layout.
 */
class DenseLoopsTest {
    static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    static final int N = 5000; // more than two chunks, and not a multiple of one

    static final float[] SPECIAL_F = {0f, -0f, 1e-39f, -1e-39f, Float.MIN_VALUE, Float.MIN_NORMAL, 1.5e-38f, -1.4e-38f,
            Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, 1e-20f, 1e20f, 1f, -3f};

    static float randomFloat(Random r) {
        return r.nextInt(4) == 0 ? SPECIAL_F[r.nextInt(SPECIAL_F.length)] : Float.intBitsToFloat(r.nextInt());
    }

    static double randomDouble(Random r) {
        return r.nextInt(4) == 0 ? (double) SPECIAL_F[r.nextInt(SPECIAL_F.length)] * (r.nextBoolean() ? 1e-280 : 1)
                : Double.longBitsToDouble(r.nextLong());
    }

    static float reference(DenseArith op, float x, float y) {
        x = Fn.ftz(x);
        y = Fn.ftz(y);
        return Fn.ftz(switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
        });
    }

    static double reference(DenseArith op, double x, double y) {
        x = Fn.ftz(x);
        y = Fn.ftz(y);
        return Fn.ftz(switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
        });
    }

    static float unflushed(DenseArith op, float x, float y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
        };
    }

    @Test
    void float32ArithmeticMatchesPerElementFlushing() {
        Random r = new Random(42);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(4L * N, 64), b = arena.allocate(4L * N, 64), o = arena.allocate(4L * N, 64);
            for (int i = 0; i < N; i++) {
                a.setAtIndex(F, i, randomFloat(r));
                b.setAtIndex(F, i, randomFloat(r));
            }
            int flushed = 0;
            for (DenseArith op : DenseArith.values()) {
                for (int layout = 0; layout < 3; layout++) {
                    boolean aScalar = layout == 1, bScalar = layout == 2;
                    long off = 3; // operands start mid-buffer, as rows of a broadcast do
                    assertTrue(op.run(ComputeType.F32, o, off, a, off, aScalar, b, off, bScalar, N - off));
                    for (long i = 0; i < N - off; i++) {
                        float x = a.getAtIndex(F, aScalar ? off : off + i), y = b.getAtIndex(F, bScalar ? off : off + i);
                        float want = reference(op, x, y), got = o.getAtIndex(F, off + i);
                        if (Float.floatToIntBits(want) != Float.floatToIntBits(unflushed(op, x, y))) flushed++;
                        assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got), op + " layout " + layout + " at " + i + ": " + x + ", " + y);
                    }
                }
            }
            assertTrue(flushed > 0, "the data must exercise flushing");
        }
    }

    @Test
    void float64ArithmeticMatchesPerElementFlushing() {
        Random r = new Random(7);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(8L * N, 64), b = arena.allocate(8L * N, 64), o = arena.allocate(8L * N, 64);
            for (int i = 0; i < N; i++) {
                a.setAtIndex(D, i, randomDouble(r));
                b.setAtIndex(D, i, randomDouble(r));
            }
            for (DenseArith op : DenseArith.values()) {
                for (int layout = 0; layout < 3; layout++) {
                    boolean aScalar = layout == 1, bScalar = layout == 2;
                    assertTrue(op.run(ComputeType.F64, o, 0, a, 0, aScalar, b, 0, bScalar, N));
                    for (int i = 0; i < N; i++) {
                        double x = a.getAtIndex(D, aScalar ? 0 : i), y = b.getAtIndex(D, bScalar ? 0 : i);
                        assertEquals(Double.doubleToLongBits(reference(op, x, y)), Double.doubleToLongBits(o.getAtIndex(D, i)),
                                op + " layout " + layout + " at " + i + ": " + x + ", " + y);
                    }
                }
            }
        }
    }

    @Test
    void float32UnaryMatchesPerElementFlushing() {
        Random r = new Random(3);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(4L * N, 64), o = arena.allocate(4L * N, 64);
            for (int i = 0; i < N; i++) s.setAtIndex(F, i, randomFloat(r));
            for (DenseUnary op : DenseUnary.values()) {
                assertTrue(op.run(ComputeType.F32, o, s, N));
                for (int i = 0; i < N; i++) {
                    float x = Fn.ftz(s.getAtIndex(F, i));
                    float want = Fn.ftz(switch (op) {
                        case NEG -> -x;
                        case ABS -> Math.abs(x);
                        case SQUARE -> x * x;
                        case RELU -> x < 0 ? 0f : x;
                    });
                    assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(o.getAtIndex(F, i)), op + " of " + s.getAtIndex(F, i));
                }
            }
        }
    }

    @Test
    void integerDivisionHasNoDenseLoop() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(8);
            assertTrue(!DenseArith.DIV.run(ComputeType.I32, m, 0, m, 0, false, m, 0, false, 1));
        }
    }
}
