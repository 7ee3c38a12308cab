package dev.tfjit.passes;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.ControlFlowOps;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tfjit.ir.ops.ElementwiseOps.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class CommonSubexpressionEliminationTest {
    /** DCE runs after CSE so the expected text shows only what is left; it also drops unread cond operands. */
    private static String merged(Graph g) {
        return GraphDsl.ir(new DeadCodeElimination().run(new CommonSubexpressionElimination().run(g)));
    }

    @Test
    void equalConstantsAndTheNodesUsingThemMerge() {
        GraphDsl g = new GraphDsl("f");
        Value x = g.param("x", DType.FLOAT32, 2);
        Value a = g.op(EXP, g.op(MUL, x, g.f32(2)));
        Value b = g.op(EXP, g.op(MUL, x, g.f32(2)));
        assertEquals("""
                func @f(%x: f32[2]) -> f32[2] {
                  %0 = constant {value=dense<f32[]: 2.0>} : f32[]
                  %1 = mul %x, %0 : f32[2]
                  %2 = exp %1 : f32[2]
                  %3 = add %2, %2 : f32[2]
                  return %3
                }
                """, merged(g.ret(g.op(ADD, a, b))));
    }

    @Test
    void constantsDifferingOnlyInTheSignOfZeroOrInDtypeOrShapeStayApart() {
        GraphDsl g = new GraphDsl("f");
        Graph in = g.ret(g.f32(0f), g.f32(-0f), g.i32(0), g.f32(Shape.of(1), 0f));
        assertSame(in, new CommonSubexpressionElimination().run(in));
    }

    @Test
    void operandOrderAndAttributesMatter() {
        GraphDsl g = new GraphDsl("f");
        Value x = g.param("x", DType.FLOAT32, 2), y = g.param("y", DType.FLOAT32, 2);
        Graph in = g.ret(g.op(SUB, x, y), g.op(SUB, y, x),
                g.op(CAST, Attrs.of("dtype", DType.INT32), x), g.op(CAST, Attrs.of("dtype", DType.INT64), x));
        assertSame(in, new CommonSubexpressionElimination().run(in));
    }

    @Test
    void randomAndSideEffectingNodesAreNeverMerged() {
        for (OpDef.Effect effect : List.of(OpDef.Effect.RANDOM, OpDef.Effect.SIDE_EFFECT)) {
            OpDef op = OpDef.op("draw").inputs(1).effect(effect)
                    .type((in, a) -> in.get(0)).kernel1((in, a) -> in.get(0)).build();
            GraphDsl g = new GraphDsl("f");
            Value x = g.param("x", DType.FLOAT32, 2);
            Graph in = g.ret(g.op(op, x), g.op(op, x));
            assertSame(in, new CommonSubexpressionElimination().run(in), effect.toString());
        }
    }

    @Test
    void aRegionReusesAnEnclosingValueButSiblingRegionsDoNotShare() {
        GraphDsl g = new GraphDsl("f");
        Value p = g.param("p", DType.BOOL);
        Value x = g.param("x", DType.FLOAT32, 2);
        Value outer = g.op(EXP, x);
        g.region(List.of(x.type()), "a");
        var thenB = g.yield(g.op(MUL, g.op(EXP, x), g.op(NEG, x)));
        g.region(List.of(x.type()), "b");
        var elseB = g.yield(g.op(ADD, g.op(NEG, x), g.op(NEG, x)));
        Value r = g.structured(ControlFlowOps.COND, List.of(p, x), thenB, elseB).get(0);
        assertEquals("""
                func @f(%p: bool[], %x: f32[2]) -> (f32[2], f32[2]) {
                  %0 = exp %x : f32[2]
                  %1 = cond %p : f32[2] {
                  ^():
                    %2 = neg %x : f32[2]
                    %3 = mul %0, %2 : f32[2]
                    yield %3
                  } {
                  ^():
                    %4 = neg %x : f32[2]
                    %5 = add %4, %4 : f32[2]
                    yield %5
                  }
                  return %0, %1
                }
                """, merged(g.ret(outer, r)));
    }

    @Test
    void valuesDefinedInARegionAreNotVisibleAfterIt() {
        GraphDsl g = new GraphDsl("f");
        Value x = g.param("x", DType.INT32);
        TensorType i32 = TensorType.scalar(DType.INT32);
        var c = g.region(List.of(i32));
        var cond = g.yield(g.op(LESS, c.get(0), g.i32(10)));
        var b = g.region(List.of(i32));
        var body = g.yield(g.op(ADD, b.get(0), g.op(NEG, x)));
        Value loop = g.structured(ControlFlowOps.WHILE, List.of(x), cond, body).get(0);
        Value after = g.op(NEG, x);
        String ir = merged(g.ret(g.op(ADD, loop, after)));
        assertEquals(2, ir.split("neg %x").length - 1, "the neg after the loop must not use the body's:\n" + ir);
    }
}
