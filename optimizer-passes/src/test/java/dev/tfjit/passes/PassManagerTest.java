package dev.tfjit.passes;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.tfjit.ir.ops.ElementwiseOps.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PassManagerTest {
    /** {@code neg(neg(x * 1)) + (2 - 2) * x}: needs simplify, fold, CSE and DCE working together. */
    private static Graph messy() {
        GraphDsl g = new GraphDsl("messy");
        Value x = g.param("x", DType.INT32, 3);
        Value a = g.op(NEG, g.op(NEG, g.op(MUL, x, g.i32(1))));
        Value zero = g.op(SUB, g.i32(2), g.i32(2));
        Value dead = g.op(MUL, x, g.i32(7));
        g.op(EXP, g.op(CAST, dev.tfjit.ir.Attrs.of("dtype", DType.FLOAT32), dead));
        return g.ret(g.op(ADD, a, g.op(MUL, g.op(ADD, zero, g.i32(0)), g.op(NEG, g.op(NEG, x)))));
    }

    @Test
    void theSimplificationPipelineReachesAFixedPoint() {
        PassManager.Result r = PassManager.simplification().runToFixedPoint(messy());
        assertTrue(r.converged());
        // (2-2)+0 folds to 0 only after simplify has run once, and x*0 is not an identity rule.
        assertEquals("""
                func @messy(%x: i32[3]) -> i32[3] {
                  %0 = constant {value=dense<i32[]: 0>} : i32[]
                  %1 = mul %0, %x : i32[3]
                  %2 = add %x, %1 : i32[3]
                  return %2
                }
                """, GraphDsl.ir(r.graph()));
        assertEquals(r.graph().toString(), PassManager.simplification().run(r.graph()).toString(), "idempotent");
    }

    @Test
    void aPipelineThatNeverSettlesStopsAtTheRoundCap() {
        Pass flip = new Pass() {
            @Override public String name() { return "flip"; }
            @Override public Graph run(Graph g) {
                // Alternates between x and neg(x): always a change, never a fixed point.
                GraphDsl d = new GraphDsl(g.name());
                Value x = d.param("x", DType.INT32);
                boolean wrapped = !g.body().nodes().isEmpty();
                return d.ret(wrapped ? x : d.op(NEG, x));
            }
        };
        GraphDsl g = new GraphDsl("f");
        Value x = g.param("x", DType.INT32);
        PassManager.Result r = PassManager.of(List.of(flip)).withMaxRounds(5).runToFixedPoint(g.ret(x));
        assertFalse(r.converged());
        assertEquals(5, r.rounds());
        assertThrows(IllegalArgumentException.class, () -> PassManager.of(List.of(flip)).withMaxRounds(0));
    }

    @Test
    void aGraphThatIsAlreadySimpleTakesOneRound() {
        GraphDsl g = new GraphDsl("f");
        Value x = g.param("x", DType.FLOAT32, 2);
        PassManager.Result r = PassManager.simplification().runToFixedPoint(g.ret(g.op(EXP, x)));
        assertEquals(1, r.rounds());
        assertTrue(r.converged());
    }

    @Test
    void dumpsTheIrAfterEveryPassNumberedInOrder(@TempDir Path dir) throws IOException {
        PassManager.Result r = PassManager.simplification().withDumps(dir).runToFixedPoint(messy());
        List<String> names = list(dir);
        int expected = 1 + 4 * r.rounds();
        assertEquals(expected, names.size(), names.toString());
        assertEquals("messy.00.input.ir", names.get(0));
        assertEquals(List.of("messy.01.simplify.ir", "messy.02.fold.ir", "messy.03.cse.ir", "messy.04.dce.ir"), names.subList(1, 5));
        assertEquals(messy().toString(), Files.readString(dir.resolve("messy.00.input.ir")));
        assertEquals(r.graph().toString(), Files.readString(dir.resolve(names.get(names.size() - 1))));
    }

    @Test
    void theDumpDirectoryCanComeFromTheSystemProperty(@TempDir Path dir) throws IOException {
        String old = System.getProperty("tfjit.dump");
        System.setProperty("tfjit.dump", dir.toString());
        try {
            PassManager.simplification().run(messy());
        } finally {
            if (old == null) System.clearProperty("tfjit.dump");
            else System.setProperty("tfjit.dump", old);
        }
        assertTrue(list(dir).contains("messy.01.simplify.ir"), list(dir).toString());
    }

    @Test
    void theVerifierSeesEveryChangedGraphAndNamesTheBrokenPass() {
        List<String> seen = new ArrayList<>();
        PassManager.simplification().withVerifier(g -> seen.add(g.toString())).run(messy());
        assertTrue(seen.size() >= 2, "input and at least one rewritten graph: " + seen.size());

        Pass breaker = new Pass() {
            @Override public String name() { return "breaker"; }
            @Override public Graph run(Graph g) { return new Graph(g.name() + "_broken", g.body()); }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PassManager.of(List.of(breaker))
                .withVerifier(g -> { if (g.name().endsWith("_broken")) throw new IllegalArgumentException("bad name"); })
                .run(messy()));
        assertTrue(e.getMessage().contains("pass 'breaker'") && e.getMessage().contains("bad name"), e.getMessage());
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
