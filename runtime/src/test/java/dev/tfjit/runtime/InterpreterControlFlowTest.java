package dev.tfjit.runtime;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.IrParser;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Verifier;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The interpreter runs while/cond graphs written as IR text. */
class InterpreterControlFlowTest {
    private static List<Buffer> run(String ir, Buffer... args) {
        Graph g = IrParser.parse(ir);
        Verifier.verify(g);
        return Interpreter.run(g, List.of(args));
    }

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
        assertEquals(5, run(COUNT_TO_N, i32(5)).get(0).getLong(0));
        assertEquals(1, run(COUNT_TO_N, i32(1)).get(0).getLong(0));
    }

    @Test
    void whileThatRunsZeroTimesReturnsItsInitialValues() {
        assertEquals(0, run(COUNT_TO_N, i32(0)).get(0).getLong(0));
        assertEquals(0, run(COUNT_TO_N, i32(-3)).get(0).getLong(0));
    }

    @Test
    void loopCarryingTwoTensorsComputesFibonacci() {
        // (a, b) <- (b, a + b), n times, from (0, 1): a is fib(n).
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
        List<Buffer> out = run(ir, i32(10));
        assertEquals(55, out.get(0).getLong(0));
        assertEquals(89, out.get(1).getLong(0));
        List<Buffer> none = run(ir, i32(0));
        assertEquals(0, none.get(0).getLong(0));
        assertEquals(1, none.get(1).getLong(0));
    }

    @Test
    void loopCarriesAVectorOfUnknownLength() {
        String ir = """
                func @doubling(%x: f32[?], %n: i32[]) -> f32[?] {
                  %0 = constant {value=dense<i32[]: 0>} : i32[]
                  %1 = constant {value=dense<i32[]: 1>} : i32[]
                  %2 = constant {value=dense<f32[]: 2.0>} : f32[]
                  %3, %4 = while %0, %x : i32[], f32[?] {
                  ^(%i: i32[], %v: f32[?]):
                    %5 = less %i, %n : bool[]
                    yield %5
                  } {
                  ^(%i2: i32[], %v2: f32[?]):
                    %6 = add %i2, %1 : i32[]
                    %7 = mul %v2, %2 : f32[?]
                    yield %6, %7
                  }
                  return %4
                }
                """;
        Buffer out = run(ir, Buffer.ofFloats(Shape.of(3), 1, -0.5f, 3), i32(3)).get(0);
        assertEquals(Shape.of(3), out.shape());
        assertArrayEquals(new float[]{8, -4, 24}, out.toFloatArray());
    }

    @Test
    void condNestedInWhileTakesTheBranchTheLoopVarSelects() {
        // acc gets +1 while i < k and +10 afterwards: n=5, k=2 gives 1+1+10+10+10.
        String ir = """
                func @steps(%n: i32[], %k: i32[]) -> f32[] {
                  %0 = constant {value=dense<i32[]: 0>} : i32[]
                  %1 = constant {value=dense<i32[]: 1>} : i32[]
                  %2 = constant {value=dense<f32[]: 0.0>} : f32[]
                  %3, %4 = while %0, %2 : i32[], f32[] {
                  ^(%i: i32[], %acc: f32[]):
                    %5 = less %i, %n : bool[]
                    yield %5
                  } {
                  ^(%i2: i32[], %acc2: f32[]):
                    %6 = less %i2, %k : bool[]
                    %7 = cond %6, %acc2 : f32[] {
                    ^(%a: f32[]):
                      %8 = constant {value=dense<f32[]: 1.0>} : f32[]
                      %9 = add %a, %8 : f32[]
                      yield %9
                    } {
                    ^(%b: f32[]):
                      %10 = constant {value=dense<f32[]: 10.0>} : f32[]
                      %11 = add %b, %10 : f32[]
                      yield %11
                    }
                    %12 = add %i2, %1 : i32[]
                    yield %12, %7
                  }
                  return %4
                }
                """;
        assertEquals(32f, run(ir, i32(5), i32(2)).get(0).getDouble(0));
        assertEquals(50f, run(ir, i32(5), i32(0)).get(0).getDouble(0));
        assertEquals(0f, run(ir, i32(0), i32(2)).get(0).getDouble(0));
    }

    @Test
    void regionsReadCapturedOuterValues() {
        // The body adds the function's %step and the cond region compares with the function's %limit,
        // three levels deep: function body -> while body -> cond branch.
        String ir = """
                func @capture(%step: f64[], %limit: f64[], %p: bool[]) -> f64[] {
                  %0 = constant {value=dense<f64[]: 0.0>} : f64[]
                  %1 = while %0 : f64[] {
                  ^(%x: f64[]):
                    %2 = less %x, %limit : bool[]
                    yield %2
                  } {
                  ^(%y: f64[]):
                    %3 = cond %p : f64[] {
                    ^():
                      %4 = add %y, %step : f64[]
                      yield %4
                    } {
                    ^():
                      %5 = add %y, %limit : f64[]
                      yield %5
                    }
                    yield %3
                  }
                  return %1
                }
                """;
        Buffer t = Buffer.ofBooleans(Shape.SCALAR, true), f = Buffer.ofBooleans(Shape.SCALAR, false);
        assertEquals(1.5, run(ir, Buffer.scalar(DType.FLOAT64, 0.5), Buffer.scalar(DType.FLOAT64, 1.2), t).get(0).getDouble(0));
        assertEquals(1.2, run(ir, Buffer.scalar(DType.FLOAT64, 0.5), Buffer.scalar(DType.FLOAT64, 1.2), f).get(0).getDouble(0));
    }

    @Test
    void condWithBranchesOfDifferentShapesReturnsTheTakenBranchsShape() {
        String ir = """
                func @pick(%p: bool[]) -> i32[?] {
                  %0 = cond %p : i32[?] {
                  ^():
                    %1 = constant {value=dense<i32[2]: 1, 2>} : i32[2]
                    yield %1
                  } {
                  ^():
                    %2 = constant {value=dense<i32[3]: 7, 8, 9>} : i32[3]
                    yield %2
                  }
                  return %0
                }
                """;
        assertArrayEquals(new int[]{1, 2}, run(ir, Buffer.ofBooleans(Shape.SCALAR, true)).get(0).toIntArray());
        assertArrayEquals(new int[]{7, 8, 9}, run(ir, Buffer.ofBooleans(Shape.SCALAR, false)).get(0).toIntArray());
    }
}
