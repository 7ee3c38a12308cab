package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Row fusion: reductions over the trailing dims whose per-row results are broadcast back along
 * the row (softmax, layer normalization) run as one loop over rows. Every case is compared with
 * the interpreter bit for bit, with odd sizes, special values and sizes that split across threads;
 * the plan's groups are checked too, so a silent loss of fusion fails here.
 */
class RowFusionTest {
    static final String SOFTMAX = """
            func @softmax(%x: f32[?,?]) -> f32[?,?] {
              %0 = reduce_max %x {axis=[-1], keepdims=true} : f32[?,1]
              %1 = sub %x, %0 : f32[?,?]
              %2 = exp %1 : f32[?,?]
              %3 = reduce_sum %2 {axis=[-1], keepdims=true} : f32[?,1]
              %4 = div %2, %3 : f32[?,?]
              return %4
            }
            """;

    static final String LAYER_NORM = """
            func @layer_norm(%x: f32[?,?], %gamma: f32[?], %beta: f32[?]) -> f32[?,?] {
              %eps = constant {value=dense<f32[]: 0.001>} : f32[]
              %0 = reduce_mean %x {axis=[-1], keepdims=true} : f32[?,1]
              %1 = sub %x, %0 : f32[?,?]
              %2 = square %1 : f32[?,?]
              %3 = reduce_mean %2 {axis=[-1], keepdims=true} : f32[?,1]
              %4 = add %3, %eps : f32[?,1]
              %5 = rsqrt %4 : f32[?,1]
              %6 = mul %1, %5 : f32[?,?]
              %7 = mul %6, %gamma : f32[?,?]
              %8 = add %7, %beta : f32[?,?]
              return %8
            }
            """;

    private static Buffer f32(Shape s, long seed) { return TestData.uniform(DType.FLOAT32, s, seed, 10, false); }

    /** The row groups the plan forms for {@code ir} at {@code shapes}, each as its members' op names. */
    private static List<List<String>> groups(String ir, Shape... shapes) {
        Graph g = Oracle.parse(ir);
        ConcreteTypes types = ConcreteTypes.infer(g, List.of(shapes));
        return FusionPlan.of(g, types).rowGroups().stream()
                .map(r -> r.members().stream().map(Node::op).map(op -> op.name()).toList()).toList();
    }

    @Test
    void softmaxIsOneRowGroupAndMatchesTheInterpreter() {
        assertEquals(List.of(List.of("reduce_max", "sub", "exp", "reduce_sum", "div")), groups(SOFTMAX, Shape.of(4, 8)));
        for (Shape s : new Shape[] {Shape.of(37, 301), Shape.of(5, 2), Shape.of(1, 1000), Shape.of(3, 17), Shape.of(2, 4099)}) {
            Oracle.assertSame(SOFTMAX, f32(s, s.dim(1)));
            Oracle.assertSame(SOFTMAX, TestData.mixed(DType.FLOAT32, s, 2)); // NaN, infinities, subnormals, signed zeros
        }
    }

    @Test
    void layerNormalizationReadsGammaAndBetaAsColumns() {
        assertEquals(1, groups(LAYER_NORM, Shape.of(4, 8), Shape.of(8), Shape.of(8)).size());
        for (Shape s : new Shape[] {Shape.of(9, 33), Shape.of(2, 2), Shape.of(64, 1024)}) {
            Oracle.assertSame(LAYER_NORM, f32(s, 1), f32(Shape.of(s.dim(1)), 2), f32(Shape.of(s.dim(1)), 3));
        }
    }

    @Test
    void largeRowGroupsSplitAcrossThreadsWithOddRowCounts() {
        Oracle.assertSame(SOFTMAX, f32(Shape.of(513, 1031), 7));
        Oracle.assertSame(LAYER_NORM, f32(Shape.of(1001, 777), 8), f32(Shape.of(777), 9), f32(Shape.of(777), 10));
    }

    @Test
    void intermediatesUsedOutsideTheGroupAreStoredWhole() {
        String ir = """
                func @both(%x: f32[?,?]) -> (f32[?,?], f32[?,1], f32[?,?]) {
                  %0 = reduce_max %x {axis=[-1], keepdims=true} : f32[?,1]
                  %1 = sub %x, %0 : f32[?,?]
                  %2 = exp %1 : f32[?,?]
                  %3 = reduce_sum %2 {axis=[-1], keepdims=true} : f32[?,1]
                  %4 = div %2, %3 : f32[?,?]
                  %5 = neg %2 : f32[?,?]
                  return %4, %3, %5
                }
                """;
        assertEquals(1, groups(ir, Shape.of(3, 5)).size());
        Oracle.assertSame(ir, f32(Shape.of(33, 65), 1));
        Oracle.assertSame(ir, f32(Shape.of(600, 1000), 2));
    }

    @Test
    void severalTrailingDimsFloat64AndMinFormGroupsToo() {
        String ir = """
                func @rows3(%x: f64[?,?,?], %s: f64[]) -> f64[?,?,?] {
                  %0 = reduce_min %x {axis=[1, 2], keepdims=true} : f64[?,1,1]
                  %1 = sub %x, %0 : f64[?,?,?]
                  %2 = mul %1, %s : f64[?,?,?]
                  %3 = reduce_mean %2 {axis=[-2, -1], keepdims=true} : f64[?,1,1]
                  %4 = sub %2, %3 : f64[?,?,?]
                  return %4
                }
                """;
        assertEquals(1, groups(ir, Shape.of(2, 3, 4), Shape.SCALAR).size());
        Buffer s = Buffer.ofDoubles(Shape.SCALAR, 1.5);
        Oracle.assertSame(ir, TestData.uniform(DType.FLOAT64, Shape.of(7, 5, 9), 3, 100, false), s);
        Oracle.assertSame(ir, TestData.mixed(DType.FLOAT64, Shape.of(4, 3, 11), 4), s);
    }

    /**
     * A row sum of a member's output is taken while the member computes the row, piece by
     * {@code Reduce.LEAF}-sized piece: whole pieces, a last piece in lanes with a partial group
     * (300), a last piece of at most 16 elements added in sequence (260, 4100 with 4096 + 4),
     * rows too long to fold (4352), float32 and float64, sums and means, special values.
     */
    @Test
    void rowSumsTakenWhileTheRowIsComputedAddInTheInterpretersOrder() {
        String ir = """
                func @fold(%x: T[?,?]) -> (T[?,?], T[?,1]) {
                  %0 = reduce_mean %x {axis=[-1], keepdims=true} : T[?,1]
                  %1 = sub %x, %0 : T[?,?]
                  %2 = mul %1, %1 : T[?,?]
                  %3 = reduce_sum %2 {axis=[-1], keepdims=true} : T[?,1]
                  %4 = div %2, %3 : T[?,?]
                  return %4, %3
                }
                """;
        for (String t : new String[] {"f32", "f64"}) {
            DType dtype = t.equals("f32") ? DType.FLOAT32 : DType.FLOAT64;
            String typed = ir.replace("T[", t + "[");
            for (int cols : new int[] {20, 256, 260, 300, 1024, 4100, 4352}) {
                Oracle.assertSame(typed, TestData.uniform(dtype, Shape.of(3, cols), cols, 50, false));
                Oracle.assertSame(typed, TestData.mixed(dtype, Shape.of(2, cols), 2));
            }
        }
    }

    @Test
    void aReaderBetweenTheMembersKeepsTheKernelsApart() {
        // %1 is read by the matmul before the first group's last member, which would compute it too
        // late: only the second reduction's group remains, reading the stored %3.
        String ir = """
                func @apart(%x: f32[?,?], %w: f32[?,?]) -> (f32[?,?], f32[?,?]) {
                  %0 = reduce_max %x {axis=[-1], keepdims=true} : f32[?,1]
                  %1 = sub %x, %0 : f32[?,?]
                  %2 = matmul %1, %w : f32[?,?]
                  %3 = exp %1 : f32[?,?]
                  %4 = reduce_sum %3 {axis=[-1], keepdims=true} : f32[?,1]
                  %5 = div %3, %4 : f32[?,?]
                  return %5, %2
                }
                """;
        assertEquals(List.of(List.of("reduce_sum", "div")), groups(ir, Shape.of(6, 8), Shape.of(8, 3)));
        Oracle.assertSame(ir, f32(Shape.of(6, 8), 1), f32(Shape.of(8, 3), 2));
    }

    @Test
    void patternsThatDoNotFlattenToRowsAreNotGrouped() {
        String noKeepdims = """
                func @nokeep(%x: f32[?,?]) -> f32[?] {
                  %0 = reduce_sum %x {axis=[-1]} : f32[?]
                  %1 = exp %0 : f32[?]
                  return %1
                }
                """;
        assertTrue(groups(noKeepdims, Shape.of(4, 8)).isEmpty());
        String leadingAxis = """
                func @lead(%x: f32[?,?]) -> f32[?,?] {
                  %0 = reduce_max %x {axis=[0], keepdims=true} : f32[1,?]
                  %1 = sub %x, %0 : f32[?,?]
                  return %1
                }
                """;
        assertTrue(groups(leadingAxis, Shape.of(4, 8)).isEmpty());
        Oracle.assertSame(leadingAxis, f32(Shape.of(40, 80), 1));
        String oddBroadcast = """
                func @odd(%x: f32[?,?,?], %y: f32[?,1,?]) -> f32[?,?,?] {
                  %0 = reduce_sum %x {axis=[-1], keepdims=true} : f32[?,?,1]
                  %1 = sub %x, %0 : f32[?,?,?]
                  %2 = mul %1, %y : f32[?,?,?]
                  return %2
                }
                """;
        // %y repeats along the middle dim: it reads neither per row nor per column, so %2 stays out.
        assertEquals(List.of(List.of("reduce_sum", "sub")), groups(oddBroadcast, Shape.of(2, 3, 4), Shape.of(2, 1, 4)));
        Oracle.assertSame(oddBroadcast, f32(Shape.of(5, 6, 7), 1), f32(Shape.of(5, 1, 7), 2));
    }

    @Test
    void rowGroupsInsideAWhileLoop() {
        String ir = """
                func @loop(%x: f32[?,?], %n: i32[]) -> f32[?,?] {
                  %0 = constant {value=dense<i32[]: 0>} : i32[]
                  %1 = constant {value=dense<i32[]: 1>} : i32[]
                  %2, %3 = while %0, %x : i32[], f32[?,?] {
                  ^(%i: i32[], %y: f32[?,?]):
                    %4 = less %i, %n : bool[]
                    yield %4
                  } {
                  ^(%i2: i32[], %y2: f32[?,?]):
                    %5 = add %i2, %1 : i32[]
                    %m = reduce_max %y2 {axis=[-1], keepdims=true} : f32[?,1]
                    %s = sub %y2, %m : f32[?,?]
                    %e = exp %s : f32[?,?]
                    %z = reduce_sum %e {axis=[-1], keepdims=true} : f32[?,1]
                    %p = div %e, %z : f32[?,?]
                    yield %5, %p
                  }
                  return %3
                }
                """;
        Oracle.assertSame(ir, f32(Shape.of(7, 19), 1), Buffer.ofInts(Shape.SCALAR, 3));
    }
}
