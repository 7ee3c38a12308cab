package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * conv2d, its gradients and the pools on the llvm-cpu backend against the reference interpreter,
 * bit for bit: float32 convolutions run im2col and the packed Sgemm kernel, other floats direct
 * loops, and both keep the interpreter's FMA chains and col2im order. Shapes cover strides,
 * dilations, SAME padding on both sides, 1x1 filters (no im2col), windows larger than the input, an empty batch,
 * and products big enough for Sgemm's two threads.
 */
class ConvTest {
    private static final DType[] FLOATS = {DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16};

    record Geometry(int[] x, int[] f, int[] strides, int[] dilations, String padding) {
        String attrs() {
            return "{dilations=" + list(dilations) + ", padding=\"" + padding + "\", strides=" + list(strides) + "}";
        }

        @Override
        public String toString() {
            return "x" + Arrays.toString(x) + " f" + Arrays.toString(f) + " s" + Arrays.toString(strides) + " d" + Arrays.toString(dilations) + " " + padding;
        }
    }

    private static String list(int[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ",").append(v[i]);
        return sb.append(']').toString();
    }

    private static String type(DType t, int... dims) { return t.shortName() + list(dims); }

    private static Geometry g(int[] x, int[] f, int sh, int sw, int dh, int dw, String padding) {
        return new Geometry(x, f, new int[] {1, sh, sw, 1}, new int[] {1, dh, dw, 1}, padding);
    }

    private static final List<Geometry> GEOMETRIES = List.of(
            g(new int[] {2, 5, 6, 3}, new int[] {3, 3, 3, 4}, 1, 1, 1, 1, "SAME"),
            g(new int[] {2, 5, 6, 3}, new int[] {3, 2, 3, 2}, 1, 1, 1, 1, "VALID"),
            g(new int[] {1, 7, 8, 2}, new int[] {3, 3, 2, 3}, 2, 3, 1, 1, "SAME"),
            g(new int[] {1, 8, 8, 2}, new int[] {4, 4, 2, 3}, 2, 2, 1, 1, "SAME"),
            g(new int[] {2, 9, 7, 2}, new int[] {3, 2, 2, 2}, 1, 1, 2, 3, "SAME"),
            g(new int[] {1, 9, 9, 1}, new int[] {2, 2, 1, 2}, 1, 1, 3, 2, "VALID"),
            g(new int[] {3, 4, 4, 5}, new int[] {1, 1, 5, 2}, 1, 1, 1, 1, "VALID"),
            g(new int[] {1, 3, 3, 1}, new int[] {5, 5, 1, 1}, 1, 1, 1, 1, "SAME"),
            g(new int[] {0, 4, 4, 2}, new int[] {3, 3, 2, 2}, 1, 1, 1, 1, "SAME"));

    /** conv2d(x, f), conv2d_backprop_input(x, f, dy) and conv2d_backprop_filter(x, f, dy) in one function. */
    private static String convIr(DType t, Geometry k, int[] y) {
        String tx = type(t, k.x()), tf = type(t, k.f()), ty = type(t, y);
        return "func @conv(%x: " + tx + ", %f: " + tf + ", %dy: " + ty + ") -> (" + ty + ", " + tx + ", " + tf + ") {\n"
                + "  %0 = conv2d %x, %f " + k.attrs() + " : " + ty + "\n"
                + "  %1 = conv2d_backprop_input %x, %f, %dy " + k.attrs() + " : " + tx + "\n"
                + "  %2 = conv2d_backprop_filter %x, %f, %dy " + k.attrs() + " : " + tf + "\n"
                + "  return %0, %1, %2\n}\n";
    }

    private static int[] convOutput(Geometry k) {
        dev.tfjit.ir.Attrs a = dev.tfjit.ir.Attrs.of("strides", k.strides(), "padding", k.padding(), "dilations", k.dilations());
        return dev.tfjit.ir.ops.ConvOps.CONV2D.inferTypes(List.of(dev.tfjit.ir.TensorType.of(DType.FLOAT32, k.x()),
                dev.tfjit.ir.TensorType.of(DType.FLOAT32, k.f())), a).get(0).shape().dims();
    }

    @TestFactory
    List<DynamicTest> convolutionsMatchTheInterpreterBitForBit() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Geometry k : GEOMETRIES) {
            for (DType t : FLOATS) {
                tests.add(DynamicTest.dynamicTest(t + " " + k, () -> {
                    int[] y = convOutput(k);
                    long seed = Arrays.hashCode(k.x()) + 31L * Arrays.hashCode(k.f());
                    Oracle.assertSame(convIr(t, k, y), TestData.uniform(t, Shape.of(k.x()), seed, 2, false),
                            TestData.uniform(t, Shape.of(k.f()), seed + 1, 2, false), TestData.uniform(t, Shape.of(y), seed + 2, 2, false));
                }));
            }
        }
        return tests;
    }

    @Test
    void specialValuesFlushAndPropagateLikeTheInterpreter() {
        // Subnormals are flushed, and an infinite filter tap times a padding zero gives NaN in both.
        Geometry k = GEOMETRIES.get(0);
        int[] y = convOutput(k);
        for (DType t : FLOATS) {
            Oracle.assertSame(convIr(t, k, y), TestData.mixed(t, Shape.of(k.x()), 2), TestData.mixed(t, Shape.of(k.f()), 4),
                    TestData.mixed(t, Shape.of(y), 6));
        }
    }

    @Test
    void largeProductsSplitAcrossTwoThreadsAndStillMatch() {
        // The small conv net's second layer at batch 32: 3872 x 144 patches times 144 x 32 (SgemmThreads.splits).
        Geometry k = g(new int[] {32, 13, 13, 16}, new int[] {3, 3, 16, 32}, 1, 1, 1, 1, "VALID");
        int[] y = convOutput(k);
        Oracle.assertSame(convIr(DType.FLOAT32, k, y), TestData.uniform(DType.FLOAT32, Shape.of(k.x()), 1, 1, false),
                TestData.uniform(DType.FLOAT32, Shape.of(k.f()), 2, 1, false), TestData.uniform(DType.FLOAT32, Shape.of(y), 3, 1, false));
    }

    @Test
    void aWorkedExample() {
        // 4x4 input 0..15, 3x3 ones, stride 2 SAME: one padding row and column after, sums 45, 39, 66, 50.
        float[] v = new float[16];
        for (int i = 0; i < 16; i++) v[i] = i;
        Geometry k = g(new int[] {1, 4, 4, 1}, new int[] {3, 3, 1, 1}, 2, 2, 1, 1, "SAME");
        float[] ones = new float[9];
        Arrays.fill(ones, 1);
        List<Buffer> out = Oracle.compiled(convIr(DType.FLOAT32, k, new int[] {1, 2, 2, 1}), Buffer.ofFloats(Shape.of(1, 4, 4, 1), v),
                Buffer.ofFloats(Shape.of(3, 3, 1, 1), ones), Buffer.ofFloats(Shape.of(1, 2, 2, 1), 1, 1, 1, 1));
        assertArrayEquals(new float[] {45, 39, 66, 50}, out.get(0).toFloatArray());
    }

    @Test
    void oneElementConstantsHaveNoAddressButWork() {
        // The backend holds one-element constants as literals; the conv and pool loops read them from memory.
        for (String t : List.of("f32", "f64")) {
            String ir = ("func @one(%x: T[1,3,3,1]) -> (T[1,3,3,1], T[1,1,1,1], T[1,1,1,1]) {\n"
                    + "  %f = constant {value=dense<T[1,1,1,1]: 2.5>} : T[1,1,1,1]\n"
                    + "  %p = constant {value=dense<T[1,1,1,1]: -1.5>} : T[1,1,1,1]\n"
                    + "  %0 = conv2d %x, %f {dilations=[1,1,1,1], padding=\"SAME\", strides=[1,1,1,1]} : T[1,3,3,1]\n"
                    + "  %1 = max_pool %p {ksize=[1,1,1,1], padding=\"VALID\", strides=[1,1,1,1]} : T[1,1,1,1]\n"
                    + "  %2 = conv2d %p, %f {dilations=[1,1,1,1], padding=\"VALID\", strides=[1,1,1,1]} : T[1,1,1,1]\n"
                    + "  return %0, %1, %2\n}\n").replace("T[", t + "[");
            DType dt = t.equals("f32") ? DType.FLOAT32 : DType.FLOAT64;
            Oracle.assertSame(ir, TestData.uniform(dt, Shape.of(1, 3, 3, 1), 9, 2, false));
            List<Buffer> out = Oracle.compiled(ir, TestData.uniform(dt, Shape.of(1, 3, 3, 1), 9, 2, false));
            assertArrayEquals(new double[] {-3.75}, out.get(2).toDoubleArray());
        }
    }

    // ------------------------------------------------------------ pools

    private static String poolIr(DType t, int[] x, int[] y, int[] w, String padding) {
        String attrs = "{ksize=[1," + w[0] + "," + w[1] + ",1], padding=\"" + padding + "\", strides=[1," + w[2] + "," + w[3] + ",1]}";
        String tx = type(t, x), ty = type(t, y);
        return "func @pool(%x: " + tx + ", %dy: " + ty + ") -> (" + ty + ", " + ty + ", " + tx + ", " + tx + ") {\n"
                + "  %0 = max_pool %x " + attrs + " : " + ty + "\n"
                + "  %1 = avg_pool %x " + attrs + " : " + ty + "\n"
                + "  %2 = max_pool_grad %x, %dy " + attrs + " : " + tx + "\n"
                + "  %3 = avg_pool_grad %x, %dy " + attrs + " : " + tx + "\n"
                + "  return %0, %1, %2, %3\n}\n";
    }

    @TestFactory
    List<DynamicTest> poolsMatchTheInterpreterBitForBit() {
        int[][] shapes = {{2, 5, 6, 3}, {1, 7, 4, 2}, {1, 2, 2, 1}};
        int[][] windows = {{2, 2, 2, 2}, {3, 3, 1, 1}, {3, 2, 2, 3}, {1, 1, 2, 2}, {4, 4, 3, 3}};
        List<DynamicTest> tests = new ArrayList<>();
        for (int[] s : shapes) {
            for (int[] w : windows) {
                for (String padding : List.of("SAME", "VALID")) {
                    int[] y = {s[0], out(s[1], w[0], w[2], padding), out(s[2], w[1], w[3], padding), s[3]};
                    if (y[1] < 0 || y[2] < 0) continue;
                    for (DType t : FLOATS) {
                        tests.add(DynamicTest.dynamicTest(t + " x" + Arrays.toString(s) + " window" + Arrays.toString(w) + " " + padding, () -> {
                            long seed = Arrays.hashCode(s) * 7L + Arrays.hashCode(w);
                            Oracle.assertSame(poolIr(t, s, y, w, padding), TestData.mixed(t, Shape.of(s), seed * 2),
                                    TestData.mixed(t, Shape.of(y), seed * 2 + 1));
                        }));
                    }
                }
            }
        }
        return tests;
    }

    private static int out(int in, int k, int stride, String padding) {
        return padding.equals("SAME") ? (in + stride - 1) / stride : (in - k + stride) / stride;
    }
}
