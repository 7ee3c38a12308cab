package dev.tfjit.passes;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.ControlFlowOps;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tfjit.ir.ops.ElementwiseOps.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class DeadCodeEliminationTest {
    private static final TensorType I32 = TensorType.scalar(DType.INT32);

    /** Stands in for print / a variable write: zero outputs would be typical, one keeps the DSL simple. */
    private static final OpDef PRINT = OpDef.op("print").inputs(1).effect(OpDef.Effect.SIDE_EFFECT)
            .type((in, a) -> in.get(0)).kernel1((in, a) -> in.get(0)).build();

    private static final OpDef RANDOM = OpDef.op("random_like").inputs(1).effect(OpDef.Effect.RANDOM)
            .type((in, a) -> in.get(0)).kernel1((in, a) -> in.get(0)).build();

    private static String pruned(Graph g) { return GraphDsl.ir(new DeadCodeElimination().run(g)); }

    @Test
    void unusedPureAndRandomNodesGoAndSideEffectsStayInOrder() {
        GraphDsl g = new GraphDsl("f");
        Value x = g.param("x", DType.FLOAT32, 2);
        g.op(EXP, g.op(NEG, x));
        g.op(PRINT, g.op(NEG, x));
        g.op(RANDOM, x);
        g.op(PRINT, x);
        assertEquals("""
                func @f(%x: f32[2]) -> f32[2] {
                  %0 = neg %x : f32[2]
                  %1 = print %0 : f32[2]
                  %2 = print %x : f32[2]
                  return %x
                }
                """, pruned(g.ret(x)));
    }

    @Test
    void aGraphWithoutDeadCodeIsReturnedAsItIs() {
        GraphDsl g = new GraphDsl("f");
        Value x = g.param("x", DType.FLOAT32, 2);
        Graph in = g.ret(g.op(EXP, x));
        assertSame(in, new DeadCodeElimination().run(in));
    }

    @Test
    void unusedCondOutputsAndOperandsAreDroppedFromBothBranches() {
        GraphDsl g = new GraphDsl("f");
        Value p = g.param("p", DType.BOOL);
        Value x = g.param("x", DType.INT32), y = g.param("y", DType.INT32);
        var a = g.region(List.of(I32, I32), "a1", "a2");
        var thenB = g.yield(g.op(NEG, a.get(0)), g.op(NEG, a.get(1)));
        var b = g.region(List.of(I32, I32), "b1", "b2");
        var elseB = g.yield(b.get(0), g.op(ADD, b.get(1), b.get(1)));
        List<Value> r = g.structured(ControlFlowOps.COND, List.of(p, x, y), thenB, elseB);
        assertEquals("""
                func @f(%p: bool[], %x: i32[], %y: i32[]) -> i32[] {
                  %0 = cond %p, %x : i32[] {
                  ^(%a1: i32[]):
                    %1 = neg %a1 : i32[]
                    yield %1
                  } {
                  ^(%b1: i32[]):
                    yield %b1
                  }
                  return %0
                }
                """, pruned(g.ret(r.get(0))));
    }

    @Test
    void aLoopVariableNothingReadsIsDroppedButOneFeedingAnotherIsKept() {
        GraphDsl g = new GraphDsl("f");
        Value n = g.param("n", DType.INT32);
        // vars: i (counter, read by cond), acc (result), feed (unused output but feeds acc), junk (unused everywhere)
        var c = g.region(List.of(I32, I32, I32, I32), "i", "acc", "feed", "junk");
        var cond = g.yield(g.op(LESS, c.get(0), n));
        var b = g.region(List.of(I32, I32, I32, I32), "i2", "acc2", "feed2", "junk2");
        var body = g.yield(g.op(ADD, b.get(0), g.i32(1)), g.op(ADD, b.get(1), b.get(2)),
                g.op(ADD, b.get(2), b.get(0)), g.op(NEG, b.get(3)));
        List<Value> r = g.structured(ControlFlowOps.WHILE, List.of(g.i32(0), g.i32(0), g.i32(1), g.i32(5)), cond, body);
        assertEquals("""
                func @f(%n: i32[]) -> i32[] {
                  %0 = constant {value=dense<i32[]: 0>} : i32[]
                  %1 = constant {value=dense<i32[]: 0>} : i32[]
                  %2 = constant {value=dense<i32[]: 1>} : i32[]
                  %3, %4, %5 = while %0, %1, %2 : i32[], i32[], i32[] {
                  ^(%i: i32[], %acc: i32[], %feed: i32[]):
                    %6 = less %i, %n : bool[]
                    yield %6
                  } {
                  ^(%i2: i32[], %acc2: i32[], %feed2: i32[]):
                    %7 = constant {value=dense<i32[]: 1>} : i32[]
                    %8 = add %i2, %7 : i32[]
                    %9 = add %acc2, %feed2 : i32[]
                    %10 = add %feed2, %i2 : i32[]
                    yield %8, %9, %10
                  }
                  return %4
                }
                """, pruned(g.ret(r.get(1))));
    }

    @Test
    void aLoopWhoseBodyHasASideEffectIsKeptEvenWhenItsResultsAreUnused() {
        GraphDsl g = new GraphDsl("f");
        Value n = g.param("n", DType.INT32);
        var c = g.region(List.of(I32), "i");
        var cond = g.yield(g.op(LESS, c.get(0), n));
        var b = g.region(List.of(I32), "j");
        g.op(PRINT, b.get(0));
        var body = g.yield(g.op(ADD, b.get(0), g.i32(1)));
        g.structured(ControlFlowOps.WHILE, List.of(g.i32(0)), cond, body);
        Graph in = g.ret(n);
        assertSame(in, new DeadCodeElimination().run(in));
    }

    @Test
    void anUnusedLoopWithoutEffectsIsRemovedEntirely() {
        GraphDsl g = new GraphDsl("f");
        Value n = g.param("n", DType.INT32);
        var c = g.region(List.of(I32), "i");
        var cond = g.yield(g.op(LESS, c.get(0), n));
        var b = g.region(List.of(I32), "j");
        var body = g.yield(g.op(ADD, b.get(0), g.i32(1)));
        g.structured(ControlFlowOps.WHILE, List.of(g.i32(0)), cond, body);
        assertEquals("""
                func @f(%n: i32[]) -> i32[] {
                  return %n
                }
                """, pruned(g.ret(n)));
    }

    @Test
    void valuesCapturedByAKeptRegionStayAlive() {
        GraphDsl g = new GraphDsl("f");
        Value p = g.param("p", DType.BOOL);
        Value x = g.param("x", DType.INT32);
        Value captured = g.op(NEG, x);
        g.op(EXP, g.f32(1)); // dead
        g.region(List.of());
        var thenB = g.yield(captured);
        g.region(List.of());
        var elseB = g.yield(x);
        Value r = g.structured(ControlFlowOps.COND, List.of(p), thenB, elseB).get(0);
        assertEquals("""
                func @f(%p: bool[], %x: i32[]) -> i32[] {
                  %0 = neg %x : i32[]
                  %1 = cond %p : i32[] {
                  ^():
                    yield %0
                  } {
                  ^():
                    yield %x
                  }
                  return %1
                }
                """, pruned(g.ret(r)));
    }
}
