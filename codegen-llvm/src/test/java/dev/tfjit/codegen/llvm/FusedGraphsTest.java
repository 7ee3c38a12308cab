package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.runtime.Backends;
import dev.tfjit.runtime.Executable;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Broadcasting, fused chains, constants, empty and rank-0 tensors, errors and the backend's contract. */
class FusedGraphsTest {
    private static Buffer f32(Shape s, long seed) { return TestData.uniform(DType.FLOAT32, s, seed, 10, false); }

    @Test
    void backendIsFoundByNameThroughTheServiceLoader() {
        assertEquals("llvm-cpu", Backends.named("llvm-cpu").name());
        assertTrue(Backends.named("llvm-cpu").priority() < Backends.named("interpreter").priority(),
                "opt-in until the whole catalog lowers: never chosen by default");
    }

    @Test
    void broadcastingFollowsNumPyRules() {
        String ir = """
                func @bc(%a: f32[?,?,?], %b: f32[?,1], %c: f32[?]) -> f32[?,?,?] {
                  %0 = mul %a, %b : f32[?,?,?]
                  %1 = sub %0, %c : f32[?,?,?]
                  return %1
                }
                """;
        Oracle.assertSame(ir, f32(Shape.of(4, 3, 5), 1), f32(Shape.of(3, 1), 2), f32(Shape.of(5), 3));
        Oracle.assertSame(ir, f32(Shape.of(1, 3, 1), 1), f32(Shape.of(3, 1), 2), f32(Shape.of(7), 3));
        Oracle.assertSame(ir, f32(Shape.of(2, 1, 5), 1), f32(Shape.of(6, 1), 2), f32(Shape.of(1), 3));
    }

    @Test
    void broadcastValuesAreWorkedOutByHand() {
        String ir = """
                func @outer(%a: i32[?,1], %b: i32[?]) -> i32[?,?] {
                  %0 = mul %a, %b : i32[?,?]
                  return %0
                }
                """;
        Buffer out = Oracle.compiled(ir, Buffer.ofInts(Shape.of(2, 1), 2, 3), Buffer.ofInts(Shape.of(3), 1, 10, 100)).get(0);
        assertEquals(Shape.of(2, 3), out.shape());
        assertArrayEquals(new int[]{2, 20, 200, 3, 30, 300}, out.toIntArray());
    }

    @Test
    void incompatibleShapesAreTheInterpretersShapeError() {
        String ir = """
                func @bad(%a: f32[?], %b: f32[?]) -> f32[?] {
                  %0 = add %a, %b : f32[?]
                  return %0
                }
                """;
        ShapeError e = assertThrows(ShapeError.class, () -> Oracle.compiled(ir, f32(Shape.of(3), 1), f32(Shape.of(4), 2)));
        assertTrue(e.getMessage().contains("Incompatible shapes: [3] vs. [4]"), e.getMessage());
        assertTrue(e.getMessage().startsWith("add: "), e.getMessage());
    }

    @Test
    void longChainsWithConstantsFuseAndMatch() {
        String ir = """
                func @chain(%x: f32[?,?], %y: f32[?]) -> (f32[?,3], bool[?,3]) {
                  %c = constant {value=dense<f32[]: 0.5>} : f32[]
                  %v = constant {value=dense<f32[3]: 1.0, -2.0, 3.0>} : f32[3]
                  %0 = tanh %x : f32[?,?]
                  %1 = sigmoid %y : f32[?]
                  %2 = mul %0, %1 : f32[?,?]
                  %3 = relu %x : f32[?,?]
                  %4 = mul %3, %c : f32[?,?]
                  %5 = add %2, %4 : f32[?,?]
                  %6 = mul %5, %v : f32[?,3]
                  %7 = greater %6, %c : bool[?,3]
                  return %6, %7
                }
                """;
        Oracle.assertWithinUlps(ir, 1, f32(Shape.of(5, 3), 4), f32(Shape.of(3), 5));
    }

    @Test
    void valuesUsedTwiceAreStoredOnceAndBothUsersMatch() {
        String ir = """
                func @twice(%x: f64[?]) -> (f64[?], f64[?]) {
                  %0 = exp %x : f64[?]
                  %1 = add %0, %0 : f64[?]
                  %2 = neg %0 : f64[?]
                  return %1, %2
                }
                """;
        Oracle.assertWithinUlps(ir, 2, TestData.mixed(DType.FLOAT64, Shape.of(40), 6));
    }

    @Test
    void halfPrecisionChainsRoundAfterEveryOpLikeTheInterpreter() {
        for (DType t : new DType[]{DType.FLOAT16, DType.BFLOAT16}) {
            String s = t.shortName();
            String ir = """
                    func @half(%x: T[?], %y: T[?]) -> T[?] {
                      %0 = mul %x, %y : T[?]
                      %1 = add %0, %x : T[?]
                      %2 = div %1, %y : T[?]
                      return %2
                    }
                    """.replace("T[", s + "[");
            Oracle.assertSame(ir, TestData.mixed(t, Shape.of(64), 8), TestData.mixed(t, Shape.of(64), 9));
        }
    }

    @Test
    void narrowIntegersWrapAfterEveryOp() {
        String ir = """
                func @wrap(%x: i8[?], %y: i8[?]) -> (i8[?], u8[?]) {
                  %0 = mul %x, %y : i8[?]
                  %1 = add %0, %x : i8[?]
                  %2 = cast %1 {dtype=u8} : u8[?]
                  return %1, %2
                }
                """;
        Oracle.assertSame(ir, TestData.mixed(DType.INT8, Shape.of(30), 10), TestData.mixed(DType.INT8, Shape.of(30), 11));
        Buffer out = Oracle.compiled(ir, Buffer.ofBytes(DType.INT8, Shape.of(1), (byte) 100), Buffer.ofBytes(DType.INT8, Shape.of(1), (byte) 3)).get(0);
        assertEquals((byte) (100 * 3 + 100), (byte) out.getLong(0));
    }

    @Test
    void emptyTensorsAndScalarsWork() {
        String ir = """
                func @e(%x: f32[?,?], %s: f32[]) -> (f32[?,?], f32[]) {
                  %0 = mul %x, %s : f32[?,?]
                  %1 = add %s, %s : f32[]
                  return %0, %1
                }
                """;
        List<Buffer> out = Oracle.compiled(ir, Buffer.allocate(DType.FLOAT32, Shape.of(0, 3)), Buffer.ofFloats(Shape.SCALAR, 2.5f));
        assertEquals(Shape.of(0, 3), out.get(0).shape());
        assertEquals(5f, out.get(1).toFloatArray()[0]);
        Oracle.assertSame(ir, Buffer.allocate(DType.FLOAT32, Shape.of(3, 0)), Buffer.ofFloats(Shape.SCALAR, 1f));
    }

    @Test
    void resultsThatArePassedThroughOrRepeatedAreFreshCopies() {
        String ir = """
                func @pass(%x: i64[?]) -> (i64[?], i64[?], i64[?], i32[]) {
                  %0 = neg %x : i64[?]
                  %c = constant {value=dense<i32[]: 7>} : i32[]
                  return %x, %0, %0, %c
                }
                """;
        Buffer x = Buffer.ofLongs(Shape.of(2), 4, -5);
        List<Buffer> out = Oracle.compiled(ir, x);
        assertArrayEquals(new long[]{4, -5}, out.get(0).toLongArray());
        assertArrayEquals(new long[]{-4, 5}, out.get(1).toLongArray());
        assertArrayEquals(new long[]{-4, 5}, out.get(2).toLongArray());
        assertEquals(7, out.get(3).getLong(0));
        assertNotSame(out.get(1), out.get(2));
    }

    @Test
    void integerDivisionByZeroIsTheInterpretersErrorWithTheSourceLine() {
        String ir = """
                func @div0(%x: i32[?], %y: i32[?]) -> i32[?] {
                  %0 = floor_div %x, %y : i32[?] loc(Model.java:42)
                  return %0
                }
                """;
        InvalidArgumentError e = assertThrows(InvalidArgumentError.class,
                () -> Oracle.compiled(ir, Buffer.ofInts(Shape.of(3), 1, 2, 3), Buffer.ofInts(Shape.of(3), 1, 0, 1)));
        assertEquals("floor_div: Integer division by zero (at Model.java:42)", e.getMessage());
    }

    @Test
    void floorDivisionRoundsTowardMinusInfinity() {
        String ir = """
                func @fd(%x: i32[?], %y: i32[?]) -> (i32[?], i32[?]) {
                  %0 = floor_div %x, %y : i32[?]
                  %1 = floor_mod %x, %y : i32[?]
                  return %0, %1
                }
                """;
        List<Buffer> out = Oracle.compiled(ir, Buffer.ofInts(Shape.of(4), -7, 7, -7, Integer.MIN_VALUE), Buffer.ofInts(Shape.of(4), 2, -2, -2, -1));
        assertArrayEquals(new int[]{-4, -4, 3, Integer.MIN_VALUE}, out.get(0).toIntArray());
        assertArrayEquals(new int[]{1, -1, -1, 0}, out.get(1).toIntArray());
    }

    @Test
    void unsupportedOpsFailAtCompileTimeNamingTheOpAndLine() {
        String ir = """
                func @mm(%a: f32[2,2], %b: f32[2,2]) -> i64[?,2] {
                  %0 = less %a, %b : bool[2,2]
                  %1 = where %0 : i64[?,2] loc(Net.java:7)
                  return %1
                }
                """;
        UnimplementedError e = assertThrows(UnimplementedError.class, () -> Oracle.compile(ir));
        assertEquals("where: the llvm-cpu backend does not lower 'where' yet: its output shape is the number of true elements,"
                + " known only at run time (at Net.java:7)", e.getMessage());
    }

    @Test
    void argumentsAreCheckedBeforeNativeCodeRuns() {
        Executable exe = Oracle.compile("""
                func @chk(%a: f32[?,3]) -> f32[?,3] {
                  %0 = abs %a : f32[?,3]
                  return %0
                }
                """);
        assertThrows(ShapeError.class, () -> exe.run(List.of(f32(Shape.of(2, 4), 1))));
        assertThrows(dev.tfjit.ir.DTypeError.class, () -> exe.run(List.of(Buffer.allocate(DType.FLOAT64, Shape.of(2, 3)))));
        assertThrows(dev.tfjit.ir.TfException.class, () -> exe.run(List.of()));
    }

    @Test
    void eachShapeSignatureIsCompiledOnce() {
        LlvmExecutable exe = (LlvmExecutable) Oracle.compile("""
                func @sig(%a: f32[?]) -> f32[?] {
                  %0 = square %a : f32[?]
                  return %0
                }
                """);
        for (int i = 0; i < 3; i++) {
            exe.run(List.of(f32(Shape.of(4), i)));
            exe.run(List.of(f32(Shape.of(9), i)));
        }
        assertEquals(2, exe.compiledSignatures());
        assertArrayEquals(new float[]{4, 9}, exe.run(List.of(Buffer.ofFloats(Shape.of(2), -2, 3))).get(0).toFloatArray());
    }
}
