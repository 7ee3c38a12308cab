package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Elementwise kernels over the same shape that read a common input run as one loop (XLA's
 * multi-output fusion of siblings): the plan groups them (a silent loss of the fusion fails
 * here), the emitted IR has fewer stores loops, the report names the group, and every result
 * equals the interpreter's bit for bit, over random shapes with dims of size 0 and 1, float and
 * integer dtypes. Kernels that read each other, or whose output a node between them reads, are
 * left apart.
 */
class SiblingFusionTest {
    private record Planned(FusionPlan plan, Graph graph, ConcreteTypes types) {
        /** The output names (as written in the IR) of each sibling group's members. */
        List<List<String>> groups() {
            Map<Value, String> names = dev.tfjit.ir.IrPrinter.valueNames(graph);
            List<List<String>> out = new ArrayList<>();
            for (FusionPlan.SiblingGroup g : plan.siblingGroups()) out.add(g.members().stream().map(n -> names.get(n.output())).toList());
            return out;
        }

        String ir() { return FunctionEmitter.emit(graph, types, plan, "tfjit_sibling_test", NativeJit.get().moduleHeader()).ir(); }

        String report() { return FunctionEmitter.emit(graph, types, plan, "tfjit_sibling_test", "").fusion().text(); }
    }

    private static Planned plan(String ir, Buffer... args) {
        Graph g = Oracle.parse(ir);
        ConcreteTypes types = Oracle.types(g, args);
        return new Planned(FusionPlan.of(g, types), g, types);
    }

    private static String type(String dtype, int rank) { return dtype + "[" + "?,".repeat(rank).replaceAll(",$", "") + "]"; }

    /** A random shape of {@code rank} dims from 0 to 4, mostly non-empty. */
    private static int[] dims(Random r, int rank) {
        int[] d = new int[rank];
        for (int i = 0; i < rank; i++) d[i] = r.nextInt(8) == 0 ? 0 : 1 + r.nextInt(4);
        return d;
    }

    /** A shape that broadcasts to {@code full}: a suffix of it with some dims 1. */
    private static int[] broadcastable(Random r, int[] full) {
        int rank = r.nextInt(full.length + 1);
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) s[i] = r.nextInt(3) == 0 ? 1 : full[full.length - rank + i];
        return s;
    }

    private static final DType[] DTYPES = {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64};

    private static String name(DType t) {
        return switch (t) {
            case FLOAT32 -> "f32";
            case FLOAT64 -> "f64";
            case INT32 -> "i32";
            case INT64 -> "i64";
            default -> throw new IllegalArgumentException(t.toString());
        };
    }

    @Test
    void pairsAndTriplesOfSiblingsWithBroadcastingLeavesRunAsOneLoop() {
        Random r = new Random(7);
        for (int trial = 0; trial < 48; trial++) {
            DType t = DTYPES[trial % DTYPES.length];
            boolean triple = trial % 3 != 0;
            int rank = 1 + r.nextInt(3);
            int[] x = dims(r, rank), y = broadcastable(r, x), z = broadcastable(r, x);
            String full = type(name(t), rank);
            // All read %x, %c also %z like %b; none reads another.
            String ir = """
                    func @s(%x: T, %y: TY, %z: TZ) -> (T, T, T) {
                      %a = mul %x, %y : T
                      %b = sub %z, %x : T
                      %c = maximum %z, %x : T
                      return %a, %b, %c
                    }
                    """.replace("TY", type(name(t), y.length)).replace("TZ", type(name(t), z.length)).replace("T", full);
            List<List<String>> want = List.of(List.of("a", "b", "c"));
            if (!triple) { // a pair
                ir = ir.replace("  %c = maximum %z, %x : " + full + "\n", "").replace("return %a, %b, %c", "return %a, %b, %a");
                want = List.of(List.of("a", "b"));
            }
            Buffer[] args = {TestData.mixed(t, Shape.of(x), trial), TestData.mixed(t, Shape.of(y), trial + 100),
                    TestData.mixed(t, Shape.of(z), trial + 200)};
            Planned p = plan(ir, args);
            assertEquals(want, p.groups(), ir);
            Oracle.assertSame(ir, args);
        }
    }

    @Test
    void siblingsStoreFromOneLoopAndTheReportSaysSo() {
        String ir = """
                func @g(%x: f32[?], %y: f32[?]) -> (f32[?], bool[?], f32[?]) {
                  %r = relu %x : f32[?]
                  %m = greater %x, %y : bool[?]
                  %n = neg %x : f32[?]
                  %s = mul %n, %y : f32[?]
                  return %r, %m, %s
                }
                """;
        Buffer x = TestData.mixed(DType.FLOAT32, Shape.of(1000), 1), y = TestData.mixed(DType.FLOAT32, Shape.of(1000), 2);
        Planned p = plan(ir, x, y);
        assertEquals(List.of(List.of("r", "m", "s")), p.groups(), "%n is inlined into %s, which joins through its leaf %x");
        String report = p.report();
        assertTrue(report.contains("%r = relu f32[1000]: sibling of %m, %s, one loop at %s"), report);
        assertTrue(report.contains("%m = greater bool[1000]: sibling of %r, %s, one loop at %s"), report);
        // One loop loads %x once and stores three outputs: three stores in one block, one load of each input.
        String fn = p.ir();
        long loops = fn.lines().filter(l -> l.contains("!llvm.loop")).count();
        assertEquals(1, loops, fn);
        Oracle.assertSame(ir, x, y);
    }

    @Test
    void sizeOneAndSizeZeroShapes() {
        String ir = """
                func @g(%x: f32[?,?], %y: f32[?]) -> (f32[?,?], f32[?,?]) {
                  %a = add %x, %y : f32[?,?]
                  %b = mul %y, %x : f32[?,?]
                  return %a, %b
                }
                """;
        for (int[] d : new int[][] {{1, 1}, {0, 3}, {3, 0}, {1, 5}, {4, 1}}) {
            Buffer x = TestData.mixed(DType.FLOAT32, Shape.of(d), 3), y = TestData.mixed(DType.FLOAT32, Shape.of(d[1]), 4);
            assertEquals(List.of(List.of("a", "b")), plan(ir, x, y).groups());
            Oracle.assertSame(ir, x, y);
        }
    }

    @Test
    void aSiblingInScratchIsReadByALaterKernel() {
        // %a and %b are not results: they live in scratch until %c, %d and %k read them after the group.
        String ir = """
                func @g(%x: i32[?], %y: i32[?], %w: i32[?]) -> (i32[?], i32[1]) {
                  %a = mul %x, %y : i32[?]
                  %b = add %x, %w : i32[?]
                  %c = sub %b, %a : i32[?]
                  %d = floor_div %c, %b : i32[?]
                  %k = reduce_sum %a {axis=[0], keepdims=true} : i32[1]
                  return %d, %k
                }
                """;
        Buffer x = TestData.mixed(DType.INT32, Shape.of(37), 5), y = TestData.mixed(DType.INT32, Shape.of(37), 6),
                w = TestData.mixed(DType.INT32, Shape.of(37), 8);
        Planned p = plan(ir, x, y, w);
        assertEquals(List.of(List.of("a", "b")), p.groups());
        assertTrue(p.report().contains("%a = mul i32[37]: sibling of %b, one loop at %b (shared inputs read once), stored in scratch"), p.report());
        Oracle.assertSameOrSameError(ir, 0, x, y, w);
    }

    @Test
    void aSiblingEmittedLateStillRaisesTheFirstErrorInProgramOrder() {
        // %a runs in %b's loop, after %k: when both divide by zero, the error is still %a's, as in the interpreter.
        String ir = """
                func @e(%x: i32[?], %y: i32[?], %s: i32[], %z: i32[?]) -> (i32[?], i32[], i32[?]) {
                  %a = floor_div %x, %y : i32[?]
                  %k = floor_div %s, %s : i32[]
                  %b = add %x, %z : i32[?]
                  return %a, %k, %b
                }
                """;
        Buffer x = TestData.uniform(DType.INT32, Shape.of(6), 1, 50, false), z = TestData.uniform(DType.INT32, Shape.of(6), 2, 50, false);
        Buffer withZero = Buffer.ofInts(Shape.of(6), 3, 1, 0, 2, 5, 7), noZero = Buffer.ofInts(Shape.of(6), 3, 1, 4, 2, 5, 7);
        assertEquals(List.of(List.of("a", "b")), plan(ir, x, withZero, Buffer.ofInts(Shape.SCALAR, 0), z).groups());
        for (Buffer y : List.of(withZero, noZero)) {
            for (int s : new int[] {0, 3}) Oracle.assertSameOrSameError(ir, 0, x, y, Buffer.ofInts(Shape.SCALAR, s), z);
        }
        assertThrows(dev.tfjit.ir.TfException.class, () -> Oracle.compiled(ir, x, withZero, Buffer.ofInts(Shape.SCALAR, 0), z));
    }

    @Test
    void siblingsInsideAWhileBody() {
        String ir = """
                func @w(%n: i32[], %x0: f32[?,?], %s: f32[?]) -> (f32[?,?], f32[?,?]) {
                  %0 = constant {value=dense<i32[]: 0>} : i32[]
                  %1 = constant {value=dense<i32[]: 1>} : i32[]
                  %2, %3, %4 = while %0, %x0, %x0 : i32[], f32[?,?], f32[?,?] {
                  ^(%i: i32[], %x: f32[?,?], %u: f32[?,?]):
                    %5 = less %i, %n : bool[]
                    yield %5
                  } {
                  ^(%i2: i32[], %x2: f32[?,?], %u2: f32[?,?]):
                    %6 = add %i2, %1 : i32[]
                    %7 = mul %x2, %s : f32[?,?]
                    %8 = sub %u2, %x2 : f32[?,?]
                    yield %6, %7, %8
                  }
                  return %3, %4
                }
                """;
        Buffer n = Buffer.ofInts(Shape.SCALAR, 3), x = TestData.uniform(DType.FLOAT32, Shape.of(5, 7), 9, 2, false),
                s = TestData.uniform(DType.FLOAT32, Shape.of(7), 10, 2, false);
        Planned p = plan(ir, n, x, s);
        assertEquals(List.of(List.of("7", "8")), p.groups());
        Oracle.assertSame(ir, n, x, s);
    }

    @Test
    void kernelsThatReadEachOtherOrAreReadBetweenAreNotFused() {
        // %b reads %a: a dependency. %e is read by %k before %f stands: emitting %e at %f would be too late.
        String ir = """
                func @g(%x: f32[?], %y: f32[?]) -> (f32[?], f32[?], f32[?], f32[?], f32[]) {
                  %a = mul %x, %y : f32[?]
                  %b = add %a, %x : f32[?]
                  %e = sub %x, %y : f32[?]
                  %k = reduce_max %e {axis=[0], keepdims=false} : f32[]
                  %f = maximum %y, %x : f32[?]
                  return %a, %b, %e, %f, %k
                }
                """;
        Buffer x = TestData.mixed(DType.FLOAT32, Shape.of(9), 11), y = TestData.mixed(DType.FLOAT32, Shape.of(9), 12);
        Planned p = plan(ir, x, y);
        // Greedily: %a opens a group; %b reads %a and opens its own; %e cannot join %a's (%b reads %a before %e) and joins %b's;
        // %f can join neither (%b reads %a, %k reads %e before %f stands).
        assertEquals(List.of(List.of("b", "e")), p.groups(), p.report());
        assertTrue(p.report().contains("%f = maximum f32[9]: stored in"), p.report());
        Oracle.assertSame(ir, x, y);
    }

    @Test
    void differentShapesAndUnsharedInputsAreNotFused() {
        String ir = """
                func @g(%x: f32[?,?], %y: f32[?], %z: f32[?,?]) -> (f32[?,?], f32[?], f32[?,?]) {
                  %a = mul %x, %x : f32[?,?]
                  %b = neg %y : f32[?]
                  %c = abs %z : f32[?,?]
                  return %a, %b, %c
                }
                """;
        Buffer x = TestData.mixed(DType.FLOAT32, Shape.of(3, 4), 1), y = TestData.mixed(DType.FLOAT32, Shape.of(4), 2),
                z = TestData.mixed(DType.FLOAT32, Shape.of(3, 4), 3);
        assertEquals(List.of(), plan(ir, x, y, z).groups());
        Oracle.assertSame(ir, x, y, z);
    }

    @Test
    void groupsHoldAtMostFourKernels() {
        StringBuilder ir = new StringBuilder("func @g(%x: f32[?]) -> (f32[?], f32[?], f32[?], f32[?], f32[?], f32[?]) {\n");
        String[] ops = {"neg", "abs", "square", "relu", "floor", "sign"};
        for (int i = 0; i < ops.length; i++) ir.append("  %v").append(i).append(" = ").append(ops[i]).append(" %x : f32[?]\n");
        ir.append("  return %v0, %v1, %v2, %v3, %v4, %v5\n}\n");
        Buffer x = TestData.mixed(DType.FLOAT32, Shape.of(100), 4);
        assertEquals(List.of(List.of("v0", "v1", "v2", "v3"), List.of("v4", "v5")), plan(ir.toString(), x).groups());
        Oracle.assertSame(ir.toString(), x);
    }

    @Test
    void siblingsWithBigOutputsStreamThemAll() {
        // 16 MiB and more per output: each is written in whole lines with non-temporal stores, the partial last line normally.
        String ir = """
                func @g(%x: f32[?], %y: f32[?]) -> (f32[?], i32[?]) {
                  %a = mul %x, %y : f32[?]
                  %c = cast %x {dtype=i32} : i32[?]
                  %b = neg %c : i32[?]
                  return %a, %b
                }
                """;
        int n = (4 << 20) + 5;
        Buffer x = TestData.uniform(DType.FLOAT32, Shape.of(n), 1, 1000, false), y = TestData.mixed(DType.FLOAT32, Shape.of(n), 2);
        Planned p = plan(ir, x, y);
        assertEquals(List.of(List.of("a", "b")), p.groups());
        String fn = p.ir();
        assertEquals(2, fn.lines().filter(l -> l.contains("store <16 x") && l.contains("!nontemporal")).count(), "one streaming store per output");
        Oracle.assertSame(ir, x, y);
    }

    @Test
    void largeSiblingsSplitAcrossBothCores() {
        String ir = """
                func @g(%x: f32[?], %y: f32[?]) -> (f32[?], f32[?]) {
                  %a = mul %x, %y : f32[?]
                  %b = sub %x, %y : f32[?]
                  return %a, %b
                }
                """;
        Buffer x = TestData.mixed(DType.FLOAT32, Shape.of(1 << 20), 1), y = TestData.mixed(DType.FLOAT32, Shape.of(1 << 20), 2);
        Planned p = plan(ir, x, y);
        assertEquals(List.of(List.of("a", "b")), p.groups());
        if (NativeJit.get().parallel()) assertTrue(p.ir().contains("_part"), "the loop is split between the two threads");
        Oracle.assertSame(ir, x, y);
    }
}
