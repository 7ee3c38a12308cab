package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ops.ArrayOps;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * gather, gather_nd, scatter_nd, tensor_scatter_nd_update and one_hot with run-time indices
 * match the interpreter bit for bit, and a bad index raises the interpreter's exact error.
 */
class GatherScatterTest {
    private static Buffer ids(DType t, Shape s, long... v) {
        Buffer b = Buffer.allocate(t, s);
        for (int i = 0; i < v.length; i++) b.setLong(i, v[i]);
        return b;
    }

    @Test
    void gatherAlongAnyAxisWithBatchDimsAndBothIndexDTypes() {
        for (DType t : SliceOpsTest.DTYPES) {
            Buffer p = TestData.mixed(t, Shape.of(4, 3, 2), 1);
            for (DType it : new DType[] {DType.INT32, DType.INT64}) {
                Oracle.assertOp(ArrayOps.GATHER, Attrs.of("axis", 0), p, ids(it, Shape.of(2, 3), 3, 0, 1, 1, 2, 3));
                Oracle.assertOp(ArrayOps.GATHER, Attrs.of("axis", -1), p, ids(it, Shape.of(5), 1, 0, 0, 1, 1));
                Oracle.assertOp(ArrayOps.GATHER, Attrs.of("axis", 1), p, ids(it, Shape.of(), 2));
                Oracle.assertOp(ArrayOps.GATHER, Attrs.of("axis", 1, "batch_dims", 1), p, ids(it, Shape.of(4, 2), 0, 2, 1, 1, 2, 0, 0, 0));
            }
        }
        Oracle.assertOp(ArrayOps.GATHER, Attrs.of("axis", 0), TestData.mixed(DType.FLOAT32, Shape.of(3, 0), 1), ids(DType.INT32, Shape.of(2), 2, 0));
        Oracle.assertOp(ArrayOps.GATHER, Attrs.of("axis", 0), TestData.mixed(DType.FLOAT32, Shape.of(3, 2), 1), ids(DType.INT32, Shape.of(0, 4)));
    }

    @Test
    void gatherOutOfRangeIsTheInterpretersErrorNamingTheFirstBadIndex() {
        Buffer p = TestData.mixed(DType.FLOAT32, Shape.of(5, 2), 1);
        Oracle.assertOp(ArrayOps.GATHER, Attrs.of("axis", 0), p, ids(DType.INT32, Shape.of(2, 3), 0, 1, 2, 5, -1, 7));
        Oracle.assertOp(ArrayOps.GATHER, Attrs.of("axis", 0), p, ids(DType.INT64, Shape.of(3), 4, -3, 9));
        Oracle.assertOp(ArrayOps.GATHER, Attrs.of("axis", 1), p, ids(DType.INT64, Shape.of(), 2));
        Oracle.assertOp(ArrayOps.GATHER, Attrs.of("axis", 0), TestData.mixed(DType.FLOAT32, Shape.of(0, 2), 1), ids(DType.INT32, Shape.of(1), 0));
        InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> Oracle.compiled("""
                func @g(%p: f32[?,?], %i: i32[?,?]) -> f32[?,?,?] {
                  %0 = gather %p, %i {axis=0} : f32[?,?,?]
                  return %0
                }
                """, p, ids(DType.INT32, Shape.of(2, 2), 1, 4, 6, 0)));
        assertTrue(e.getMessage().contains("indices[1,0] = 6 is not in [0, 5)"), e.getMessage());
        assertTrue(e.getMessage().contains("gather"), e.getMessage());
    }

    @Test
    void aBadIndexInsideALoopStopsItWithTheErrorOfThatIteration() {
        String ir = """
                func @loop(%p: f32[?], %n: i32[]) -> f32[] {
                  %0 = constant {value=dense<i32[]: 0>} : i32[]
                  %1 = constant {value=dense<i32[]: 1>} : i32[]
                  %z = constant {value=dense<f32[]: 0.0>} : f32[]
                  %2, %3 = while %0, %z : i32[], f32[] {
                  ^(%i: i32[], %s: f32[]):
                    %4 = less %i, %n : bool[]
                    yield %4
                  } {
                  ^(%i2: i32[], %s2: f32[]):
                    %5 = gather %p, %i2 {axis=0} : f32[]
                    %6 = add %s2, %5 : f32[]
                    %7 = add %i2, %1 : i32[]
                    yield %7, %6
                  }
                  return %3
                }
                """;
        Buffer p = TestData.uniform(DType.FLOAT32, Shape.of(3), 1, 4, false);
        Oracle.assertSameOrSameError(ir, 0, p, Buffer.scalarLong(DType.INT32, 3));
        Oracle.assertSameOrSameError(ir, 0, p, Buffer.scalarLong(DType.INT32, 5));
        InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> Oracle.compiled(ir, p, Buffer.scalarLong(DType.INT32, 5)));
        assertTrue(e.getMessage().contains("indices[] = 3 is not in [0, 3)"), e.getMessage());
    }

    @Test
    void gatherNdSlicesAndItsErrors() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT16, DType.INT8, DType.INT64, DType.BOOL}) {
            Buffer p = TestData.mixed(t, Shape.of(3, 4, 2), 2);
            Oracle.assertOp(ArrayOps.GATHER_ND, Attrs.EMPTY, p, ids(DType.INT32, Shape.of(2, 2), 2, 3, 0, 1));
            Oracle.assertOp(ArrayOps.GATHER_ND, Attrs.EMPTY, p, ids(DType.INT64, Shape.of(2, 1, 3), 2, 3, 1, 0, 0, 0));
            Oracle.assertOp(ArrayOps.GATHER_ND, Attrs.EMPTY, p, ids(DType.INT64, Shape.of(1), 1));
            Oracle.assertOp(ArrayOps.GATHER_ND, Attrs.EMPTY, p, ids(DType.INT64, Shape.of(2, 0)));
        }
        Buffer p = TestData.mixed(DType.FLOAT32, Shape.of(3, 4), 2);
        Oracle.assertOp(ArrayOps.GATHER_ND, Attrs.EMPTY, p, ids(DType.INT32, Shape.of(3, 2), 0, 0, 2, 4, -1, 0));
        InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> Oracle.compiled("""
                func @g(%p: f32[?,?], %i: i32[?,2]) -> f32[?] {
                  %0 = gather_nd %p, %i : f32[?]
                  return %0
                }
                """, p, ids(DType.INT32, Shape.of(2, 2), 1, 1, 3, 7)));
        assertTrue(e.getMessage().contains("indices[1] = [3, 7] does not index into param shape [3,4]"), e.getMessage());
    }

    @Test
    void scatterNdSumsDuplicatesInTheInterpretersOrder() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16, DType.INT8, DType.UINT8, DType.INT16,
                DType.INT32, DType.INT64}) {
            Buffer idx = ids(DType.INT32, Shape.of(6, 1), 2, 0, 2, 2, 4, 0);
            Oracle.assertOp(ArrayOps.SCATTER_ND, Attrs.of("shape", new long[] {5, 3}), idx, TestData.mixed(t, Shape.of(6, 3), 3));
            Oracle.assertOp(ArrayOps.SCATTER_ND, Attrs.of("shape", new long[] {5, 3}), ids(DType.INT64, Shape.of(4, 2), 1, 2, 1, 2, 0, 0, 4, 1),
                    TestData.mixed(t, Shape.of(4), 4));
        }
        Oracle.assertOp(ArrayOps.SCATTER_ND, Attrs.of("shape", new long[] {3}), ids(DType.INT32, Shape.of(0, 1)), TestData.mixed(DType.FLOAT32, Shape.of(0), 1));
        Oracle.assertOp(ArrayOps.SCATTER_ND, Attrs.of("shape", new long[] {3, 2}), ids(DType.INT32, Shape.of(2, 1), 1, 3),
                TestData.mixed(DType.FLOAT32, Shape.of(2, 2), 1));
    }

    @Test
    void tensorScatterNdUpdateOverwritesAndTheLastDuplicateWins() {
        for (DType t : SliceOpsTest.DTYPES) {
            Oracle.assertOp(ArrayOps.TENSOR_SCATTER_ND_UPDATE, Attrs.EMPTY, TestData.mixed(t, Shape.of(4, 3), 1),
                    ids(DType.INT64, Shape.of(3, 1), 3, 1, 3), TestData.mixed(t, Shape.of(3, 3), 2));
        }
        Oracle.assertOp(ArrayOps.TENSOR_SCATTER_ND_UPDATE, Attrs.EMPTY, TestData.mixed(DType.INT32, Shape.of(4), 1),
                ids(DType.INT64, Shape.of(2, 1), 3, -2), TestData.mixed(DType.INT32, Shape.of(2), 2));
    }

    @Test
    void oneHotAlongAnyAxisWithOutOfRangeRowsOff() {
        for (DType t : new DType[] {DType.FLOAT32, DType.BFLOAT16, DType.INT32, DType.BOOL}) {
            Buffer on = TestData.mixed(t, Shape.of(), 3), off = TestData.mixed(t, Shape.of(), 4);
            for (DType it : new DType[] {DType.UINT8, DType.INT32, DType.INT64}) {
                Buffer idx = ids(it, Shape.of(2, 3), 0, 3, 2, 1, it == DType.UINT8 ? 200 : -1, 4);
                for (long axis : new long[] {-1, 0, 1, 2}) {
                    Oracle.assertOp(ArrayOps.ONE_HOT, Attrs.of("depth", 4, "axis", axis), idx, on, off);
                }
            }
        }
        Oracle.assertOp(ArrayOps.ONE_HOT, Attrs.of("depth", 0), ids(DType.INT32, Shape.of(2), 0, 1), Buffer.scalar(DType.FLOAT32, 1),
                Buffer.scalar(DType.FLOAT32, 0));
        List<Buffer> out = Oracle.compiled("""
                func @h(%i: i64[?]) -> f32[?,3] {
                  %on = constant {value=dense<f32[]: 1.0>} : f32[]
                  %off = constant {value=dense<f32[]: 0.0>} : f32[]
                  %0 = one_hot %i, %on, %off {depth=3} : f32[?,3]
                  return %0
                }
                """, ids(DType.INT64, Shape.of(2), 2, 0));
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0}, out.get(0).toFloatArray());
    }
}
