package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.Shape;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Concat and constant pad read by one elementwise kernel are computed in that kernel's loop,
 * piece by piece (index arithmetic, XLA's rule), and strided_slice is a view: the plan says so
 * (a silent loss of the fusion fails here), nothing of them is stored (the scratch block
 * shrinks), and every result equals the interpreter's bit for bit, over random shapes with
 * dims of size 0 and 1 and negative axes.
 */
class IndexFusionTest {
    private record Planned(FusionPlan plan, Graph graph, ConcreteTypes types) {
        /** The ops whose outputs are pieced, and those read as views, in program order. */
        List<String> pieced() {
            List<String> out = new ArrayList<>();
            for (Node n : graph.body().nodes()) if (n.outputs().size() == 1 && plan.isPieced(n.output())) out.add(n.op().name());
            return out;
        }

        List<String> views() {
            List<String> out = new ArrayList<>();
            for (Node n : graph.body().nodes()) if (n.outputs().size() == 1 && plan.isView(n.output())) out.add(n.op().name());
            return out;
        }

        long scratchBytes() {
            return FunctionEmitter.emit(graph, types, plan, "tfjit_index_fusion_test", NativeJit.get().moduleHeader()).scratchBytes();
        }
    }

    private static Planned plan(String ir, Buffer... args) {
        Graph g = Oracle.parse(ir);
        ConcreteTypes types = Oracle.types(g, args);
        return new Planned(FusionPlan.of(g, types), g, types);
    }

    private static Buffer data(Shape s, long seed) { return TestData.mixed(DType.FLOAT32, s, seed); }

    private static String type(int rank) { return "f32[" + "?,".repeat(rank).replaceAll(",$", "") + "]"; }

    /** A random shape of {@code rank} dims from 0 to 4, mostly non-empty. */
    private static int[] dims(Random r, int rank) {
        int[] d = new int[rank];
        for (int i = 0; i < rank; i++) d[i] = r.nextInt(8) == 0 ? 0 : 1 + r.nextInt(4);
        return d;
    }

    @Test
    void concatOfStoredViewAndInlinedInputsIsComputedInItsReader() {
        Random r = new Random(11);
        for (int trial = 0; trial < 40; trial++) {
            int rank = 1 + r.nextInt(3);
            int axis = r.nextInt(rank);
            long written = r.nextBoolean() ? axis - rank : axis; // negative axes half the time
            int[] a = dims(r, rank), b = a.clone(), c = a.clone();
            b[axis] = r.nextInt(4);
            c[axis] = r.nextInt(3);
            int[] bt = b.clone(); // %b arrives transposed (last two dims swapped): its transpose is a view
            if (rank >= 2) {
                bt[rank - 1] = b[rank - 2];
                bt[rank - 2] = b[rank - 1];
            }
            String perm = rank >= 2 ? transposeLastTwo(rank) : "[0]";
            String t = type(rank);
            String ir = """
                    func @c(%a: T, %bt: T, %c: T, %s: f32[?]) -> T {
                      %b = transpose %bt {perm=PERM} : T
                      %c2 = mul %c, %c : T
                      %j = concat %a, %b, %c2 {axis=AXIS} : T
                      %k = add %j, %s : T
                      %r = maximum %k, %s : T
                      return %r
                    }
                    """.replace("T", t).replace("PERM", perm).replace("AXIS", Long.toString(written));
            int[] out = a.clone();
            out[axis] = a[axis] + b[axis] + c[axis];
            // %s broadcasts along the last dim (a leaf read at the whole output's positions), or is a single element.
            Shape s = Shape.of(r.nextBoolean() ? out[rank - 1] : 1);
            Buffer[] args = {data(Shape.of(a), trial), data(Shape.of(bt), trial + 100), data(Shape.of(c), trial + 200), data(s, trial + 300)};
            Planned p = plan(ir, args);
            assertEquals(List.of("concat"), p.pieced(), ir);
            assertEquals(List.of("transpose"), p.views(), ir);
            assertTrue(p.plan.isInlined(p.graph.body().nodes().get(1).output()), "the mul feeding the concat is computed in its piece");
            assertEquals(0, p.scratchBytes(), "nothing is stored but the result");
            Oracle.assertSame(ir, args);
        }
    }

    private static String transposeLastTwo(int rank) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < rank; i++) {
            int v = i == rank - 2 ? rank - 1 : i == rank - 1 ? rank - 2 : i;
            sb.append(i > 0 ? "," : "").append(v);
        }
        return sb.append("]").toString();
    }

    @Test
    void padWithANonzeroLiteralOrStoredValueIsComputedInItsReader() {
        Random r = new Random(5);
        for (int trial = 0; trial < 40; trial++) {
            int rank = 1 + r.nextInt(3);
            int[] x = dims(r, rank);
            long[] paddings = new long[2 * rank];
            for (int i = 0; i < paddings.length; i++) paddings[i] = r.nextInt(3);
            boolean literal = r.nextBoolean();
            String t = type(rank);
            String ir = """
                    func @p(%x: T, %v: f32[], %y: f32[?]) -> T {
                      %lit = constant {value=dense<f32[]: 2.5>} : f32[]
                      %e = neg %x : T
                      %p = pad %e, VALUE {paddings=PADS} : T
                      %r = mul %p, %y : T
                      return %r
                    }
                    """.replace("T", t).replace("VALUE", literal ? "%lit" : "%v")
                    .replace("PADS", java.util.Arrays.toString(paddings));
            int last = x[rank - 1] + (int) paddings[2 * rank - 2] + (int) paddings[2 * rank - 1];
            Buffer[] args = {data(Shape.of(x), trial), data(Shape.SCALAR, trial + 1), data(Shape.of(r.nextBoolean() ? last : 1), trial + 2)};
            Planned p = plan(ir, args);
            assertEquals(List.of("pad"), p.pieced(), ir);
            assertEquals(0, p.scratchBytes(), "nothing is stored but the result");
            Oracle.assertSame(ir, args);
        }
    }

    @Test
    void tileIsComputedCopyByCopyInItsReaderWithoutRecomputingItsInput() {
        Random r = new Random(23);
        for (int trial = 0; trial < 40; trial++) {
            int rank = 1 + r.nextInt(3);
            int[] x = dims(r, rank);
            long[] multiples = new long[rank];
            for (int i = 0; i < rank; i++) multiples[i] = r.nextInt(6) == 0 ? 0 : 1 + r.nextInt(3);
            long copies = 1;
            for (long m : multiples) copies *= Math.max(m, 1);
            String t = type(rank);
            String tiled = "f32[" + String.join(",", java.util.Arrays.stream(multiples).mapToObj(m -> m == 0 ? "0" : "?").toList()) + "]";
            String ir = """
                    func @t(%x: T, %y: f32[?]) -> TILED {
                      %e = exp %x : T
                      %t = tile %e {multiples=MULT} : TILED
                      %r = add %t, %y : TILED
                      return %r
                    }
                    """.replace("MULT", java.util.Arrays.toString(multiples)).replace("TILED", tiled).replace("T", t);
            int last = (int) (x[rank - 1] * multiples[rank - 1]);
            Buffer[] args = {data(Shape.of(x), trial), data(Shape.of(r.nextBoolean() ? last : 1), trial + 1)};
            Planned p = plan(ir, args);
            assertEquals(copies <= IndexFusion.MAX_TILE_PIECES ? List.of("tile") : List.of(), p.pieced(), ir);
            if (!p.pieced().isEmpty()) {
                assertFalse(p.plan().isInlined(p.graph().body().nodes().getFirst().output()),
                        "exp is stored once, not recomputed for every copy: " + ir);
            }
            Oracle.assertSame(ir, args);
        }
        String many = """
                func @m(%x: f32[2,2]) -> f32[10,4] {
                  %t = tile %x {multiples=[5,2]} : f32[10,4]
                  %r = neg %t : f32[10,4]
                  return %r
                }
                """;
        Buffer x = data(Shape.of(2, 2), 7);
        assertEquals(List.of("tile"), plan(many, x).pieced(), "10 copies");
        Oracle.assertSame(many, x);
        String tooMany = many.replace("[5,2]", "[5,4]").replace("f32[10,4]", "f32[10,8]");
        assertEquals(List.of(), plan(tooMany, x).pieced(), "20 copies are more loops than they save");
        Oracle.assertSame(tooMany, x);
    }

    @Test
    void stackOfStoredViewAndInlinedInputsIsComputedInItsReader() {
        Random r = new Random(17);
        for (int trial = 0; trial < 30; trial++) {
            int rank = r.nextInt(3);
            int axis = r.nextInt(rank + 1);
            long written = r.nextBoolean() ? axis - rank - 1 : axis;
            int[] item = dims(r, rank);
            String t = type(rank);
            StringBuilder os = new StringBuilder("f32[");
            for (int d = 0; d <= rank; d++) os.append(d > 0 ? "," : "").append(d == axis ? "3" : "?");
            String o = os.append("]").toString();
            String ir = """
                    func @s(%a: T, %b: T, %y: f32[?]) -> O {
                      %rb = reverse %b {axis=AXES} : T
                      %a2 = abs %a : T
                      %j = stack %a2, %rb, %a {axis=AXIS} : O
                      %r = squared_difference %j, %y : O
                      return %r
                    }
                    """.replace("O", o).replace("T", t).replace("AXES", rank == 0 ? "[]" : "[0]").replace("AXIS", Long.toString(written));
            int[] out = new int[rank + 1];
            for (int d = 0, k = 0; d <= rank; d++) out[d] = d == axis ? 3 : item[k++];
            Buffer[] args = {data(Shape.of(item), trial), data(Shape.of(item), trial + 50), data(Shape.of(r.nextBoolean() ? out[rank] : 1), trial + 7)};
            Planned p = plan(ir, args);
            assertEquals(List.of("stack"), p.pieced(), ir);
            assertEquals(List.of("reverse"), p.views(), ir);
            assertEquals(0, p.scratchBytes(), "nothing is stored but the result");
            Oracle.assertSame(ir, args);
        }
    }

    @Test
    void aStoredConcatUsesScratchThatAPiecedOneSaves() {
        String fused = """
                func @f(%a: f32[64,32], %b: f32[64,32]) -> f32[128,32] {
                  %j = concat %a, %b {axis=-2} : f32[128,32]
                  %r = relu %j : f32[128,32]
                  return %r
                }
                """;
        // Read twice: stored once, in scratch.
        String stored = """
                func @f(%a: f32[64,32], %b: f32[64,32]) -> f32[128,32] {
                  %j = concat %a, %b {axis=-2} : f32[128,32]
                  %r = mul %j, %j : f32[128,32]
                  return %r
                }
                """;
        Buffer a = data(Shape.of(64, 32), 1), b = data(Shape.of(64, 32), 2);
        assertEquals(List.of("concat"), plan(fused, a, b).pieced());
        assertEquals(List.of(), plan(stored, a, b).pieced());
        assertEquals(0, plan(fused, a, b).scratchBytes());
        assertTrue(plan(stored, a, b).scratchBytes() >= 128 * 32 * 4);
        Oracle.assertSame(fused, a, b);
        Oracle.assertSame(stored, a, b);
    }

    @Test
    void concatAndPadThatEscapeAreReadTwiceOrShareALeafAreStored() {
        String ir = """
                func @e(%a: f32[1,3], %b: f32[1,3], %x: f32[2,2]) -> (f32[2,3], f32[2,3], f32[4,4], f32[4,4], f32[2,3]) {
                  %z = constant {value=dense<f32[]: 0.0>} : f32[]
                  %j = concat %a, %b {axis=0} : f32[2,3]
                  %r = neg %j : f32[2,3]
                  %k = concat %b, %a {axis=0} : f32[2,3]
                  %s = add %k, %a : f32[2,3]
                  %p = pad %x, %z {paddings=[1,1,1,1]} : f32[4,4]
                  %q = exp %p : f32[4,4]
                  %m = concat %a, %a {axis=0} : f32[2,3]
                  %n = abs %m : f32[2,3]
                  return %r, %s, %q, %p, %n
                }
                """;
        Buffer[] args = {data(Shape.of(1, 3), 1), data(Shape.of(1, 3), 2), data(Shape.of(2, 2), 3)};
        // %k: %a is read both in a piece and at the whole output's positions. %p is a result. %j and %m are pieced.
        assertEquals(List.of("concat", "concat"), plan(ir, args).pieced());
        Oracle.assertSame(ir, args);
    }

    @Test
    void twoPiecedValuesInOneKernelAreNotBothFused() {
        String ir = """
                func @two(%a: f32[?], %b: f32[?], %x: f32[?]) -> f32[?] {
                  %z = constant {value=dense<f32[]: -1.5>} : f32[]
                  %j = concat %a, %b {axis=0} : f32[?]
                  %p = pad %x, %z {paddings=[2,1]} : f32[?]
                  %r = sub %j, %p : f32[?]
                  return %r
                }
                """;
        Buffer[] args = {data(Shape.of(3), 1), data(Shape.of(4), 2), data(Shape.of(4), 3)};
        assertEquals(1, plan(ir, args).pieced().size());
        Oracle.assertSame(ir, args);
    }

    @Test
    void stridedSlicesWithMasksAndNegativeStridesAreViews() {
        String ir = """
                func @s(%x: f32[?,?,?]) -> (f32[?,?], f32[?,?], f32[?,1,?,?], f32[?]) {
                  %a = strided_slice %x {begin=[1,0,-1], end=[0,0,0], strides=[1,2,-1], end_mask=3, shrink_axis_mask=0} : f32[?,?,?]
                  %b = reduce_sum %a {axis=[0]} : f32[?,?]
                  %c = strided_slice %x {begin=[0,1], end=[1,0], strides=[1,1], end_mask=2, shrink_axis_mask=1} : f32[?,?]
                  %d = abs %c : f32[?,?]
                  %e = strided_slice %x {begin=[0,0,0], end=[0,0,0], strides=[1,1,-1], begin_mask=7, end_mask=7, new_axis_mask=2} : f32[?,1,?,?]
                  %f = exp %e : f32[?,1,?,?]
                  %g = strided_slice %x {begin=[-1,0], end=[0,0], strides=[1,3], end_mask=2, shrink_axis_mask=1, ellipsis_mask=0} : f32[?,?]
                  %h = reduce_max %g {axis=[1]} : f32[?]
                  return %b, %d, %f, %h
                }
                """;
        for (int[] s : new int[][] {{3, 4, 5}, {2, 1, 3}, {1, 5, 1}, {4, 0, 2}, {2, 3, 0}}) {
            Buffer x = data(Shape.of(s), s[0] * 10 + s[1]);
            Planned p = plan(ir, x);
            assertEquals(List.of("strided_slice", "strided_slice", "strided_slice", "strided_slice"),
                    p.views().stream().filter(v -> v.equals("strided_slice")).toList(), java.util.Arrays.toString(s));
            Oracle.assertSame(ir, x);
        }
    }

    @Test
    void concatOfSlicesInsideAWhileLoop() {
        // Each iteration rotates the halves of %y: the concat of two slice views, read by one kernel.
        String ir = """
                func @rot(%x: f32[6], %n: i32[]) -> f32[6] {
                  %zero = constant {value=dense<i32[]: 0>} : i32[]
                  %one = constant {value=dense<i32[]: 1>} : i32[]
                  %h = constant {value=dense<f32[]: 0.5>} : f32[]
                  %i, %w = while %zero, %x : i32[], f32[6] {
                  ^(%k: i32[], %v: f32[6]):
                    %more = less %k, %n : bool[]
                    yield %more
                  } {
                  ^(%j: i32[], %y: f32[6]):
                    %j1 = add %j, %one : i32[]
                    %lo = slice %y {begin=[0], size=[2]} : f32[2]
                    %hi = strided_slice %y {begin=[-1], end=[1], strides=[-1]} : f32[4]
                    %c = concat %hi, %lo {axis=0} : f32[6]
                    %s = sub %c, %h : f32[6]
                    yield %j1, %s
                  }
                  return %w
                }
                """;
        Graph g = Oracle.parse(ir);
        FusionPlan plan = FusionPlan.of(g, ConcreteTypes.infer(g, List.of(Shape.of(6), Shape.SCALAR)));
        List<String> pieced = new ArrayList<>(), views = new ArrayList<>();
        for (Node n : g.body().nodes().getLast().regions().get(1).nodes()) {
            if (plan.isPieced(n.output())) pieced.add(n.op().name());
            if (plan.isView(n.output())) views.add(n.op().name());
        }
        assertEquals(List.of("concat"), pieced);
        assertEquals(List.of("slice", "strided_slice"), views);
        Oracle.assertSame(ir, data(Shape.of(6), 3), Buffer.ofInts(Shape.of(), 5));
    }

    @Test
    void largeConcatSplitsBetweenTheCores() {
        String ir = """
                func @big(%a: f32[600,700], %b: f32[600,300]) -> f32[600,1000] {
                  %j = concat %a, %b {axis=1} : f32[600,1000]
                  %r = tanh %j : f32[600,1000]
                  return %r
                }
                """;
        Buffer a = data(Shape.of(600, 700), 1), b = data(Shape.of(600, 300), 2);
        assertEquals(List.of("concat"), plan(ir, a, b).pieced());
        Oracle.assertWithinUlps(ir, 2, a, b);
    }
}
