package dev.tfjit.passes;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConstantFoldingTest {
    private static String folded(Graph g) { return GraphDsl.ir(new DeadCodeElimination().run(new ConstantFolding().run(g))); }

    @Test
    void pureOpsOnConstantsBecomeConstantsTransitively() {
        GraphDsl g = new GraphDsl("f");
        Value x = g.param("x", DType.FLOAT32, 2);
        Value c = g.op(MUL, g.op(ADD, g.f32(Shape.of(2), 1, 2), g.f32(3)), g.f32(-1));
        assertEquals("""
                func @f(%x: f32[2]) -> f32[2] {
                  %0 = constant {value=dense<f32[2]: -4.0, -5.0>} : f32[2]
                  %1 = add %x, %0 : f32[2]
                  return %1
                }
                """, folded(g.ret(g.op(ADD, x, c))));
    }

    @Test
    void foldingFollowsTheKernelsBitForBitIncludingFlushToZero() {
        GraphDsl g = new GraphDsl("f");
        Value tiny = g.op(MUL, g.f32(1e-20f), g.f32(1e-20f)); // 1e-40 is subnormal: TF flushes it to 0
        Value nan = g.op(EXP, g.f32(Float.NaN));
        assertEquals("""
                func @f() -> (f32[], f32[]) {
                  %0 = constant {value=dense<f32[]: 0.0>} : f32[]
                  %1 = constant {value=dense<f32[]: nan>} : f32[]
                  return %0, %1
                }
                """, folded(g.ret(tiny, nan)));
    }

    @Test
    void resultsOverTheSizeLimitAreNotMaterialized() {
        GraphDsl g = new GraphDsl("f");
        Value big = g.op(ADD, g.f32(Shape.of(4), 1, 2, 3, 4), g.f32(1));
        Graph in = g.ret(big);
        assertSame(in, new ConstantFolding(3).run(in));
        assertEquals(4, new ConstantFolding(4).maxElements());
        String ir = GraphDsl.ir(new ConstantFolding(4).run(in));
        assertTrue(ir.contains("dense<f32[4]: 2.0, 3.0, 4.0, 5.0>"), ir);
    }

    @Test
    void anOpThatWouldFailIsLeftSoTheErrorSurfacesAtRunTime() {
        GraphDsl g = new GraphDsl("f");
        // Stands in for any kernel error, such as integer division by zero once floordiv exists.
        OpDef failing = OpDef.op("always_fails").inputs(1)
                .type((in, a) -> in.get(0))
                .kernel1((in, a) -> { throw new dev.tfjit.ir.InvalidArgumentError("Integer division by zero"); })
                .build();
        Value r = g.op(failing, g.i32(7));
        Graph in = g.ret(r);
        assertSame(in, new ConstantFolding().run(in));
        assertThrows(dev.tfjit.ir.InvalidArgumentError.class, () -> dev.tfjit.runtime.Interpreter.run(in, List.of()));
    }

    @Test
    void randomAndSideEffectingOpsAreNeverFolded() {
        for (OpDef.Effect effect : List.of(OpDef.Effect.RANDOM, OpDef.Effect.SIDE_EFFECT)) {
            OpDef op = OpDef.op("effectful").inputs(1).effect(effect)
                    .type((in, a) -> in.get(0)).kernel1((in, a) -> in.get(0)).build();
            GraphDsl g = new GraphDsl("f");
            Graph in = g.ret(g.op(op, g.f32(1)));
            assertSame(in, new ConstantFolding().run(in), effect.toString());
        }
    }

    @Test
    void aCondWithAConstantPredicateBecomesTheTakenBranch() {
        for (boolean pred : new boolean[] {true, false}) {
            GraphDsl g = new GraphDsl("f");
            Value x = g.param("x", DType.FLOAT32, 2);
            Value p = g.op(LESS, g.f32(1), g.f32(pred ? 2 : 0));
            var a = g.region(List.of(x.type()), "a");
            var thenB = g.yield(g.op(EXP, a.get(0)));
            var b = g.region(List.of(x.type()), "b");
            var elseB = g.yield(g.op(NEG, b.get(0)));
            Value r = g.structured(ControlFlowOps.COND, List.of(p, x), thenB, elseB).get(0);
            assertEquals("""
                    func @f(%x: f32[2]) -> f32[2] {
                      %0 = OP %x : f32[2]
                      return %0
                    }
                    """.replace("OP", pred ? "exp" : "neg"), folded(g.ret(r)));
        }
    }

    @Test
    void aCondWhoseBranchIsMoreSpecificThanItsOutputIsKeptRatherThanChangeTheType() {
        GraphDsl g = new GraphDsl("f");
        Value x = g.param("x", DType.FLOAT32, 2);
        g.region(List.of(x.type()));
        var thenB = g.yield(g.f32(Shape.of(1), 1));
        g.region(List.of(x.type()));
        var elseB = g.yield(g.f32(Shape.of(3), 1, 2, 3));
        Value r = g.structured(ControlFlowOps.COND, List.of(g.bool(true), x), thenB, elseB).get(0);
        Graph in = g.ret(r);
        assertEquals(TensorType.of(DType.FLOAT32, -1), r.type());
        assertSame(in, new ConstantFolding().run(in));
    }

    @Test
    void aConditionalInsideALoopBodyFoldsUsingTheBodysValues() {
        GraphDsl g = new GraphDsl("f");
        Value n = g.param("n", DType.INT32);
        TensorType i32 = TensorType.scalar(DType.INT32);
        var c = g.region(List.of(i32), "i");
        var cond = g.yield(g.op(LESS, c.get(0), n));
        var body = g.region(List.of(i32), "j");
        Value step = g.op(ADD, g.i32(1), g.i32(1));
        var inner = g.structured(ControlFlowOps.COND, List.of(g.bool(false), body.get(0)),
                yieldOf(g, i32, 0), yieldOf(g, i32, 1)).get(0);
        var bodyB = g.yield(g.op(ADD, inner, step));
        Value r = g.structured(ControlFlowOps.WHILE, List.of(g.i32(0)), cond, bodyB).get(0);
        assertEquals("""
                func @f(%n: i32[]) -> i32[] {
                  %0 = constant {value=dense<i32[]: 0>} : i32[]
                  %1 = while %0 : i32[] {
                  ^(%i: i32[]):
                    %2 = less %i, %n : bool[]
                    yield %2
                  } {
                  ^(%j: i32[]):
                    %3 = constant {value=dense<i32[]: 2>} : i32[]
                    %4 = constant {value=dense<i32[]: 1>} : i32[]
                    %5 = add %j, %4 : i32[]
                    %6 = add %5, %3 : i32[]
                    yield %6
                  }
                  return %1
                }
                """, folded(g.ret(r)));
    }

    /** A branch that adds {@code k} to its operand. */
    private static dev.tfjit.ir.Block yieldOf(GraphDsl g, TensorType t, int k) {
        var p = g.region(List.of(t));
        return g.yield(g.op(ADD, p.get(0), g.i32(k)));
    }

    @Test
    void foldedConstantsKeepTheStaticType() {
        GraphDsl g = new GraphDsl("f");
        Value v = g.op(CAST, Attrs.of("dtype", DType.INT64), g.f32(Shape.of(2, 1), 1.9f, -2.9f));
        Graph out = new DeadCodeElimination().run(new ConstantFolding().run(g.ret(v)));
        assertEquals(TensorType.of(DType.INT64, 2, 1), out.resultTypes().get(0));
        Buffer b = out.body().nodes().get(0).attrs().getTensor("value");
        assertEquals(1L, b.getLong(0));
        assertEquals(-2L, b.getLong(1));
    }
}
