package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.OpCatalog;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.UnimplementedError;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Which ops the backend refuses, and that each refusal is a compile-time error saying why. */
class LowerabilityTest {
    @Test
    void everyOpIsLoweredOrRefusedForAStatedReason() {
        List<String> unexplained = new ArrayList<>();
        for (OpDef op : OpCatalog.all()) {
            if (!Lowerability.lowers(op) && Lowerability.reason(op).startsWith("no lowering")) unexplained.add(op.name());
        }
        assertEquals(List.of(), unexplained, "ops with neither a lowering nor a reason in Lowerability.reason");
    }

    @Test
    void aDataDependentShapeIsRefusedAtCompileTimeNamingTheOpAndLine() {
        UnimplementedError e = assertThrows(UnimplementedError.class, () -> Oracle.compile("""
                func @w(%x: f32[?]) -> i64[?,1] {
                  %z = constant {value=dense<f32[]: 0.0>} : f32[]
                  %0 = greater %x, %z : bool[?]
                  %1 = where %0 : i64[?,1] loc(Mask.java:12)
                  return %1
                }
                """));
        assertTrue(e.getMessage().contains("'where'") && e.getMessage().contains("known only at run time")
                && e.getMessage().contains("Mask.java:12"), e.getMessage());
    }

    /** The stateful random ops compile (RandomOpsTest checks their numbers); their state is passed in by the caller. */
    @Test
    void statefulRandomOpsAreLowered() {
        for (String op : new String[] {"random_uniform", "random_uniform_int", "random_standard_normal", "truncated_normal", "random_shuffle"}) {
            assertTrue(Lowerability.lowers(OpCatalog.get(op)), op);
        }
        assertEquals(2, Oracle.compiled("""
                func @r() -> f32[2] {
                  %0 = random_uniform {shape=[2], dtype=f32, seed=1, seed2=2} : f32[2]
                  return %0
                }
                """).get(0).size());
    }
}
