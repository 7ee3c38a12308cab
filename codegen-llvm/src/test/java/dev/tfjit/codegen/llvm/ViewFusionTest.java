package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Transpose, broadcast_to, slice and reverse read by one elementwise kernel or reduction are
 * index arithmetic in that kernel (XLA's rule), not a stored copy: the plan says so (a silent
 * loss of the fusion fails here), and every result equals the interpreter's bit for bit.
 */
class ViewFusionTest {
    /** The ops whose outputs the plan reads through as views. */
    private static List<String> views(String ir, Shape... shapes) {
        Graph g = Oracle.parse(ir);
        ConcreteTypes types = ConcreteTypes.infer(g, List.of(shapes));
        FusionPlan plan = FusionPlan.of(g, types);
        List<String> out = new ArrayList<>();
        for (Node n : g.body().nodes()) if (n.outputs().size() == 1 && plan.isView(n.output())) out.add(n.op().name());
        return out;
    }

    private static Buffer data(Shape s, long seed) { return TestData.mixed(DType.FLOAT32, s, seed); }

    @Test
    void viewsFeedingElementwiseKernelsAndReductionsAreNotStored() {
        String ir = """
                func @v(%x: f32[?,?], %y: f32[?,?], %b: f32[?]) -> (f32[?,?], f32[?], f32[3,3], f32[?,?]) {
                  %0 = transpose %x {perm=[1,0]} : f32[?,?]
                  %1 = add %0, %y : f32[?,?]
                  %2 = reverse %x {axis=[1]} : f32[?,?]
                  %3 = reduce_sum %2 {axis=[0]} : f32[?]
                  %4 = slice %y {begin=[1,2], size=[-1,3]} : f32[?,3]
                  %5 = exp %4 : f32[?,3]
                  %6 = broadcast_to %b {shape=[3,3]} : f32[3,3]
                  %7 = mul %6, %5 : f32[3,3]
                  return %1, %3, %7, %0
                }
                """;
        // %0 is also a result: it is stored, and not a view.
        assertEquals(List.of("reverse", "slice", "broadcast_to"), views(ir, Shape.of(5, 4), Shape.of(4, 5), Shape.of(3)));
        Oracle.assertSame(ir, data(Shape.of(5, 4), 2), data(Shape.of(4, 5), 4), data(Shape.of(3), 6));
    }

    @Test
    void aTransposedInputThatDiesInTheKernelIsNotOverwrittenInPlace() {
        // %d dies in the kernel that reads its transpose: that kernel's output %r (stored: read
        // twice) must not take %d's buffer, which it reads at transposed positions after writing earlier ones.
        String ir = """
                func @t(%x: f32[64,64]) -> f32[64,64] {
                  %e = exp %x : f32[64,64]
                  %d = mul %e, %e : f32[64,64]
                  %t = transpose %d {perm=[1,0]} : f32[64,64]
                  %r = sub %t, %x : f32[64,64]
                  %q = mul %r, %r : f32[64,64]
                  return %q
                }
                """;
        assertEquals(List.of("transpose"), views(ir, Shape.of(64, 64)));
        Oracle.assertSame(ir, TestData.uniform(DType.FLOAT32, Shape.of(64, 64), 3, 2, false));
    }

    @Test
    void largeViewsSplitBetweenTheCoresAndViewsInsideLoops() {
        String ir = """
                func @big(%x: f32[700,900], %n: i32[]) -> (f32[900,700], f32[700,900]) {
                  %0 = transpose %x {perm=[1,0]} : f32[900,700]
                  %1 = tanh %0 : f32[900,700]
                  %zero = constant {value=dense<i32[]: 0>} : i32[]
                  %one = constant {value=dense<i32[]: 1>} : i32[]
                  %i, %w = while %zero, %x : i32[], f32[700,900] {
                  ^(%k: i32[], %v: f32[700,900]):
                    %more = less %k, %n : bool[]
                    yield %more
                  } {
                  ^(%j: i32[], %y: f32[700,900]):
                    %j1 = add %j, %one : i32[]
                    %r = reverse %y {axis=[0,1]} : f32[700,900]
                    %s = mul %r, %y : f32[700,900]
                    yield %j1, %s
                  }
                  return %1, %w
                }
                """;
        assertEquals(List.of("transpose"), views(ir, Shape.of(700, 900), Shape.SCALAR));
        Oracle.assertSame(ir, TestData.uniform(DType.FLOAT32, Shape.of(700, 900), 5, 1.2, false), Buffer.ofInts(Shape.of(), 2));
    }
}
