package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Which TensorArray writes may update their input's memory: exactly those whose input no one
 * reads afterwards, and whose memory is the writer's to change (a loop's own carried array, a
 * value of the block, a cond operand that is dead after the cond); never a capture, a function
 * argument or a loop condition's parameter.
 */
class InPlaceWritesTest {
    /** The tensor_array_write nodes of {@code g} in program order (at any depth). */
    private static List<Node> writes(Graph g) {
        List<Node> out = new ArrayList<>();
        collect(g.body(), out);
        return out;
    }

    private static void collect(Block b, List<Node> out) {
        for (Node n : b.nodes()) {
            if (n.op().name().equals("tensor_array_write")) out.add(n);
            for (Block r : n.regions()) collect(r, out);
        }
    }

    /** Whether each write of {@code ir} may update its input, in program order. */
    private static List<Boolean> decisions(String ir) {
        Graph g = Oracle.parse(ir);
        InPlaceWrites w = new InPlaceWrites(g);
        return writes(g).stream().map(n -> w.mayUpdate(n, n.inputs().get(0))).toList();
    }

    @Test
    void aLoopUpdatesItsOwnArrayUnlessItReadsOrYieldsTheOldOneAfterwards() {
        String ir = """
                func @f(%n: i32[], %a: f32[?], %v: f32[]) -> (f32[?], f32[?], f32[]) {
                  %i, %x, %y = while %n, %a, %a : i32[], f32[?], f32[?] {
                  ^(%c: i32[], %p: f32[?], %q: f32[?]):
                    %w0 = tensor_array_write %p, %c, %v {dynamic_size=true} : f32[?]
                    %go = less %c, %n : bool[]
                    yield %go
                  } {
                  ^(%j: i32[], %s: f32[?], %t: f32[?]):
                    %r = tensor_array_read %s, %j : f32[]
                    %w1 = tensor_array_write %s, %j, %r {dynamic_size=true} : f32[?]
                    %w2 = tensor_array_write %t, %j, %v {dynamic_size=true} : f32[?]
                    %w3 = tensor_array_write %a, %j, %v {dynamic_size=true} : f32[?]
                    %z = tensor_array_read %t, %j : f32[]
                    yield %j, %w1, %w2
                  }
                  %w4 = tensor_array_write %x, %n, %v {dynamic_size=true} : f32[?]
                  %w5 = tensor_array_write %a, %n, %v {dynamic_size=true} : f32[?]
                  %w6 = tensor_array_write %y, %n, %v {dynamic_size=true} : f32[?]
                  %last = tensor_array_read %y, %n : f32[]
                  return %w4, %w6, %last
                }
                """;
        // w0: a loop condition's parameter; w1: read before, not after; w2: t is read after; w3: a captured argument;
        // w4: a loop output used once; w5: a function argument; w6: y is read after.
        assertEquals(List.of(false, true, false, false, true, false, false), decisions(ir));
    }

    @Test
    void aCondBranchUpdatesItsOperandOnlyWhenTheOperandIsDeadAfterTheCond() {
        String ir = """
                func @g(%p: bool[], %n: i32[], %a: f32[?], %v: f32[]) -> (f32[?], f32[?]) {
                  %i, %x = while %n, %a : i32[], f32[?] {
                  ^(%c: i32[], %s: f32[?]):
                    %go = less %c, %n : bool[]
                    yield %go
                  } {
                  ^(%j: i32[], %t: f32[?]):
                    %u = cond %p, %t : f32[?] {
                    ^(%b: f32[?]):
                      %w0 = tensor_array_write %b, %j, %v {dynamic_size=true} : f32[?]
                      yield %w0
                    } {
                    ^(%e: f32[?]):
                      yield %e
                    }
                    %o = cond %p, %u : f32[?] {
                    ^(%b2: f32[?]):
                      %w1 = tensor_array_write %b2, %j, %v {dynamic_size=true} : f32[?]
                      yield %w1
                    } {
                    ^(%e2: f32[?]):
                      yield %e2
                    }
                    %r = tensor_array_read %u, %j : f32[]
                    yield %j, %o
                  }
                  return %x, %x
                }
                """;
        // w0: t (the loop's array) is dead after the first cond; w1: u is read after the second cond.
        assertEquals(List.of(true, false), decisions(ir));
    }
}
