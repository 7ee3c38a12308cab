package dev.tfjit.passes;

import dev.tfjit.ir.Graph;
import dev.tfjit.ir.IrParser;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.Verifier;
import dev.tfjit.passes.BufferAssignment.Constant;
import dev.tfjit.passes.BufferAssignment.InSlot;
import dev.tfjit.passes.BufferAssignment.Parameter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BufferAssignmentTest {
    private static Graph parse(String ir) {
        Graph g = IrParser.parse(ir);
        Verifier.verify(g);
        return g;
    }

    /** The output of the n-th top-level node. */
    private static Value out(Graph g, int n) { return g.body().nodes().get(n).outputs().get(0); }

    private static final String CHAIN = """
            func @chain(%x: f32[8]) -> f32[8] {
              %0 = fusion %x {kind="loop"} : f32[8] {
              ^(%1: f32[8]):
                %2 = neg %1 : f32[8]
                yield %2
              }
              %3 = fusion %0 {kind="loop"} : f32[8] {
              ^(%4: f32[8]):
                %5 = exp %4 : f32[8]
                yield %5
              }
              %6 = fusion %3 {kind="loop"} : f32[8] {
              ^(%7: f32[8]):
                %8 = abs %7 : f32[8]
                yield %8
              }
              return %6
            }
            """;

    @Test
    void anElementwiseFusionOverwritesAnInputThatDiesThere() {
        Graph g = parse(CHAIN);
        BufferAssignment a = BufferAssignment.of(g);
        InSlot first = assertInstanceOf(InSlot.class, a.of(out(g, 0)));
        InSlot second = assertInstanceOf(InSlot.class, a.of(out(g, 1)));
        assertEquals(first.slot(), second.slot());
        assertSame(out(g, 0), second.overwrites());
        assertEquals(32, a.slots().get(first.slot()).bytes());
    }

    @Test
    void parametersAndResultsAreNeverOverwritten() {
        Graph g = parse(CHAIN);
        BufferAssignment a = BufferAssignment.of(g);
        assertEquals(new Parameter(0), a.of(g.params().get(0)));
        assertNull(((InSlot) a.of(out(g, 0))).overwrites(), "the first fusion must not write into the caller's %x");
        InSlot result = (InSlot) a.of(out(g, 2));
        assertNull(result.overwrites(), "a result gets a slot of its own");
        assertTrue(a.slots().get(result.slot()).holdsResult());
        assertEquals(2, a.slots().size());
        assertEquals(128, a.arenaBytes());
        assertEquals(64, a.peakBytes());
    }

    @Test
    void noInPlaceWhenTheFusionReadsTheInputAtOtherIndices() {
        Graph g = parse("""
                func @t(%x: f32[2,2]) -> f32[] {
                  %0 = fusion %x {kind="loop"} : f32[2,2] {
                  ^(%1: f32[2,2]):
                    %2 = neg %1 : f32[2,2]
                    yield %2
                  }
                  %3 = fusion %0 {kind="loop"} : f32[2,2] {
                  ^(%4: f32[2,2]):
                    %5 = transpose %4 {perm=[1, 0]} : f32[2,2]
                    %6 = add %5, %4 : f32[2,2]
                    yield %6
                  }
                  %7 = fusion %3 {kind="input"} : f32[] {
                  ^(%8: f32[2,2]):
                    %9 = reduce_sum %8 : f32[]
                    yield %9
                  }
                  return %7
                }
                """);
        BufferAssignment a = BufferAssignment.of(g);
        assertNotEquals(((InSlot) a.of(out(g, 0))).slot(), ((InSlot) a.of(out(g, 1))).slot());
        assertNull(((InSlot) a.of(out(g, 1))).overwrites());
    }

    @Test
    void aDeadBufferIsReusedByASmallerValueAndConstantsNeedNone() {
        Graph g = parse("""
                func @r(%x: f32[8]) -> f32[] {
                  %0 = constant {value=dense<f32[]: 2.0>} : f32[]
                  %1 = fusion %x, %0 {kind="loop"} : f32[8] {
                  ^(%2: f32[8], %3: f32[]):
                    %4 = mul %2, %3 : f32[8]
                    yield %4
                  }
                  %5 = fusion %1 {kind="input"} : f32[] {
                  ^(%6: f32[8]):
                    %7 = reduce_sum %6 : f32[]
                    yield %7
                  }
                  %8 = fusion %5 {kind="loop"} : f32[4] {
                  ^(%9: f32[]):
                    %10 = broadcast_to %9 {shape=[4]} : f32[4]
                    yield %10
                  }
                  %11 = fusion %8 {kind="input"} : f32[] {
                  ^(%12: f32[4]):
                    %13 = reduce_max %12 : f32[]
                    yield %13
                  }
                  return %11
                }
                """);
        BufferAssignment a = BufferAssignment.of(g);
        assertInstanceOf(Constant.class, a.of(out(g, 0)));
        int big = ((InSlot) a.of(out(g, 1))).slot();
        assertEquals(big, ((InSlot) a.of(out(g, 3))).slot(), "f32[4] reuses the dead f32[8] slot");
        assertNotEquals(big, ((InSlot) a.of(out(g, 2))).slot(), "the sum is written while the f32[8] is still read");
        assertEquals(32, a.slots().get(big).bytes());
        assertEquals(3, a.slots().size());
    }

    @Test
    void unknownDimsGetADeferredSlotOfTheirOwn() {
        Graph g = parse("""
                func @u(%x: f32[?]) -> f32[] {
                  %0 = fusion %x {kind="loop"} : f32[?] {
                  ^(%1: f32[?]):
                    %2 = neg %1 : f32[?]
                    yield %2
                  }
                  %3 = fusion %0 {kind="loop"} : f32[?] {
                  ^(%4: f32[?]):
                    %5 = abs %4 : f32[?]
                    yield %5
                  }
                  %6 = fusion %3 {kind="input"} : f32[] {
                  ^(%7: f32[?]):
                    %8 = reduce_sum %7 : f32[]
                    yield %8
                  }
                  return %6
                }
                """);
        BufferAssignment a = BufferAssignment.of(g);
        InSlot first = (InSlot) a.of(out(g, 0)), second = (InSlot) a.of(out(g, 1));
        assertNotEquals(first.slot(), second.slot(), "deferred sizes cannot be compared, so they are not shared");
        assertTrue(a.slots().get(first.slot()).isDeferred());
        assertEquals(-1, a.slots().get(first.slot()).offset());
        assertEquals(64, a.arenaBytes(), "only the f32[] result is in the static arena");
        assertTrue(a.describe(g).contains("deferred f32[?]"), a.describe(g));
    }

    @Test
    void anEmptyTensorTakesZeroBytesAndAnUnknownValueIsAnError() {
        Graph g = parse("""
                func @e(%x: f32[0,3]) -> f32[0,3] {
                  %0 = fusion %x {kind="loop"} : f32[0,3] {
                  ^(%1: f32[0,3]):
                    %2 = neg %1 : f32[0,3]
                    yield %2
                  }
                  return %0
                }
                """);
        BufferAssignment a = BufferAssignment.of(g);
        assertEquals(0, a.slots().get(0).bytes());
        assertEquals(0, a.arenaBytes());
        Value inner = g.body().nodes().get(0).regions().get(0).results().get(0);
        assertThrows(IllegalArgumentException.class, () -> a.of(inner));
    }
}
