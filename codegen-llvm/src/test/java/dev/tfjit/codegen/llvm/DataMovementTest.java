package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TfException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** reshape, expand_dims, squeeze, identity, stop_gradient, transpose and broadcast_to match the interpreter bit for bit. */
class DataMovementTest {
    private static final DType[] DTYPES = {DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16, DType.INT8,
            DType.UINT8, DType.INT16, DType.INT32, DType.INT64, DType.BOOL};

    private static String typed(String ir, DType t) { return ir.replace("T[", t.shortName() + "["); }

    @Test
    void reshapesKeepEveryDTypeBitForBitIncludingSubnormalsAndNaN() {
        String ir = """
                func @r(%x: T[?,?]) -> (T[?], T[3,?,2], T[?,?,1], T[?]) {
                  %0 = reshape %x {shape=[-1]} : T[?]
                  %1 = expand_dims %x {axis=-1} : T[?,?,1]
                  %2 = squeeze %1 {axis=[2]} : T[?,?]
                  %3 = reshape %2 {shape=[3,-1,2]} : T[3,?,2]
                  %4 = identity %0 : T[?]
                  %5 = stop_gradient %4 : T[?]
                  return %5, %3, %1, %0
                }
                """;
        for (DType t : DTYPES) {
            Oracle.assertSame(typed(ir, t), TestData.mixed(t, Shape.of(4, 6), 11));
        }
    }

    @Test
    void reshapeValuesAreTheRowMajorOrder() {
        String ir = """
                func @r(%x: i32[?]) -> i32[2,3] {
                  %0 = reshape %x {shape=[2,3]} : i32[2,3]
                  %1 = add %0, %0 : i32[2,3]
                  return %1
                }
                """;
        Buffer out = Oracle.compiled(ir, Buffer.ofInts(Shape.of(6), 1, 2, 3, 4, 5, 6)).get(0);
        assertEquals(Shape.of(2, 3), out.shape());
        assertArrayEquals(new int[]{2, 4, 6, 8, 10, 12}, out.toIntArray());
    }

    @Test
    void reshapeByAConstantShapeTensorIsStatic() {
        String ir = """
                func @r(%x: f32[?,?]) -> f32[?,?] {
                  %s = constant {value=dense<i64[2]: -1, 2>} : i64[2]
                  %0 = reshape %x, %s : f32[?,?]
                  %1 = mul %0, %0 : f32[?,?]
                  return %1
                }
                """;
        Oracle.assertSame(ir, TestData.mixed(DType.FLOAT32, Shape.of(3, 4), 2));
        assertEquals(Shape.of(6, 2), Oracle.compiled(ir, TestData.mixed(DType.FLOAT32, Shape.of(3, 4), 2)).get(0).shape());
    }

    @Test
    void rankZeroAndEmptyTensorsReshape() {
        String ir = """
                func @r(%x: f32[], %e: f32[?,?]) -> (f32[1,1], f32[], f32[?], f32[1,?,?]) {
                  %0 = reshape %x {shape=[1,1]} : f32[1,1]
                  %1 = reshape %0 {shape=[]} : f32[]
                  %2 = reshape %e {shape=[-1]} : f32[?]
                  %3 = transpose %e {perm=[1,0]} : f32[?,?]
                  %4 = expand_dims %3 {axis=0} : f32[1,?,?]
                  return %0, %1, %2, %4
                }
                """;
        Oracle.assertSame(ir, Buffer.scalar(DType.FLOAT32, 2.5), TestData.mixed(DType.FLOAT32, Shape.of(0, 3), 1));
    }

    @Test
    void aReshapedConstantAndAReshapedArgumentReturnedTwiceAreCopiesWhereTheyMustBe() {
        String ir = """
                func @r(%x: i64[?]) -> (i64[?], i64[?,1], i64[2,2], i64[]) {
                  %c = constant {value=dense<i64[4]: 1, 2, 3, 4>} : i64[4]
                  %k = constant {value=dense<i64[]: 9>} : i64[]
                  %0 = identity %x : i64[?]
                  %1 = expand_dims %x {axis=1} : i64[?,1]
                  %2 = reshape %c {shape=[2,2]} : i64[2,2]
                  %3 = squeeze %k : i64[]
                  return %0, %1, %2, %3
                }
                """;
        List<Buffer> out = Oracle.compiled(ir, Buffer.ofLongs(Shape.of(3), 7, 8, 9));
        assertArrayEquals(new long[]{7, 8, 9}, out.get(0).toLongArray());
        assertArrayEquals(new long[]{7, 8, 9}, out.get(1).toLongArray());
        assertEquals(Shape.of(3, 1), out.get(1).shape());
        assertArrayEquals(new long[]{1, 2, 3, 4}, out.get(2).toLongArray());
        assertEquals(9, out.get(3).getLong(0));
    }

    @Test
    void transposeMovesElementsByThePermutation() {
        String ir = """
                func @t(%x: i32[?,?]) -> (i32[?,?], i32[?,?]) {
                  %0 = transpose %x : i32[?,?]
                  %1 = transpose %x {perm=[1,0]} : i32[?,?]
                  return %0, %1
                }
                """;
        List<Buffer> out = Oracle.compiled(ir, Buffer.ofInts(Shape.of(2, 3), 1, 2, 3, 4, 5, 6));
        for (Buffer b : out) {
            assertEquals(Shape.of(3, 2), b.shape());
            assertArrayEquals(new int[]{1, 4, 2, 5, 3, 6}, b.toIntArray());
        }
    }

    @Test
    void transposeOfEveryDTypeAndRankMatches() {
        String ir = """
                func @t(%x: T[?,?,?,?]) -> (T[?,?,?,?], T[?,?,?,?]) {
                  %0 = transpose %x {perm=[2,0,3,1]} : T[?,?,?,?]
                  %1 = transpose %x {perm=[0,1,3,2]} : T[?,?,?,?]
                  return %0, %1
                }
                """;
        for (DType t : DTYPES) {
            Oracle.assertSame(typed(ir, t), TestData.mixed(t, Shape.of(2, 3, 4, 5), 3));
            Oracle.assertSame(typed(ir, t), TestData.mixed(t, Shape.of(1, 7, 1, 2), 4));
            Oracle.assertSame(typed(ir, t), TestData.mixed(t, Shape.of(2, 0, 3, 1), 5));
        }
        Oracle.assertSame("""
                func @t0(%x: f64[]) -> f64[] {
                  %0 = transpose %x : f64[]
                  return %0
                }
                """, Buffer.scalar(DType.FLOAT64, -0.0));
    }

    @Test
    void transposeFeedsAFusedElementwiseConsumer() {
        String ir = """
                func @t(%x: f32[?,?], %y: f32[?,?]) -> f32[?,?] {
                  %0 = transpose %x : f32[?,?]
                  %1 = exp %y : f32[?,?]
                  %2 = add %0, %1 : f32[?,?]
                  return %2
                }
                """;
        Oracle.assertSame(ir, TestData.mixed(DType.FLOAT32, Shape.of(5, 3), 1), TestData.mixed(DType.FLOAT32, Shape.of(3, 5), 2));
    }

    @Test
    void broadcastToRepeatsAlongNewAndUnitDims() {
        String ir = """
                func @b(%x: i32[?,1]) -> i32[2,2,3] {
                  %0 = broadcast_to %x {shape=[2,2,3]} : i32[2,2,3]
                  return %0
                }
                """;
        Buffer out = Oracle.compiled(ir, Buffer.ofInts(Shape.of(2, 1), 1, 2)).get(0);
        assertArrayEquals(new int[]{1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2}, out.toIntArray());
        for (DType t : DTYPES) {
            String all = typed("""
                    func @b(%x: T[?,?], %s: T[]) -> (T[4,1,5], T[2,3], T[0,3]) {
                      %0 = broadcast_to %x {shape=[4,1,5]} : T[4,1,5]
                      %1 = broadcast_to %s {shape=[2,3]} : T[2,3]
                      %2 = broadcast_to %s {shape=[0,3]} : T[0,3]
                      return %0, %1, %2
                    }
                    """, t);
            Oracle.assertSame(all, TestData.mixed(t, Shape.of(1, 5), 6), TestData.mixed(t, Shape.of(), 7));
        }
    }

    @Test
    void broadcastToAConstantScalar() {
        String ir = """
                func @b() -> f32[2,2] {
                  %c = constant {value=dense<f32[]: 1.5>} : f32[]
                  %0 = broadcast_to %c {shape=[2,2]} : f32[2,2]
                  return %0
                }
                """;
        assertArrayEquals(new float[]{1.5f, 1.5f, 1.5f, 1.5f}, Oracle.compiled(ir).get(0).toFloatArray());
    }

    @Test
    void badReshapesFailAtCompileTimeWithTheInterpretersError() {
        String ir = """
                func @r(%x: f32[?]) -> f32[2,?] {
                  %0 = reshape %x {shape=[2,-1]} : f32[2,?]
                  return %0
                }
                """;
        TfException e = assertThrows(TfException.class, () -> Oracle.compiled(ir, TestData.mixed(DType.FLOAT32, Shape.of(5), 1)));
        assertTrue(e.getMessage().contains("reshape"), e.getMessage());
        Oracle.assertSame(ir, TestData.mixed(DType.FLOAT32, Shape.of(6), 1));
    }

    @Test
    void aliasesOfLoopVarsSwappedInsideAWhileLoopAreStagedNotClobbered() {
        String ir = """
                func @swap(%a: f32[?], %b: f32[?]) -> (f32[?], f32[?]) {
                  %0 = constant {value=dense<i32[]: 0>} : i32[]
                  %1 = constant {value=dense<i32[]: 1>} : i32[]
                  %n = constant {value=dense<i32[]: 3>} : i32[]
                  %3, %4, %5 = while %0, %a, %b : i32[], f32[?], f32[?] {
                  ^(%i: i32[], %x: f32[?], %y: f32[?]):
                    %6 = less %i, %n : bool[]
                    yield %6
                  } {
                  ^(%i2: i32[], %x2: f32[?], %y2: f32[?]):
                    %7 = add %i2, %1 : i32[]
                    %8 = identity %y2 : f32[?]
                    %9 = reshape %x2 {shape=[-1]} : f32[?]
                    yield %7, %8, %9
                  }
                  return %4, %5
                }
                """;
        List<Buffer> out = Oracle.compiled(ir, Buffer.ofFloats(Shape.of(2), 1, 2), Buffer.ofFloats(Shape.of(2), 3, 4));
        assertArrayEquals(new float[]{3, 4}, out.get(0).toFloatArray()); // swapped three times
        assertArrayEquals(new float[]{1, 2}, out.get(1).toFloatArray());
    }
}
