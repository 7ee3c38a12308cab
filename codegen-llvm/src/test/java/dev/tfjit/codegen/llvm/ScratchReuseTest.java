package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Scratch buffers of dead values serve later kernels, and an elementwise kernel writes over an
 * input that dies there: the scratch block shrinks to what is live at once, and every result
 * still equals the interpreter's bit for bit (a buffer reused too early would change them).
 */
class ScratchReuseTest {
    private static long scratchBytes(String ir) {
        Graph g = Oracle.parse(ir);
        List<Shape> shapes = new ArrayList<>();
        for (TensorType t : g.paramTypes()) shapes.add(t.shape());
        ConcreteTypes types = ConcreteTypes.infer(g, shapes);
        return FunctionEmitter.emit(g, types, FusionPlan.of(g, types), "tfjit_scratch_test", NativeJit.get().moduleHeader()).scratchBytes();
    }

    private static Buffer data(Shape s, long seed) { return TestData.uniform(DType.FLOAT32, s, seed, 2, false); }

    @Test
    void aChainOfStoredValuesLivesInOneBuffer() {
        // Each value is read twice by the next op, so it is stored (not fused); each dies where the next is made.
        String ir = """
                func @chain(%x: f32[64,64]) -> f32[64,64] {
                  %0 = exp %x : f32[64,64]
                  %1 = mul %0, %0 : f32[64,64]
                  %2 = sub %1, %1 : f32[64,64]
                  %3 = add %2, %2 : f32[64,64]
                  %4 = tanh %3 : f32[64,64]
                  %5 = mul %4, %4 : f32[64,64]
                  %6 = add %5, %5 : f32[64,64]
                  return %6
                }
                """;
        long buffer = 64 * 64 * 4;
        assertTrue(scratchBytes(ir) <= buffer, "scratch " + scratchBytes(ir) + " bytes for values of " + buffer);
        Oracle.assertSame(ir, data(Shape.of(64, 64), 1));
    }

    @Test
    void aValueReadLaterThroughAnAliasOrARegionIsKept() {
        // %1 aliases %0's buffer and is read at the end; %a and %b are made and die in between,
        // and the while body reads %0 on every trip: none of them may take %0's bytes. In the
        // body %t is read again after %u (stored: two readers) is made from it: %u must not overwrite it.
        String ir = """
                func @alias(%x: f32[32,32], %n: i32[]) -> (f32[32,32], f32[1024], f32[32,32]) {
                  %0 = exp %x : f32[32,32]
                  %1 = reshape %0 {shape=[1024]} : f32[1024]
                  %a = mul %x, %x : f32[32,32]
                  %a2 = add %a, %a : f32[32,32]
                  %b = mul %a2, %a2 : f32[32,32]
                  %c = sub %b, %a2 : f32[32,32]
                  %zero = constant {value=dense<i32[]: 0>} : i32[]
                  %one = constant {value=dense<i32[]: 1>} : i32[]
                  %i, %w = while %zero, %c : i32[], f32[32,32] {
                  ^(%k: i32[], %v: f32[32,32]):
                    %more = less %k, %n : bool[]
                    yield %more
                  } {
                  ^(%j: i32[], %y: f32[32,32]):
                    %j1 = add %j, %one : i32[]
                    %t = mul %y, %0 : f32[32,32]
                    %u = mul %t, %t : f32[32,32]
                    %s = sub %u, %t : f32[32,32]
                    %q = add %s, %u : f32[32,32]
                    yield %j1, %q
                  }
                  %d = add %w, %c : f32[32,32]
                  return %d, %1, %0
                }
                """;
        Oracle.assertSame(ir, data(Shape.of(32, 32), 2), Buffer.ofInts(Shape.of(), 3));
    }
}
