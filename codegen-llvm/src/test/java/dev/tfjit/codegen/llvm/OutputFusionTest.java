package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Output fusion: the elementwise kernel that alone reads a rank-2 float32 matmul (a dense layer's
 * bias and activation) runs on each block of rows inside the matmul's loops, on both cores for
 * large products. Bit-exact against the interpreter, and the plan is checked, so losing the
 * fusion fails here.
 */
class OutputFusionTest {
    static final String DENSE = """
            func @dense(%x: f32[?,?], %w: f32[?,?], %b: f32[?]) -> f32[?,?] {
              %0 = matmul %x, %w : f32[?,?]
              %1 = add %0, %b : f32[?,?]
              %2 = relu %1 : f32[?,?]
              return %2
            }
            """;

    private static Buffer f32(Shape s, long seed) { return TestData.uniform(DType.FLOAT32, s, seed, 1, false); }

    private static String epilogueOf(String ir, Shape... shapes) {
        Graph g = Oracle.parse(ir);
        FusionPlan plan = FusionPlan.of(g, ConcreteTypes.infer(g, List.of(shapes)));
        for (Node n : g.body().nodes()) {
            if (MatMulEmitter.isMatMul(n.op())) return plan.epilogue(n) == null ? null : plan.epilogue(n).op().name();
        }
        return null;
    }

    @Test
    void biasAndReluRunInsideTheProduct() {
        assertEquals("relu", epilogueOf(DENSE, Shape.of(4, 3), Shape.of(3, 5), Shape.of(5)));
        int[][] sizes = {{7, 5, 3}, {31, 17, 29}, {256, 256, 256}, {301, 129, 77}, {1, 40, 9}};
        for (int[] s : sizes) {
            Oracle.assertSame(DENSE, f32(Shape.of(s[0], s[1]), 1), f32(Shape.of(s[1], s[2]), 2), f32(Shape.of(s[2]), 3));
        }
    }

    @Test
    void epiloguesReadOtherInputsWithBroadcastingAndTransposes() {
        String ir = """
                func @epi(%x: f32[?,?], %w: f32[?,?], %r: f32[?,1], %s: f32[], %y: f32[?,?]) -> f32[?,?] {
                  %0 = matmul %x, %w {transpose_b=true} : f32[?,?]
                  %1 = mul %0, %r : f32[?,?]
                  %2 = add %1, %s : f32[?,?]
                  %3 = tanh %2 : f32[?,?]
                  %4 = sub %3, %y : f32[?,?]
                  return %4
                }
                """;
        assertEquals("sub", epilogueOf(ir, Shape.of(4, 3), Shape.of(5, 3), Shape.of(4, 1), Shape.SCALAR, Shape.of(4, 5)));
        for (int m : new int[] {9, 300}) {
            Oracle.assertSame(ir, f32(Shape.of(m, 200), 1), f32(Shape.of(150, 200), 2), f32(Shape.of(m, 1), 3),
                    Buffer.ofFloats(Shape.SCALAR, 0.25f), f32(Shape.of(m, 150), 4));
        }
    }

    @Test
    void aProductReadTwiceOrLaterInputsAreNotFused() {
        String twice = """
                func @twice(%x: f32[?,?], %w: f32[?,?]) -> (f32[?,?], f32[?,?]) {
                  %0 = matmul %x, %w : f32[?,?]
                  %1 = relu %0 : f32[?,?]
                  return %1, %0
                }
                """;
        assertNull(epilogueOf(twice, Shape.of(4, 3), Shape.of(3, 5)));
        Oracle.assertSame(twice, f32(Shape.of(40, 30), 1), f32(Shape.of(30, 50), 2));
        String later = """
                func @later(%x: f32[?,?], %w: f32[?,?], %b: f32[?]) -> f32[?,?] {
                  %0 = matmul %x, %w : f32[?,?]
                  %1 = exp %b : f32[?]
                  %2 = add %0, %1 : f32[?,?]
                  return %2
                }
                """;
        // exp(b) is computed after the matmul in program order: it is not ready inside the product.
        assertNull(epilogueOf(later, Shape.of(4, 3), Shape.of(3, 5), Shape.of(5)));
        Oracle.assertSame(later, f32(Shape.of(40, 30), 1), f32(Shape.of(30, 50), 2), f32(Shape.of(50), 3));
    }
}
