package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.kernels.FloatMath;
import dev.tfjit.runtime.Interpreter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Operands a fused op reads without flushing them (FunctionEmitter.readsUnflushed): the facts
 * about FloatMath that make it exact, and compiled results equal to the interpreter's bit for
 * bit on data full of subnormals, signed zeros and values next to the smallest normal float.
 */
class UnflushedOperandsTest {
    private static final String ACTIVATIONS = """
            func @act(%a: f32[?], %b: f32[?], %c: f32[?]) -> f32[?] {
              %0 = tanh %a : f32[?]
              %1 = sigmoid %b : f32[?]
              %2 = mul %0, %1 : f32[?]
              %3 = relu %c : f32[?]
              %4 = constant {value=dense<f32[]: 0.5>} : f32[]
              %5 = mul %3, %4 : f32[?]
              %6 = add %2, %5 : f32[?]
              return %6
            }
            """;

    private static float ftz(float x) { return Math.abs(x) < Float.MIN_NORMAL ? Math.copySign(0f, x) : x; }

    /** tanh passes a subnormal on: a subnormal or zero of its sign, which flushes to tanh of the flushed input. */
    @Test
    void tanhOfEverySubnormalFlushesToTanhOfItsFlushedZero() {
        for (int bits = 1; bits < 0x00800000; bits++) {
            for (float x : new float[] {Float.intBitsToFloat(bits), -Float.intBitsToFloat(bits)}) {
                float y = FloatMath.tanh(x);
                boolean tiny = Math.abs(y) < Float.MIN_NORMAL && Math.copySign(1f, y) == Math.copySign(1f, x);
                if (!tiny || Float.floatToRawIntBits(ftz(y)) != Float.floatToRawIntBits(FloatMath.tanh(ftz(x)))) {
                    fail("tanh(" + x + ") = " + y);
                }
            }
        }
    }

    /** The factors a product may take unflushed operands from are at most 1 in magnitude (a sample of every binade). */
    @Test
    void tanhAndSigmoidAreBounded() {
        Random r = new Random(7);
        for (int i = 0; i < 2_000_000; i++) {
            float x = Float.intBitsToFloat(r.nextInt());
            float t = FloatMath.tanh(x), s = FloatMath.sigmoid(x);
            if (!(Float.isNaN(x) || Math.abs(t) <= 1 && s >= 0 && s <= 1)) fail("tanh(" + x + ") = " + t + ", sigmoid = " + s);
        }
    }

    /** Subnormals of both signs, signed zeros, values around the smallest normal float, ordinary and huge values, NaN. */
    private static Buffer edgy(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            float sign = r.nextBoolean() ? 1 : -1;
            v[i] = sign * switch (r.nextInt(7)) {
                case 0 -> Float.intBitsToFloat(1 + r.nextInt(0x007FFFFF));
                case 1 -> 0f;
                case 2 -> Float.MIN_NORMAL * (1 + r.nextInt(4) / 4f);
                case 3 -> Float.MIN_NORMAL * (float) Math.scalb(1.0, r.nextInt(40));
                case 4 -> (float) r.nextGaussian() * 4;
                case 5 -> (float) Math.scalb(1.0 + r.nextDouble(), 20 + r.nextInt(107)); // big enough to lift a subnormal to a normal product
                default -> r.nextInt(20) == 0 ? Float.NaN : (float) r.nextGaussian();
            };
        }
        return Buffer.ofFloats(Shape.of(n), v);
    }

    /** The interpreter's results, bit for bit: a zero's sign counts (Oracle's ulp distance treats -0 and +0 alike), NaNs are NaN. */
    private static void assertIdentical(String ir, Buffer... args) {
        Graph g = Oracle.parse(ir);
        List<Buffer> want = Interpreter.run(g, List.of(args)), got = Oracle.compile(ir).run(List.of(args));
        for (int r = 0; r < want.size(); r++) {
            for (long i = 0; i < want.get(r).size(); i++) {
                float w = (float) want.get(r).getDouble(i), h = (float) got.get(r).getDouble(i);
                boolean same = Float.isNaN(w) ? Float.isNaN(h) : Float.floatToRawIntBits(w) == Float.floatToRawIntBits(h);
                if (!same) fail("result " + r + " element " + i + ": interpreter " + w + ", compiled " + h + "\n" + ir);
            }
        }
    }

    @Test
    void fusedProductsWithBoundedFactorsMatchTheInterpreterOnSubnormals() {
        for (long seed = 0; seed < 4; seed++) {
            assertIdentical(ACTIVATIONS, edgy(4099, 3 * seed), edgy(4099, 3 * seed + 1), edgy(4099, 3 * seed + 2));
        }
        String chains = """
                func @chains(%a: f32[?], %b: f32[?]) -> (f32[?], f32[?], f32[?]) {
                  %0 = tanh %a : f32[?]
                  %1 = neg %0 : f32[?]
                  %2 = mul %1, %b : f32[?]
                  %3 = tanh %b : f32[?]
                  %4 = mul %3, %3 : f32[?]
                  %5 = add %4, %a : f32[?]
                  %6 = constant {value=dense<f32[]: -0.75>} : f32[]
                  %7 = mul %a, %6 : f32[?]
                  %8 = exp %7 : f32[?]
                  return %2, %5, %8
                }
                """;
        for (long seed = 0; seed < 4; seed++) assertIdentical(chains, edgy(1031, 2 * seed), edgy(1031, 2 * seed + 1));
    }

    /** Softmax reads its input unflushed (SoftmaxEmitter); log-softmax, whose output is the shifted row, does not. */
    @Test
    void softmaxOfSubnormalRichRowsMatchesTheInterpreter() {
        for (String op : List.of("softmax", "log_softmax")) {
            String ir = "func @s(%x: f32[?,?]) -> f32[?,?] {\n  %0 = " + op + " %x : f32[?,?]\n  return %0\n}\n";
            for (long seed = 0; seed < 3; seed++) {
                Buffer x = edgy(37 * 64, seed);
                assertIdentical(ir, Buffer.ofFloats(Shape.of(37, 64), x.toFloatArray()));
                // rows whose largest elements are zeros and subnormals of both signs
                float[] v = edgy(16 * 8, seed + 10).toFloatArray();
                for (int i = 0; i < v.length; i++) if (Math.abs(v[i]) >= Float.MIN_NORMAL) v[i] = -Math.abs(v[i]);
                assertIdentical(ir, Buffer.ofFloats(Shape.of(16, 8), v));
            }
        }
    }

    /**
     * The activations kernel flushes both products and the sum, and no input: tanh and relu pass
     * a subnormal a or c on to a product with a bounded factor (the tanh, sigmoid or 0.5 beside
     * them), and the sigmoid ignores one in b, and is itself read unflushed by the product with the tanh.
     */
    @Test
    void theActivationsKernelFlushesOnlyWhatItsResultDependsOn() {
        Graph g = Oracle.parse(ACTIVATIONS);
        Buffer x = edgy(64, 0);
        ConcreteTypes types = Oracle.types(g, x, x, x);
        String ir = FunctionEmitter.emit(g, types, FusionPlan.of(g, types), "tfjit_flush_probe", NativeJit.get().moduleHeader()).ir();
        int flushes = ir.split("and i32 [^,]+, 2139095040", -1).length - 1; // the exponent test of Scalars.ftz
        assertEquals(3, flushes, ir);
        assertTrue(ir.contains("@tfjit_tanhf"), ir);
    }
}
