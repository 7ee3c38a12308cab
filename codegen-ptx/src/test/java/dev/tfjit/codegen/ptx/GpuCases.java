package dev.tfjit.codegen.ptx;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TfException;
import dev.tfjit.runtime.Interpreter;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Graphs covering every kind of kernel the GPU backend generates, with inputs, and the check
 * that a device's results are the interpreter's: elementwise kernels bit for bit (they run the
 * CPU backend's lowerings), float reductions and matmuls within a relative tolerance (a parallel
 * sum adds in another order), everything else exactly; errors with the interpreter's message.
 * Run on the emulated device in every build and on a real GPU with {@code -Pgpu}.
 */
final class GpuCases {
    /** One graph, its argument shapes (small enough for the emulator), and its float tolerance. */
    record Case(String name, String ir, List<Shape> shapes, double relTolerance) {
        Graph graph() { return Programs.parse(ir); }
    }

    private GpuCases() {}

    private static final double EXACT = 0, SUMS = 2e-4;

    static List<Case> all() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("fused broadcast chain with transcendentals", """
                func @ew(%x: f32[5,37], %y: f32[37]) -> (f32[5,37], f32[5,37]) {
                  %c = constant {value=dense<f32[]: 0.5>} : f32[]
                  %0 = mul %x, %y : f32[5,37]
                  %1 = add %0, %c : f32[5,37]
                  %2 = tanh %1 : f32[5,37]
                  %3 = sigmoid %0 : f32[5,37]
                  %4 = exp %3 : f32[5,37]
                  %5 = log %4 : f32[5,37]
                  return %2, %5
                }
                """, List.of(Shape.of(5, 37), Shape.of(37)), EXACT));
        c.add(new Case("flat vectorized loop with a tail", """
                func @flat(%x: f32[1003], %y: f32[1003], %s: f32[]) -> f32[1003] {
                  %0 = mul %y, %s : f32[1003]
                  %1 = sub %x, %0 : f32[1003]
                  %2 = relu %1 : f32[1003]
                  return %2
                }
                """, List.of(Shape.of(1003), Shape.of(1003), Shape.SCALAR), EXACT));
        c.add(new Case("integers, bools, halves and casts", """
                func @ints(%a: i32[6,9], %b: i32[9], %h: f16[6,9], %g: bf16[9]) -> (i32[6,9], bool[6,9], bf16[6,9], i8[6,9], f32[6,9]) {
                  %0 = floor_mod %a, %b : i32[6,9]
                  %1 = greater %a, %b : bool[6,9]
                  %2 = cast %h {dtype=bf16} : bf16[6,9]
                  %3 = mul %2, %g : bf16[6,9]
                  %4 = cast %a {dtype=i8} : i8[6,9]
                  %5 = cast %h {dtype=f32} : f32[6,9]
                  return %0, %1, %3, %4, %5
                }
                """, List.of(Shape.of(6, 9), Shape.of(9), Shape.of(6, 9), Shape.of(9)), EXACT));
        c.add(new Case("integer division by zero raises the interpreter's error", """
                func @div(%a: i32[50], %b: i32[50]) -> i32[50] {
                  %0 = floor_div %a, %b : i32[50] loc(Model.java:42)
                  return %0
                }
                """, List.of(Shape.of(50), Shape.of(50)), EXACT));
        c.add(new Case("row reductions: a block per row", """
                func @rows(%x: f32[20,300]) -> (f32[20], f32[20,1], f32[20], f32[20]) {
                  %0 = reduce_sum %x {axis=[1]} : f32[20]
                  %1 = reduce_mean %x {axis=[1], keepdims=true} : f32[20,1]
                  %2 = reduce_max %x {axis=[1]} : f32[20]
                  %3 = reduce_min %x {axis=[-1]} : f32[20]
                  return %0, %1, %2, %3
                }
                """, List.of(Shape.of(20, 300)), SUMS));
        c.add(new Case("row reductions: a warp per row, with a fused prologue and epilogue", """
                func @warps(%x: f32[40,50], %b: f32[50], %o: f32[40]) -> (f32[40], f32[40]) {
                  %0 = sub %x, %b : f32[40,50]
                  %1 = square %0 : f32[40,50]
                  %2 = reduce_sum %1 {axis=[1]} : f32[40]
                  %3 = sqrt %2 : f32[40]
                  %4 = add %3, %o : f32[40]
                  %5 = reduce_prod %x {axis=[1]} : f32[40]
                  return %4, %5
                }
                """, List.of(Shape.of(40, 50), Shape.of(50), Shape.of(40)), SUMS));
        c.add(new Case("long reductions split over two kernels", """
                func @long(%x: f32[70000], %y: f64[3,9000], %z: i32[20000]) -> (f32[], f32[], f64[3], i32[], f32[]) {
                  %0 = reduce_sum %x : f32[]
                  %1 = reduce_mean %x : f32[]
                  %2 = reduce_sum %y {axis=[1]} : f64[3]
                  %3 = reduce_max %z : i32[]
                  %4 = reduce_min %x : f32[]
                  return %0, %1, %2, %3, %4
                }
                """, List.of(Shape.of(70000), Shape.of(3, 9000), Shape.of(20000)), SUMS));
        c.add(new Case("column reductions, one and two kernels", """
                func @cols(%x: f32[300,70], %y: f32[3000,40], %z: f32[3,50,40]) -> (f32[70], f32[40], f32[3,40], f32[1,70]) {
                  %0 = reduce_sum %x {axis=[0]} : f32[70]
                  %1 = reduce_sum %y {axis=[0]} : f32[40]
                  %2 = reduce_max %z {axis=[1]} : f32[3,40]
                  %3 = reduce_mean %x {axis=[0], keepdims=true} : f32[1,70]
                  return %0, %1, %2, %3
                }
                """, List.of(Shape.of(300, 70), Shape.of(3000, 40), Shape.of(3, 50, 40)), SUMS));
        c.add(new Case("reductions of other dtypes and non-contiguous axes", """
                func @kinds(%a: i32[6,7,8], %b: bool[6,7,8], %d: f64[6,7,8], %i: i64[6,7,8]) -> (i32[7], bool[7], bool[6], f64[7], i64[6,8], i32[6,7]) {
                  %0 = reduce_sum %a {axis=[0,2]} : i32[7]
                  %1 = reduce_any %b {axis=[0,2]} : bool[7]
                  %2 = reduce_all %b {axis=[1,2]} : bool[6]
                  %3 = reduce_mean %d {axis=[0,2]} : f64[7]
                  %4 = reduce_max %i {axis=[1]} : i64[6,8]
                  %5 = reduce_mean %a {axis=[2]} : i32[6,7]
                  return %0, %1, %2, %3, %4, %5
                }
                """, List.of(Shape.of(6, 7, 8), Shape.of(6, 7, 8), Shape.of(6, 7, 8), Shape.of(6, 7, 8)), SUMS));
        c.add(new Case("softmax over rows", """
                func @softmax(%x: f32[20,300]) -> f32[20,300] {
                  %0 = reduce_max %x {axis=[1], keepdims=true} : f32[20,1]
                  %1 = sub %x, %0 : f32[20,300]
                  %2 = exp %1 : f32[20,300]
                  %3 = reduce_sum %2 {axis=[1], keepdims=true} : f32[20,1]
                  %4 = div %2, %3 : f32[20,300]
                  return %4
                }
                """, List.of(Shape.of(20, 300)), SUMS));
        c.add(new Case("matmul with bias and relu fused", """
                func @dense(%x: f32[70,90], %w: f32[90,50], %b: f32[50]) -> f32[70,50] {
                  %0 = matmul %x, %w : f32[70,50]
                  %1 = add %0, %b : f32[70,50]
                  %2 = relu %1 : f32[70,50]
                  return %2
                }
                """, List.of(Shape.of(70, 90), Shape.of(90, 50), Shape.of(50)), SUMS));
        c.add(new Case("matmuls: transposed, batched with broadcasting, integer, float64", """
                func @mm(%a: f32[20,33], %b: f32[17,20], %c: f32[2,3,17,20], %d: f32[3,20,9], %i: i32[5,6], %j: i32[6,7], %e: f64[65,3], %f: f64[3,66]) -> (f32[33,17], f32[2,3,17,9], i32[5,7], f64[65,66]) {
                  %0 = matmul %a, %b {transpose_a=true, transpose_b=true} : f32[33,17]
                  %1 = matmul %c, %d : f32[2,3,17,9]
                  %2 = matmul %i, %j : i32[5,7]
                  %3 = matmul %e, %f : f64[65,66]
                  return %0, %1, %2, %3
                }
                """, List.of(Shape.of(20, 33), Shape.of(17, 20), Shape.of(2, 3, 17, 20), Shape.of(3, 20, 9), Shape.of(5, 6),
                Shape.of(6, 7), Shape.of(65, 3), Shape.of(3, 66)), SUMS));
        c.add(new Case("data movement and results that are arguments or constants", """
                func @moves(%x: f32[4,6], %s: i32[3,1]) -> (f32[6,4], i32[2,3,5], f32[24], f32[4,6], f32[2], f32[]) {
                  %0 = transpose %x {perm=[1,0]} : f32[6,4]
                  %1 = broadcast_to %s {shape=[2,3,5]} : i32[2,3,5]
                  %2 = reshape %x {shape=[24]} : f32[24]
                  %v = constant {value=dense<f32[2]: 1.0, -2.0>} : f32[2]
                  %k = constant {value=dense<f32[]: 3.0>} : f32[]
                  return %0, %1, %2, %x, %v, %k
                }
                """, List.of(Shape.of(4, 6), Shape.of(3, 1)), EXACT));
        c.add(new Case("while: host-driven loop with swapped vars, a reduction and a branch inside", """
                func @loop(%x: f32[3,70], %y: f32[3,70]) -> (f32[3,70], i32[], f32[3,70]) {
                  %0 = constant {value=dense<i32[]: 0>} : i32[]
                  %1 = constant {value=dense<i32[]: 1>} : i32[]
                  %n = constant {value=dense<i32[]: 6>} : i32[]
                  %k = constant {value=dense<i32[]: 3>} : i32[]
                  %h = constant {value=dense<f32[]: 0.5>} : f32[]
                  %2, %3, %4 = while %0, %x, %y : i32[], f32[3,70], f32[3,70] {
                  ^(%i: i32[], %a: f32[3,70], %b: f32[3,70]):
                    %5 = less %i, %n : bool[]
                    yield %5
                  } {
                  ^(%i2: i32[], %a2: f32[3,70], %b2: f32[3,70]):
                    %6 = add %i2, %1 : i32[]
                    %7 = mul %a2, %h : f32[3,70]
                    %8 = tanh %7 : f32[3,70]
                    %m = reduce_max %b2 {axis=[1], keepdims=true} : f32[3,1]
                    %9 = sub %b2, %m : f32[3,70]
                    %10 = less %i2, %k : bool[]
                    %11 = cond %10, %8 : f32[3,70] {
                    ^(%t: f32[3,70]):
                      %12 = add %t, %9 : f32[3,70]
                      yield %12
                    } {
                    ^(%e: f32[3,70]):
                      %13 = mul %e, %x : f32[3,70]
                      yield %13
                    }
                    yield %6, %b2, %11
                  }
                  return %3, %2, %4
                }
                """, List.of(Shape.of(3, 70), Shape.of(3, 70)), EXACT));
        c.add(new Case("while with a trip count from the data (zero trips included) and conds taking both branches", """
                func @trips(%n: i32[], %v: f64[5]) -> (f64[5], f64[5], f64[5]) {
                  %0 = constant {value=dense<i32[]: 0>} : i32[]
                  %1 = constant {value=dense<i32[]: 1>} : i32[]
                  %z = constant {value=dense<i32[]: 0>} : i32[]
                  %2, %3 = while %0, %v : i32[], f64[5] {
                  ^(%i: i32[], %a: f64[5]):
                    %4 = less %i, %n : bool[]
                    yield %4
                  } {
                  ^(%j: i32[], %b: f64[5]):
                    %5 = add %j, %1 : i32[]
                    %6 = add %b, %v : f64[5]
                    yield %5, %6
                  }
                  %p = greater %n, %z : bool[]
                  %q = less_equal %n, %z : bool[]
                  %7 = cond %p, %3 : f64[5] {
                  ^(%t: f64[5]):
                    %8 = neg %t : f64[5]
                    yield %8
                  } {
                  ^(%e: f64[5]):
                    yield %v
                  }
                  %9 = cond %q, %3 : f64[5] {
                  ^(%t2: f64[5]):
                    %10 = neg %t2 : f64[5]
                    yield %10
                  } {
                  ^(%e2: f64[5]):
                    yield %v
                  }
                  return %3, %7, %9
                }
                """, List.of(Shape.SCALAR, Shape.of(5)), EXACT));
        c.add(new Case("an error inside a loop body stops the loop with the interpreter's message", """
                func @divloop(%a: i32[50], %b: i32[50]) -> i32[50] {
                  %0 = constant {value=dense<i32[]: 0>} : i32[]
                  %1 = constant {value=dense<i32[]: 1>} : i32[]
                  %n = constant {value=dense<i32[]: 3>} : i32[]
                  %2, %3 = while %0, %a : i32[], i32[50] {
                  ^(%i: i32[], %v: i32[50]):
                    %4 = less %i, %n : bool[]
                    yield %4
                  } {
                  ^(%j: i32[], %w: i32[50]):
                    %5 = floor_div %w, %b : i32[50] loc(Model.java:7)
                    %6 = add %j, %1 : i32[]
                    yield %6, %5
                  }
                  return %3
                }
                """, List.of(Shape.of(50), Shape.of(50)), EXACT));
        c.add(new Case("TensorArray: a while loop writes fixed-size arrays, stacks them and reads at a run-time index", """
                func @ta(%x: f32[2,3], %k: i32[], %h: f16[4]) -> (f32[5,2,3], i32[5], f32[2,3], i32[], f32[?,2,3], f16[4], f16[3,4]) {
                  %zero = constant {value=dense<i32[]: 0>} : i32[]
                  %one = constant {value=dense<i32[]: 1>} : i32[]
                  %five = constant {value=dense<i32[]: 5>} : i32[]
                  %six = constant {value=dense<i64[]: 6>} : i64[]
                  %two = constant {value=dense<i64[]: 2>} : i64[]
                  %zf = constant {value=dense<f32[]: 0.0>} : f32[]
                  %za = broadcast_to %zf {shape=[5,2,3]} : f32[5,2,3]
                  %zb = constant {value=dense<i32[5]: 0, 0, 0, 0, 0>} : i32[5]
                  %zhs = constant {value=dense<f16[]: 0.0>} : f16[]
                  %zh = broadcast_to %zhs {shape=[3,4]} : f16[3,4]
                  %cnt, %sa, %sb = while %zero, %za, %zb : i32[], f32[5,2,3], i32[5] {
                  ^(%i: i32[], %a: f32[5,2,3], %b: i32[5]):
                    %c = less %i, %five : bool[]
                    yield %c
                  } {
                  ^(%j: i32[], %a2: f32[5,2,3], %b2: i32[5]):
                    %f = cast %j {dtype=f32} : f32[]
                    %row = mul %x, %f : f32[2,3]
                    %wa = tensor_array_write %a2, %j, %row : f32[5,2,3] loc(Ta.java:5)
                    %sq = mul %j, %j : i32[]
                    %wb = tensor_array_write %b2, %j, %sq : i32[5] loc(Ta.java:6)
                    %n = add %j, %one : i32[]
                    yield %n, %wa, %wb
                  }
                  %ri = floor_mod %k, %five : i32[]
                  %r = tensor_array_read %sa, %ri : f32[2,3] loc(Ta.java:9)
                  %rb = tensor_array_read %sb, %ri : i32[] loc(Ta.java:10)
                  %g = tensor_array_write %sa, %six, %x {dynamic_size=true} : f32[?,2,3] loc(Ta.java:11)
                  %wh = tensor_array_write %zh, %two, %h : f16[3,4]
                  %rh = tensor_array_read %wh, %two : f16[4]
                  return %sa, %sb, %r, %rb, %g, %rh, %wh
                }
                """, List.of(Shape.of(2, 3), Shape.SCALAR, Shape.of(4)), EXACT));
        c.add(new Case("TensorArray: a write past the fixed size stops the loop with the interpreter's message", """
                func @tapast(%x: f32[3], %n: i32[]) -> (f32[4,3], i32[]) {
                  %zero = constant {value=dense<i32[]: 0>} : i32[]
                  %one = constant {value=dense<i32[]: 1>} : i32[]
                  %seven = constant {value=dense<i32[]: 7>} : i32[]
                  %zs = constant {value=dense<f32[]: 0.0>} : f32[]
                  %z = broadcast_to %zs {shape=[4,3]} : f32[4,3]
                  %cnt, %s = while %zero, %z : i32[], f32[4,3] {
                  ^(%i: i32[], %a: f32[4,3]):
                    %c = less %i, %seven : bool[]
                    yield %c
                  } {
                  ^(%j: i32[], %b: f32[4,3]):
                    %w = tensor_array_write %b, %j, %x : f32[4,3] loc(Past.java:12)
                    %k = add %j, %one : i32[]
                    yield %k, %w
                  } loc(Past.java:11)
                  return %s, %cnt
                }
                """, List.of(Shape.of(3), Shape.SCALAR), EXACT));
        c.add(new Case("TensorArray: reads and writes at out-of-range run-time indices raise with the index", """
                func @tabad(%ta: i64[4,2], %i: i32[], %v: i64[2], %m: i64[]) -> (i64[2], i64[4,2]) {
                  %r = tensor_array_read %ta, %i : i64[2] loc(Bad.java:3)
                  %w = tensor_array_write %ta, %m, %v : i64[4,2] loc(Bad.java:4)
                  return %r, %w
                }
                """, List.of(Shape.of(4, 2), Shape.SCALAR, Shape.of(2), Shape.SCALAR), EXACT));
        c.add(new Case("TensorArray: a negative write index raises the interpreter's message", """
                func @taneg(%ta: bool[3,5], %v: bool[5], %k: i32[]) -> bool[3,5] {
                  %abs = abs %k : i32[]
                  %one = constant {value=dense<i32[]: 1>} : i32[]
                  %p = add %abs, %one : i32[]
                  %neg = neg %p : i32[]
                  %w = tensor_array_write %ta, %neg, %v : bool[3,5] loc(Neg.java:4)
                  return %w
                }
                """, List.of(Shape.of(3, 5), Shape.of(5), Shape.SCALAR), EXACT));
        c.add(new Case("the mean of an empty integer reduction raises", """
                func @empty(%x: i32[3,0]) -> i32[3] {
                  %0 = reduce_mean %x {axis=[1]} : i32[3]
                  return %0
                }
                """, List.of(Shape.of(3, 0)), EXACT));
        return c;
    }

    /** Deterministic inputs with negative values, zeros, and (for floats) a spread of magnitudes. */
    static List<Buffer> inputs(Case c, long seed) {
        Graph g = c.graph();
        List<Buffer> out = new ArrayList<>();
        Random r = new Random(seed);
        for (int i = 0; i < c.shapes().size(); i++) {
            DType t = g.paramTypes().get(i).dtype();
            Buffer b = Buffer.allocate(t, c.shapes().get(i));
            for (long j = 0; j < b.size(); j++) {
                switch (t.kind()) {
                    case FLOAT -> b.setDouble(j, r.nextGaussian() * (r.nextInt(8) == 0 ? 30 : 2));
                    case INT -> b.setLong(j, r.nextInt(41) - 20);
                    case BOOL -> b.setLong(j, r.nextInt(3) == 0 ? 1 : 0);
                    case STRING -> throw new IllegalArgumentException();
                }
            }
            out.add(b);
        }
        return out;
    }

    /** A device's run of {@code c} on {@code args} matches the interpreter (values or error message). */
    @FunctionalInterface
    interface Device {
        List<Buffer> run(Case c, List<Buffer> args) throws Throwable;
    }

    static void check(Case c, Device device) throws Throwable {
        Graph g = c.graph();
        for (long seed = 0; seed < 2; seed++) {
            List<Buffer> args = inputs(c, seed);
            List<Buffer> want;
            try {
                want = Interpreter.run(g, args);
            } catch (TfException e) {
                Throwable got = assertThrows(TfException.class, () -> device.run(c, args));
                assertEquals(e.getMessage(), got.getMessage());
                continue;
            }
            List<Buffer> got = device.run(c, args);
            assertEquals(want.size(), got.size());
            for (int i = 0; i < want.size(); i++) assertClose(want.get(i), got.get(i), c.relTolerance(), c.name() + " result " + i);
        }
    }

    static void assertClose(Buffer want, Buffer got, double rel, String what) {
        assertEquals(want.dtype(), got.dtype(), what);
        assertEquals(want.shape(), got.shape(), what);
        for (long j = 0; j < want.size(); j++) {
            if (!want.dtype().isFloating()) {
                assertEquals(want.getLong(j), got.getLong(j), what + " element " + j);
                continue;
            }
            double a = want.getDouble(j), b = got.getDouble(j);
            if (Double.isNaN(a) || Double.isNaN(b)) {
                assertTrue(Double.isNaN(a) && Double.isNaN(b), what + " element " + j + ": " + a + " vs " + b);
                continue;
            }
            if (rel == 0) {
                assertEquals(Double.doubleToRawLongBits(a), Double.doubleToRawLongBits(b), what + " element " + j + ": " + a + " vs " + b);
            } else {
                assertTrue(Math.abs(a - b) <= rel * Math.max(1, Math.abs(a)), what + " element " + j + ": interpreter " + a + ", device " + b);
            }
        }
    }
}
