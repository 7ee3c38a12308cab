package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** tensor_array_write/read lower to native code, inside while loops too, and match the interpreter bit for bit. */
class TensorArrayTest {
    /** for i in range(n): ta = ta.write(i, i*i); return ta.stack(), ta.read(2) */
    private static final String SQUARES = """
            func @squares(%n: i32[]) -> (i32[5], i32[]) {
              %z = constant {value=dense<i32[5]: 0, 0, 0, 0, 0>} : i32[5]
              %zero = constant {value=dense<i32[]: 0>} : i32[]
              %one = constant {value=dense<i32[]: 1>} : i32[]
              %two = constant {value=dense<i32[]: 2>} : i32[]
              %cnt, %st = while %zero, %z : i32[], i32[5] {
              ^(%i: i32[], %ta: i32[5]):
                %c = less %i, %n : bool[]
                yield %c
              } {
              ^(%j: i32[], %tb: i32[5]):
                %sq = mul %j, %j : i32[]
                %w = tensor_array_write %tb, %j, %sq : i32[5] loc(Squares.java:7)
                %k = add %j, %one : i32[]
                yield %k, %w
              }
              %r = tensor_array_read %st, %two : i32[]
              return %st, %r
            }
            """;

    private static Buffer i32(int v) { return Buffer.ofInts(Shape.SCALAR, v); }

    @Test
    void aWhileLoopWritesSquaresAndStacksThem() {
        var out = Oracle.compiled(SQUARES, i32(5));
        assertArrayEquals(new int[]{0, 1, 4, 9, 16}, out.get(0).toIntArray());
        assertEquals(4, out.get(1).getLong(0));
        Oracle.assertSame(SQUARES, i32(5));
        Oracle.assertSame(SQUARES, i32(3)); // elements never written stay zero
        Oracle.assertSame(SQUARES, i32(0));
    }

    @Test
    void writingPastTheFixedSizeStopsTheLoopWithTheBoundsError() {
        InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> Oracle.compiled(SQUARES, i32(6)));
        assertTrue(e.getMessage().contains("but array is not resizeable and size is: 5"), e.getMessage());
        assertTrue(e.getMessage().contains("tensor_array_write"), e.getMessage());
        assertTrue(e.getMessage().contains("Squares.java:7"), e.getMessage());
    }

    @Test
    void readsRowsOfMatrixElementsAtARuntimeIndexInEveryDType() {
        for (DType t : new DType[]{DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.INT8, DType.INT64, DType.BOOL}) {
            String ir = """
                    func @rd(%ta: T[4,2,3], %i: i64[], %v: T[2,3]) -> (T[2,3], T[4,2,3]) {
                      %0 = tensor_array_read %ta, %i : T[2,3]
                      %1 = tensor_array_write %ta, %i, %v : T[4,2,3]
                      return %0, %1
                    }
                    """.replace("T[", t.shortName() + "[");
            for (long i = 0; i < 4; i++) {
                Oracle.assertSame(ir, TestData.mixed(t, Shape.of(4, 2, 3), 5), Buffer.ofLongs(Shape.SCALAR, i), TestData.mixed(t, Shape.of(2, 3), 9));
            }
        }
    }

    @Test
    void readingANegativeOrTooLargeIndexIsAnError() {
        String ir = """
                func @rd(%ta: f32[3], %i: i32[]) -> f32[] {
                  %0 = tensor_array_read %ta, %i : f32[]
                  return %0
                }
                """;
        Buffer ta = Buffer.ofFloats(Shape.of(3), 1f, 2f, 3f);
        assertEquals(3.0, Oracle.compiled(ir, ta, i32(2)).get(0).getDouble(0));
        for (int bad : new int[]{-1, 3, 100}) {
            InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> Oracle.compiled(ir, ta, i32(bad)));
            assertTrue(e.getMessage().contains("Tried to read from index " + bad + " but array size is: 3"), e.getMessage());
            Oracle.assertSameOrSameError(ir, 0, ta, i32(bad)); // the run-time index is part of the interpreter's message
        }
        String write = """
                func @wr(%ta: f32[3], %i: i64[], %v: f32[]) -> f32[3] {
                  %0 = tensor_array_write %ta, %i, %v : f32[3]
                  return %0
                }
                """;
        for (long bad : new long[]{-4, 3}) Oracle.assertSameOrSameError(write, 0, ta, Buffer.ofLongs(Shape.SCALAR, bad), Buffer.scalar(DType.FLOAT32, 1));
    }

    @Test
    void aConstantIndexOutOfRangeReportsTheInterpretersExactMessage() {
        String ir = """
                func @rd(%ta: f32[3]) -> f32[] {
                  %i = constant {value=dense<i32[]: 7>} : i32[]
                  %0 = tensor_array_read %ta, %i : f32[]
                  return %0
                }
                """;
        InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> Oracle.compiled(ir, Buffer.ofFloats(Shape.of(3), 1f, 2f, 3f)));
        assertTrue(e.getMessage().contains("Tried to read from index 7 but array size is: 3"), e.getMessage());
    }

    @Test
    void aDynamicallySizedWriteAtAConstantIndexGrowsToAStaticSize() {
        String ir = """
                func @grow(%ta: f32[?], %v: f32[]) -> f32[?] {
                  %i = constant {value=dense<i32[]: 3>} : i32[]
                  %0 = tensor_array_write %ta, %i, %v {dynamic_size=true} : f32[?]
                  return %0
                }
                """;
        assertArrayEquals(new float[] {1, 0, 0, 5}, Oracle.compiled(ir, Buffer.ofFloats(Shape.of(1), 1f), Buffer.scalar(DType.FLOAT32, 5)).get(0).toFloatArray());
        Oracle.assertSame(ir, Buffer.ofFloats(Shape.of(5), 1, 2, 3, 4, 5), Buffer.scalar(DType.FLOAT32, 5));
        Oracle.assertSame(ir, Buffer.ofFloats(Shape.of(0)), Buffer.scalar(DType.FLOAT32, 5));
    }
}
