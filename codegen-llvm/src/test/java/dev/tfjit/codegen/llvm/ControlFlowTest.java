package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.UnimplementedError;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** while and cond compile to native loops and branches. */
class ControlFlowTest {
    private static Buffer i32(int v) { return Buffer.ofInts(Shape.SCALAR, v); }

    private static final String COUNT_TO_N = """
            func @count(%n: i32[]) -> i32[] {
              %0 = constant {value=dense<i32[]: 0>} : i32[]
              %1 = constant {value=dense<i32[]: 1>} : i32[]
              %2 = while %0 : i32[] {
              ^(%i: i32[]):
                %3 = less %i, %n : bool[]
                yield %3
              } {
              ^(%j: i32[]):
                %4 = add %j, %1 : i32[]
                yield %4
              }
              return %2
            }
            """;

    @Test
    void countingLoopStopsWhenTheConditionFails() {
        assertEquals(5, Oracle.compiled(COUNT_TO_N, i32(5)).get(0).getLong(0));
        assertEquals(1_000_000, Oracle.compiled(COUNT_TO_N, i32(1_000_000)).get(0).getLong(0));
        assertEquals(0, Oracle.compiled(COUNT_TO_N, i32(-3)).get(0).getLong(0));
    }

    @Test
    void loopVarsThatSwapEachIterationComputeFibonacci() {
        String ir = """
                func @fib(%n: i32[]) -> (i64[], i64[]) {
                  %0 = constant {value=dense<i32[]: 0>} : i32[]
                  %1 = constant {value=dense<i32[]: 1>} : i32[]
                  %2 = constant {value=dense<i64[]: 0>} : i64[]
                  %3 = constant {value=dense<i64[]: 1>} : i64[]
                  %4, %5, %6 = while %0, %2, %3 : i32[], i64[], i64[] {
                  ^(%i: i32[], %a: i64[], %b: i64[]):
                    %7 = less %i, %n : bool[]
                    yield %7
                  } {
                  ^(%i2: i32[], %a2: i64[], %b2: i64[]):
                    %8 = add %i2, %1 : i32[]
                    %9 = add %a2, %b2 : i64[]
                    yield %8, %b2, %9
                  }
                  return %5, %6
                }
                """;
        List<Buffer> out = Oracle.compiled(ir, i32(10));
        assertEquals(55, out.get(0).getLong(0));
        assertEquals(89, out.get(1).getLong(0));
        Oracle.assertSame(ir, i32(0));
        Oracle.assertSame(ir, i32(90));
    }

    @Test
    void tensorLoopWithCapturedValuesAndReductionsMatchesTheInterpreter() {
        // x <- tanh(x * w) + b until the sum of |x| drops below a threshold or 50 steps ran.
        String ir = """
                func @iterate(%x0: f32[?,?], %w: f32[?], %b: f32[]) -> (i32[], f32[?,?]) {
                  %0 = constant {value=dense<i32[]: 0>} : i32[]
                  %1 = constant {value=dense<i32[]: 1>} : i32[]
                  %lim = constant {value=dense<i32[]: 50>} : i32[]
                  %eps = constant {value=dense<f32[]: 0.5>} : f32[]
                  %2, %3 = while %0, %x0 : i32[], f32[?,?] {
                  ^(%i: i32[], %x: f32[?,?]):
                    %4 = less %i, %lim : bool[]
                    %5 = abs %x : f32[?,?]
                    %6 = reduce_sum %5 : f32[]
                    %7 = greater %6, %eps : bool[]
                    %8 = logical_and %4, %7 : bool[]
                    yield %8
                  } {
                  ^(%j: i32[], %y: f32[?,?]):
                    %9 = add %j, %1 : i32[]
                    %10 = mul %y, %w : f32[?,?]
                    %11 = tanh %10 : f32[?,?]
                    %12 = mul %11, %b : f32[?,?]
                    yield %9, %12
                  }
                  return %2, %3
                }
                """;
        Buffer x = TestData.uniform(DType.FLOAT32, Shape.of(4, 6), 1, 2, false);
        Buffer w = TestData.uniform(DType.FLOAT32, Shape.of(6), 2, 1.5, false);
        Oracle.assertWithinUlps(ir, 1, x, w, Buffer.ofFloats(Shape.SCALAR, 0.9f));
        List<Buffer> out = Oracle.compiled(ir, x, w, Buffer.ofFloats(Shape.SCALAR, 0.9f));
        assertTrue(out.get(0).getLong(0) > 0 && out.get(0).getLong(0) <= 50);
    }

    @Test
    void condTakesTheBranchThePredicateNames() {
        String ir = """
                func @pick(%p: bool[], %x: f32[?]) -> f32[?] {
                  %0 = cond %p, %x : f32[?] {
                  ^(%a: f32[?]):
                    %1 = mul %a, %a : f32[?]
                    yield %1
                  } {
                  ^(%b: f32[?]):
                    %2 = neg %b : f32[?]
                    yield %2
                  }
                  return %0
                }
                """;
        Buffer x = Buffer.ofFloats(Shape.of(3), 1, -2, 3);
        assertArrayEquals(new float[]{1, 4, 9}, Oracle.compiled(ir, Buffer.ofBooleans(Shape.SCALAR, true), x).get(0).toFloatArray());
        assertArrayEquals(new float[]{-1, 2, -3}, Oracle.compiled(ir, Buffer.ofBooleans(Shape.SCALAR, false), x).get(0).toFloatArray());
    }

    @Test
    void condInsideAWhileBodyAndOperandsPassedThrough() {
        // Collatz steps of n: n even -> n / 2, odd -> 3n + 1, counting until n == 1.
        String ir = """
                func @collatz(%n: i64[]) -> (i64[], i64[]) {
                  %one = constant {value=dense<i64[]: 1>} : i64[]
                  %two = constant {value=dense<i64[]: 2>} : i64[]
                  %three = constant {value=dense<i64[]: 3>} : i64[]
                  %zero = constant {value=dense<i64[]: 0>} : i64[]
                  %r, %steps = while %n, %zero : i64[], i64[] {
                  ^(%v: i64[], %s: i64[]):
                    %c = not_equal %v, %one : bool[]
                    yield %c
                  } {
                  ^(%v2: i64[], %s2: i64[]):
                    %m = floor_mod %v2, %two : i64[]
                    %even = equal %m, %zero : bool[]
                    %next = cond %even, %v2 : i64[] {
                    ^(%e: i64[]):
                      %h = floor_div %e, %two : i64[]
                      yield %h
                    } {
                    ^(%o: i64[]):
                      %t = mul %o, %three : i64[]
                      %t1 = add %t, %one : i64[]
                      yield %t1
                    }
                    %s3 = add %s2, %one : i64[]
                    yield %next, %s3
                  }
                  return %r, %steps
                }
                """;
        List<Buffer> out = Oracle.compiled(ir, Buffer.ofLongs(Shape.SCALAR, 27));
        assertEquals(1, out.get(0).getLong(0));
        assertEquals(111, out.get(1).getLong(0));
        Oracle.assertSame(ir, Buffer.ofLongs(Shape.SCALAR, 97));
    }

    @Test
    void errorInsideALoopStopsItAndIsReported() {
        String ir = """
                func @div(%n: i32[]) -> i32[] {
                  %0 = constant {value=dense<i32[]: 10>} : i32[]
                  %1 = constant {value=dense<i32[]: 1>} : i32[]
                  %2 = while %n : i32[] {
                  ^(%i: i32[]):
                    %3 = constant {value=dense<i32[]: -5>} : i32[]
                    %4 = greater %i, %3 : bool[]
                    yield %4
                  } {
                  ^(%j: i32[]):
                    %5 = floor_div %0, %j : i32[] loc(Loop.java:3)
                    %6 = sub %j, %1 : i32[]
                    %7 = add %6, %5 : i32[]
                    %8 = sub %7, %5 : i32[]
                    yield %8
                  }
                  return %2
                }
                """;
        InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> Oracle.compiled(ir, i32(3)));
        // Located as the interpreter locates it: the op, then the loop that holds it.
        assertEquals("while: floor_div: Integer division by zero (at Loop.java:3)", e.getMessage());
        Oracle.assertSameOrSameError(ir, 0, i32(3));
    }

    @Test
    void loopVarsThatChangeShapeAreNotCompiledYet() {
        // The loop var starts as f32[1] and becomes f32[3] by broadcasting against a capture.
        String ir = """
                func @grow(%x: f32[?], %y: f32[?]) -> f32[?] {
                  %0 = constant {value=dense<bool[]: false>} : bool[]
                  %1 = while %x : f32[?] {
                  ^(%a: f32[?]):
                    yield %0
                  } {
                  ^(%b: f32[?]):
                    %2 = add %b, %y : f32[?]
                    yield %2
                  }
                  return %1
                }
                """;
        UnimplementedError e = assertThrows(UnimplementedError.class,
                () -> Oracle.compiled(ir, Buffer.ofFloats(Shape.of(1), 1), Buffer.ofFloats(Shape.of(3), 1, 2, 3)));
        assertTrue(e.getMessage().startsWith("while: loop var 0 changes from f32[1] to f32[3]"), e.getMessage());
        assertArrayEquals(new float[]{1, 2}, Oracle.compiled(ir, Buffer.ofFloats(Shape.of(2), 1, 2), Buffer.ofFloats(Shape.of(2), 5, 5))
                .get(0).toFloatArray());
    }
}
