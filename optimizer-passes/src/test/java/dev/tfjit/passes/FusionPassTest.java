package dev.tfjit.passes;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.IrParser;
import dev.tfjit.ir.OpCatalog;
import dev.tfjit.ir.OpDef.FusionKind;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.VerificationError;
import dev.tfjit.ir.Verifier;
import dev.tfjit.ir.ops.FusionOps;
import dev.tfjit.runtime.Interpreter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FusionPassTest {
    private static final String SQUARE_SUM = """
            func @sq(%x: f32[?,3]) -> (f32[?], f32[?,3]) {
              %0 = mul %x, %x : f32[?,3]
              %1 = reduce_sum %0 {axis=[1]} : f32[?]
              %2 = transpose %x {perm=[1, 0]} : f32[3,?]
              %3 = transpose %2 {perm=[1, 0]} : f32[?,3]
              return %1, %3
            }
            """;

    @Test
    void opsSayHowTheyFuseWhereTheyAreDefined() {
        assertEquals(FusionKind.ELEMENTWISE, OpCatalog.get("add").fusionKind());
        assertFalse(OpCatalog.get("add").isExpensive());
        assertEquals(FusionKind.ELEMENTWISE, OpCatalog.get("exp").fusionKind());
        assertTrue(OpCatalog.get("exp").isExpensive());
        assertTrue(OpCatalog.get("div").isExpensive());
        assertEquals(FusionKind.BROADCAST_LIKE, OpCatalog.get("transpose").fusionKind());
        assertEquals(FusionKind.REDUCTION, OpCatalog.get("reduce_mean").fusionKind());
        assertEquals(FusionKind.MATMUL, OpCatalog.get("matmul").fusionKind());
        for (String opaque : List.of("gather", "top_k", "random_uniform", "print", "while", "cond", "fusion", "string_join")) {
            assertEquals(FusionKind.OPAQUE, OpCatalog.get(opaque).fusionKind(), opaque);
        }
    }

    @Test
    void unknownDimsFuseElementwiseButNotIndexArithmetic() {
        Graph fused = new FusionPass().run(IrParser.parse(SQUARE_SUM));
        Verifier.verify(fused);
        String ir = fused.toString();
        assertTrue(ir.contains("""
                  %0 = fusion %x {kind="input"} : f32[?] {
                  ^(%1: f32[?,3]):
                    %2 = mul %1, %1 : f32[?,3]
                    %3 = reduce_sum %2 {axis=[1]} : f32[?]
                    yield %3
                  }
                """), ir);
        assertTrue(ir.contains("  %4 = transpose %x {perm=[1, 0]} : f32[3,?]\n"), ir);
        Buffer x = Buffer.ofFloats(Shape.of(2, 3), 1, 2, 3, -1, 0, 4);
        List<Buffer> out = Interpreter.run(fused, List.of(x));
        assertArrayEquals(new float[] {14, 17}, out.get(0).toFloatArray());
        assertArrayEquals(x.toFloatArray(), out.get(1).toFloatArray());
    }

    @Test
    void fusingAFusedGraphAgainChangesNothing() {
        Graph once = new FusionPass().run(IrParser.parse(SQUARE_SUM));
        assertEquals(once.toString(), new FusionPass().run(once).toString());
    }

    @Test
    void dumpsListEachFusionAndWhyProducersWereNotFused(@TempDir Path dir) throws IOException {
        String old = System.getProperty("tfjit.dump");
        System.setProperty("tfjit.dump", dir.toString());
        try {
            PassManager.of(List.of(new DeadCodeElimination())).run(IrParser.parse(SQUARE_SUM));
            new FusionPass().run(IrParser.parse(SQUARE_SUM));
        } finally {
            if (old == null) System.clearProperty("tfjit.dump");
            else System.setProperty("tfjit.dump", old);
        }
        Path txt = dir.resolve("sq.02.fusion.txt");
        assertTrue(Files.exists(txt), "numbered after the manager's dumps: " + Files.list(dir).toList());
        String report = Files.readString(txt);
        assertEquals(FusionPass.NOT_USED_BY_BACKENDS, report.lines().skip(1).findFirst().orElseThrow(), report);
        assertTrue(report.contains("fusion #0 kind=input hero=reduce_sum %1 writes %1"), report);
        assertTrue(report.contains("members: mul %0 (prologue), reduce_sum %1 (hero)"), report);
        assertTrue(report.contains("not fused: transpose %2: index arithmetic needs a static output shape, got [3,?]"), report);
        assertTrue(report.contains("%0: f32[?] -> slot 0"), report);
        assertTrue(report.contains("deferred f32[?]"), report);
    }

    @Test
    void theFusionKernelRunsItsRegion() {
        Graph g = IrParser.parse("""
                func @k(%a: f32[3], %b: f32[]) -> (f32[3], f32[3]) {
                  %0, %1 = fusion %a, %b {kind="loop"} : f32[3], f32[3] {
                  ^(%2: f32[3], %3: f32[]):
                    %4 = mul %2, %3 : f32[3]
                    %5 = neg %4 : f32[3]
                    yield %4, %5
                  }
                  return %0, %1
                }
                """);
        Verifier.verify(g);
        assertEquals(g.toString(), IrParser.parse(g.toString()).toString());
        List<Buffer> out = Interpreter.run(g, List.of(Buffer.ofFloats(Shape.of(3), 1, -2, 0.5f), Buffer.ofFloats(Shape.SCALAR, 4)));
        assertArrayEquals(new float[] {4, -8, 2}, out.get(0).toFloatArray());
        assertArrayEquals(new float[] {-4, 8, -2}, out.get(1).toFloatArray());
    }

    @Test
    void aFusionRegionMayNotCaptureOuterValues() {
        Graph g = IrParser.parse("""
                func @c(%a: f32[3], %b: f32[3]) -> f32[3] {
                  %0 = fusion %a {kind="loop"} : f32[3] {
                  ^(%1: f32[3]):
                    %2 = add %1, %b : f32[3]
                    yield %2
                  }
                  return %0
                }
                """);
        VerificationError e = assertThrows(VerificationError.class, () -> Verifier.verify(g));
        assertTrue(e.getMessage().contains("the fusion region uses %b from outside"), e.getMessage());
    }

    @Test
    void theFusionTypeRuleNamesTheProblem() {
        var t = dev.tfjit.ir.TensorType.of(dev.tfjit.ir.DType.FLOAT32, 3);
        var block = new dev.tfjit.ir.Block(List.of(new dev.tfjit.ir.Value(t, null, null)), List.of(), List.of());
        Exception kind = assertThrows(RuntimeException.class, () -> FusionOps.FUSION.inferTypes(List.of(t),
                dev.tfjit.ir.Attrs.of("kind", "tiled"), List.of(block)));
        assertTrue(kind.getMessage().contains("kind must be \"loop\", \"input\" or \"output\", got \"tiled\""), kind.getMessage());
        var other = dev.tfjit.ir.TensorType.of(dev.tfjit.ir.DType.FLOAT32, 4);
        Exception shape = assertThrows(RuntimeException.class, () -> FusionOps.FUSION.inferTypes(List.of(other),
                dev.tfjit.ir.Attrs.of("kind", "loop"), List.of(block)));
        assertTrue(shape.getMessage().contains("input 0 has shape [4] but region param 0 has shape [3]"), shape.getMessage());
        Exception empty = assertThrows(RuntimeException.class, () -> FusionOps.FUSION.inferTypes(List.of(t),
                dev.tfjit.ir.Attrs.of("kind", "loop"), List.of(block)));
        assertTrue(empty.getMessage().contains("must yield at least one value"), empty.getMessage());
    }
}
