package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.GraphBuilder;
import dev.tfjit.ir.SourceLocation;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.ReductionOps;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.ir.ops.ArrayOps;
import dev.tfjit.ir.ops.CreationOps;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * shape, size, rank, fill, eye, range, linspace, and the shapes that follow from them at
 * compile time (reshape to a computed shape, sum_to_shape), against the interpreter.
 */
class CreationOpsTest {
    @Test
    void shapeQueriesAreTheConcreteShape() {
        for (Shape s : new Shape[] {Shape.of(3, 0, 2), Shape.of(), Shape.of(7)}) {
            Buffer x = TestData.mixed(DType.FLOAT32, s, 1);
            Oracle.assertOp(ArrayOps.SHAPE, Attrs.EMPTY, x);
            Oracle.assertOp(ArrayOps.SHAPE, Attrs.of("out_type", DType.INT64), x);
            Oracle.assertOp(ArrayOps.SIZE, Attrs.EMPTY, x);
            Oracle.assertOp(ArrayOps.RANK, Attrs.EMPTY, x);
        }
    }

    @Test
    void fillRepeatsAStoredOrLiteralScalar() {
        for (DType t : SliceOpsTest.DTYPES) {
            Oracle.assertOp(CreationOps.FILL, Attrs.of("shape", new long[] {2, 3}), TestData.mixed(t, Shape.of(), 5));
            Oracle.assertOp(CreationOps.FILL, Attrs.of("shape", new long[] {0, 3}), TestData.mixed(t, Shape.of(), 5));
            Oracle.assertOp(CreationOps.FILL, Attrs.of("shape", new long[] {}), TestData.mixed(t, Shape.of(), 5));
        }
    }

    @Test
    void eyeOfEveryDTypeAndBatch() {
        for (DType t : SliceOpsTest.DTYPES) {
            Oracle.assertOp(CreationOps.EYE, Attrs.of("num_rows", 3, "num_columns", 4, "batch_shape", new long[] {2}, "dtype", t));
            Oracle.assertOp(CreationOps.EYE, Attrs.of("num_rows", 2, "dtype", t));
        }
        Oracle.assertOp(CreationOps.EYE, Attrs.of("num_rows", 0, "num_columns", 3, "dtype", DType.FLOAT32));
    }

    @Test
    void rangeOverConstantsAccumulatesAsTheInterpreterDoes() {
        String ir = """
                func @r() -> (T[?]) {
                  %a = constant {value=dense<T[]: A>} : T[]
                  %b = constant {value=dense<T[]: B>} : T[]
                  %d = constant {value=dense<T[]: D>} : T[]
                  %0 = range %a, %b, %d : T[?]
                  return %0
                }
                """;
        String[][] cases = {{"f32", "0.1", "7.3", "0.7"}, {"f64", "1.0", "-2.5", "-0.3"}, {"f16", "0.0", "3.0", "0.1"},
                {"bf16", "2.0", "2.0", "1.0"}, {"i32", "-3", "17", "4"}, {"i64", "10", "0", "-3"}};
        for (String[] c : cases) {
            Oracle.assertSame(ir.replace("T[", c[0] + "[").replace("A>", c[1] + ">").replace("B>", c[2] + ">").replace("D>", c[3] + ">"));
        }
        // With a length known only at run time the shape is dynamic: a clear compile-time error.
        UnimplementedError e = assertThrows(UnimplementedError.class, () -> Oracle.compiled("""
                func @r(%n: i32[]) -> i32[?] {
                  %a = constant {value=dense<i32[]: 0>} : i32[]
                  %d = constant {value=dense<i32[]: 1>} : i32[]
                  %0 = range %a, %n, %d : i32[?]
                  return %0
                }
                """, Buffer.scalarLong(DType.INT32, 4)));
        assertTrue(e.getMessage().contains("range") && e.getMessage().contains("static shapes"), e.getMessage());
        // A zero delta fails as in the interpreter, when the shape is decided.
        Oracle.assertSameOrSameError(ir.replace("T[", "i32[").replace("A>", "0>").replace("B>", "3>").replace("D>", "0>"), 0);
    }

    @Test
    void linspaceWithRunTimeEndPoints() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16}) {
            for (long num : new long[] {0, 1, 2, 7, 50}) {
                Oracle.assertOp(CreationOps.LINSPACE, Attrs.of("num", num), TestData.mixed(t, Shape.of(), 3), TestData.mixed(t, Shape.of(), 4));
                Oracle.assertOp(CreationOps.LINSPACE, Attrs.of("num", num), Buffer.scalar(t, -1.5), Buffer.scalar(t, 10));
            }
        }
    }

    @Test
    void reshapeToAShapeComputedFromShapesIsStatic() {
        // What a gradient traced with unknown dims looks like: reshape(g, shape(x)) and sum_to_shape(g, shape(x)).
        String ir = """
                func @g(%x: f32[?,?], %b: f32[?], %s: f32[?,?,?]) -> (f32[?,?], f32[?], f32[?,?], i32[2]) {
                  %0 = shape %x : i32[2]
                  %1 = reshape %s, %0 : f32[?,?]
                  %2 = shape %b : i32[1]
                  %3 = mul %x, %b : f32[?,?]
                  %4 = sum_to_shape %3, %2 {shape=shape<[?]>} : f32[?]
                  %5 = sum_to_shape %3, %0 {shape=shape<[?,?]>} : f32[?,?]
                  %6 = strided_slice %0 {begin=[1], end=[2], strides=[1]} : i32[1]
                  %c = constant {value=dense<i32[1]: -1>} : i32[1]
                  %7 = concat %6, %c {axis=0} : i32[2]
                  %8 = reshape %x, %7 : f32[?,?]
                  %9 = transpose %8 : f32[?,?]
                  return %1, %4, %9, %7
                }
                """;
        Oracle.assertSame(ir, TestData.mixed(DType.FLOAT32, Shape.of(3, 4), 2), TestData.mixed(DType.FLOAT32, Shape.of(4), 3),
                TestData.mixed(DType.FLOAT32, Shape.of(2, 3, 2), 4));
        Oracle.assertSame(ir, TestData.mixed(DType.FLOAT32, Shape.of(5, 1), 2), TestData.mixed(DType.FLOAT32, Shape.of(1), 3),
                TestData.mixed(DType.FLOAT32, Shape.of(1, 5, 1), 4));
        Oracle.assertSame(ir, TestData.mixed(DType.FLOAT32, Shape.of(40, 33), 2), TestData.mixed(DType.FLOAT32, Shape.of(33), 3),
                TestData.mixed(DType.FLOAT32, Shape.of(1320), 4).reshaped(Shape.of(1, 1320, 1)));
    }

    @Test
    void sumToShapeOverEveryBroadcastPattern() {
        Buffer g = TestData.mixed(DType.FLOAT32, Shape.of(4, 3, 5), 6);
        long[][] targets = {{4, 3, 5}, {3, 5}, {5}, {1, 5}, {4, 1, 5}, {4, 3, 1}, {1, 1, 1}, {}, {3, 1}, {2, 5}};
        for (long[] target : targets) Oracle.assertSameOrSameError(sumTo(target), 0, g);
        Oracle.assertSameOrSameError(sumTo(new long[] {1, 5}), 0, TestData.mixed(DType.FLOAT64, Shape.of(0, 2, 5), 6).reshaped(Shape.of(0, 2, 5)));
    }

    /** sum_to_shape of an f32[?,?,?] argument to a constant target, as a gradient traced with unknown dims has it. */
    private static Graph sumTo(long[] target) {
        GraphBuilder b = new GraphBuilder("s");
        Value g = b.param(new TensorType(DType.FLOAT32, Shape.unknownDims(3)), "g");
        Value t = b.add1(CreationOps.CONSTANT, List.of(), Attrs.of("value", Buffer.ofLongs(Shape.of(target.length), target)), null);
        return b.build(List.of(b.add1(ReductionOps.SUM_TO_SHAPE, List.of(g, t), Attrs.of("shape", Shape.unknownDims(target.length)),
                new SourceLocation("Grad.java", 9))));
    }
}
