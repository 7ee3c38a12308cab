package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.runtime.Interpreter;
import dev.tfjit.runtime.aot.AotFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Dynamically sized TensorArrays on the llvm-cpu backend: arrays that grow by a run-time count
 * inside while loops, read, gathered, measured, carried through while and cond and returned,
 * each compared with the interpreter (values, shapes, and the exact errors with their run-time
 * values).
 */
class GrowableArrayTest {
    /**
     * for j in range(n): a = a.write(j, v * j); then a.read(2), a.shape, a.size. The array
     * enters with the argument's elements (its count is part of the signature) and grows
     * from there; the loop pushes one element per iteration, in place.
     */
    private static final String PUSH = """
            func @push(%n: i32[], %init: f32[?,3], %v: f32[3]) -> (f32[?,3], f32[3], i32[2], i32[]) {
              %zero = constant {value=dense<i32[]: 0>} : i32[]
              %one = constant {value=dense<i32[]: 1>} : i32[]
              %two = constant {value=dense<i32[]: 2>} : i32[]
              %cnt, %ta = while %zero, %init : i32[], f32[?,3] {
              ^(%i: i32[], %a: f32[?,3]):
                %c = less %i, %n : bool[]
                yield %c
              } {
              ^(%j: i32[], %b: f32[?,3]):
                %f = cast %j {dtype=f32} : f32[]
                %x = mul %v, %f : f32[3]
                %w = tensor_array_write %b, %j, %x {dynamic_size=true} : f32[?,3] loc(Push.java:9)
                %k = add %j, %one : i32[]
                yield %k, %w
              } loc(Push.java:8)
              %r = tensor_array_read %ta, %two : f32[3] loc(Push.java:12)
              %s = shape %ta : i32[2]
              %z = size %ta : i32[]
              return %ta, %r, %s, %z
            }
            """;

    private static Buffer i32(int v) { return Buffer.ofInts(Shape.SCALAR, v); }

    private static Buffer rows(int n, int cols, float base) {
        float[] v = new float[n * cols];
        for (int i = 0; i < v.length; i++) v[i] = base + i;
        return Buffer.ofFloats(Shape.of(n, cols), v);
    }

    private static final Buffer V = Buffer.ofFloats(Shape.of(3), 1.5f, -2f, 0.25f);

    @Test
    void aLoopPushesElementsPastTheInitialCapacityAndReturnsTheStack() {
        List<Buffer> out = Oracle.compiled(PUSH, i32(1000), rows(0, 3, 0), V);
        assertEquals(Shape.of(1000, 3), out.get(0).shape());
        assertEquals(999 * -2f, out.get(0).getDouble(999 * 3 + 1));
        assertArrayEquals(new int[] {1000, 3}, out.get(2).toIntArray());
        assertEquals(3000, out.get(3).getLong(0));
        for (int n : new int[] {3, 4, 5, 9, 17, 1000}) Oracle.assertSame(PUSH, i32(n), rows(0, 3, 0), V);
    }

    @Test
    void threadsCallingTheSameFunctionGrowArraysOfTheirOwn() throws Exception {
        dev.tfjit.runtime.Executable f = Oracle.compile(PUSH);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int rows = 50 + 37 * t; // each thread its own count, so a shared descriptor would show
                done.add(pool.submit(() -> {
                    for (int k = 0; k < 200; k++) {
                        List<Buffer> out = f.run(List.of(i32(rows), rows(0, 3, 0), V));
                        assertEquals(Shape.of(rows, 3), out.get(0).shape());
                        assertEquals((rows - 1) * 0.25f, out.get(0).getDouble(rows * 3 - 1), 1e-3);
                        assertEquals(rows * 3, out.get(3).getLong(0));
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> d : done) d.get();
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void anArrayThatEntersWithElementsKeepsThemAndOverwritesFromTheIndex() {
        Oracle.assertSame(PUSH, i32(2), rows(5, 3, 100), V); // rewrites 0 and 1, keeps 2..4
        Oracle.assertSame(PUSH, i32(7), rows(5, 3, 100), V); // rewrites all and grows by 2
    }

    @Test
    void readingBeyondTheRunTimeCountIsTheInterpretersErrorWithTheCount() {
        for (int n : new int[] {0, 1, 2}) {
            InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> Oracle.compiled(PUSH, i32(n), rows(0, 3, 0), V));
            assertEquals("tensor_array_read: Tried to read from index 2 but array size is: " + n + " (at Push.java:12)", e.getMessage());
            Oracle.assertSameOrSameError(PUSH, 0, i32(n), rows(0, 3, 0), V);
        }
    }

    /** a[i] = a[i-1] + a[i-2] read back from the array being built (each read comes before the write that updates it in place). */
    private static final String FIBONACCI = """
            func @fib(%n: i64[], %init: i64[?]) -> (i64[?], i64[]) {
              %one = constant {value=dense<i64[]: 1>} : i64[]
              %two = constant {value=dense<i64[]: 2>} : i64[]
              %cnt, %ta = while %two, %init : i64[], i64[?] {
              ^(%i: i64[], %a: i64[?]):
                %c = less %i, %n : bool[]
                yield %c
              } {
              ^(%j: i64[], %b: i64[?]):
                %p = sub %j, %one : i64[]
                %q = sub %j, %two : i64[]
                %x = tensor_array_read %b, %p : i64[]
                %y = tensor_array_read %b, %q : i64[]
                %s = add %x, %y : i64[]
                %w = tensor_array_write %b, %j, %s {dynamic_size=true} : i64[?]
                %k = add %j, %one : i64[]
                yield %k, %w
              }
              %last = sub %n, %one : i64[]
              %r = tensor_array_read %ta, %last : i64[]
              return %ta, %r
            }
            """;

    @Test
    void aLoopReadsTheElementsItPushedBefore() {
        List<Buffer> out = Oracle.compiled(FIBONACCI, Buffer.ofLongs(Shape.SCALAR, 90), Buffer.ofLongs(Shape.of(2), 0, 1));
        assertEquals(1779979416004714189L, out.get(1).getLong(0)); // fib(89): the element at n - 1
        Oracle.assertSame(FIBONACCI, Buffer.ofLongs(Shape.SCALAR, 90), Buffer.ofLongs(Shape.of(2), 0, 1));
        Oracle.assertSame(FIBONACCI, Buffer.ofLongs(Shape.SCALAR, 2), Buffer.ofLongs(Shape.of(2), 3, 4)); // no iteration
    }

    @Test
    void aWriteWhoseInputIsReadLaterCopiesIt() {
        // The body yields both the array before the write and after it: the write must not touch its input.
        String ir = """
                func @keep(%n: i32[], %init: f64[?,2], %v: f64[2]) -> (f64[?,2], f64[?,2]) {
                  %zero = constant {value=dense<i32[]: 0>} : i32[]
                  %one = constant {value=dense<i32[]: 1>} : i32[]
                  %i, %old, %new = while %zero, %init, %init : i32[], f64[?,2], f64[?,2] {
                  ^(%a: i32[], %b: f64[?,2], %c: f64[?,2]):
                    %go = less %a, %n : bool[]
                    yield %go
                  } {
                  ^(%j: i32[], %p: f64[?,2], %q: f64[?,2]):
                    %x = mul %v, %v : f64[2]
                    %w = tensor_array_write %q, %j, %x {dynamic_size=true} : f64[?,2]
                    %y = tensor_array_write %w, %zero, %v : f64[?,2]
                    %k = add %j, %one : i32[]
                    yield %k, %q, %y
                  }
                  return %old, %new
                }
                """;
        Buffer v = Buffer.ofDoubles(Shape.of(2), 3, -0.5);
        for (int n : new int[] {0, 1, 2, 6}) Oracle.assertSame(ir, i32(n), Buffer.allocate(DType.FLOAT64, Shape.of(0, 2)), v);
        Oracle.assertSame(ir, i32(3), Buffer.ofDoubles(Shape.of(1, 2), 7, 8), v);
    }

    @Test
    void loopVarsThatSwapArraysKeepEachOthersValues() {
        String ir = """
                func @swap(%n: i32[], %x: i32[?], %y: i32[?]) -> (i32[?], i32[?]) {
                  %zero = constant {value=dense<i32[]: 0>} : i32[]
                  %one = constant {value=dense<i32[]: 1>} : i32[]
                  %i, %a, %b = while %zero, %x, %y : i32[], i32[?], i32[?] {
                  ^(%p: i32[], %q: i32[?], %r: i32[?]):
                    %go = less %p, %n : bool[]
                    yield %go
                  } {
                  ^(%j: i32[], %s: i32[?], %t: i32[?]):
                    %w = tensor_array_write %s, %j, %j {dynamic_size=true} : i32[?]
                    %k = add %j, %one : i32[]
                    yield %k, %t, %w
                  }
                  return %a, %b
                }
                """;
        for (int n : new int[] {0, 1, 2, 5, 10}) {
            Oracle.assertSame(ir, i32(n), Buffer.ofInts(Shape.of(1), 7), Buffer.ofInts(Shape.of(3), 1, 2, 3));
        }
    }

    @Test
    void aCondGrowsTheArrayInOneBranchOnly() {
        String ir = """
                func @maybe(%p: bool[], %i: i32[], %v: f32[2]) -> (f32[?,2], i32[2]) {
                  %z = constant {value=dense<f32[1,2]: 0.5, 0.25>} : f32[1,2]
                  %a = cond %p, %z : f32[?,2] {
                  ^(%x: f32[1,2]):
                    %w = tensor_array_write %x, %i, %v {dynamic_size=true} : f32[?,2]
                    yield %w
                  } {
                  ^(%y: f32[1,2]):
                    yield %y
                  }
                  %s = shape %a : i32[2]
                  return %a, %s
                }
                """;
        Buffer v = Buffer.ofFloats(Shape.of(2), 9, -9);
        for (int i : new int[] {0, 1, 4}) {
            Oracle.assertSame(ir, Buffer.ofBooleans(Shape.SCALAR, true), i32(i), v);
            Oracle.assertSame(ir, Buffer.ofBooleans(Shape.SCALAR, false), i32(i), v);
        }
        InvalidArgumentError e = assertThrows(InvalidArgumentError.class,
                () -> Oracle.compiled(ir, Buffer.ofBooleans(Shape.SCALAR, true), i32(-3), v));
        assertTrue(e.getMessage().contains("Writing to negative indices (index -3) is not allowed."), e.getMessage());
        Oracle.assertSameOrSameError(ir, 0, Buffer.ofBooleans(Shape.SCALAR, true), i32(-3), v);
    }

    /**
     * Inside a loop, a cond writes into the loop's array in one branch: in place when the array
     * is not read after the cond, on a copy when it is (USE_AFTER reads the old array's element).
     */
    private static final String COND_IN_LOOP = """
            func @odd(%n: i32[]) -> (i32[?], i32[]) {
              %zero = constant {value=dense<i32[]: 0>} : i32[]
              %one = constant {value=dense<i32[]: 1>} : i32[]
              %two = constant {value=dense<i32[]: 2>} : i32[]
              %e = constant {value=dense<i32[1]: 42>} : i32[1]
              %i, %ta, %acc = while %zero, %e, %zero : i32[], i32[?], i32[] {
              ^(%a: i32[], %b: i32[?], %c: i32[]):
                %go = less %a, %n : bool[]
                yield %go
              } {
              ^(%j: i32[], %t: i32[?], %s: i32[]):
                %m = floor_mod %j, %two : i32[]
                %odd = equal %m, %one : bool[]
                %u = cond %odd, %t : i32[?] {
                ^(%x: i32[?]):
                  %sq = mul %j, %j : i32[]
                  %w = tensor_array_write %x, %j, %sq {dynamic_size=true} : i32[?]
                  yield %w
                } {
                ^(%y: i32[?]):
                  yield %y
                }
                %r = USE_AFTER
                %s2 = add %s, %r : i32[]
                %k = add %j, %one : i32[]
                yield %k, %u, %s2
              }
              return %ta, %acc
            }
            """;

    @Test
    void aCondInsideALoopWritesInPlaceOnlyWhenTheArrayIsNotReadAfterIt() {
        String inPlace = COND_IN_LOOP.replace("%r = USE_AFTER", "%r = tensor_array_read %u, %zero : i32[]");
        String copied = COND_IN_LOOP.replace("%r = USE_AFTER", "%h = size %t : i32[]\n    %r = sub %h, %one : i32[]");
        for (int n : new int[] {0, 1, 2, 5, 12}) {
            Oracle.assertSame(inPlace, i32(n));
            Oracle.assertSame(copied, i32(n));
        }
        assertArrayEquals(new int[] {42, 1, 0, 9, 0, 25}, Oracle.compiled(copied, i32(6)).get(0).toIntArray());
    }

    @Test
    void anInnerLoopPushesIntoTheOuterLoopsArray() {
        String ir = """
                func @tri(%n: i64[]) -> (i64[?], i64[]) {
                  %zero = constant {value=dense<i64[]: 0>} : i64[]
                  %one = constant {value=dense<i64[]: 1>} : i64[]
                  %e = constant {value=dense<i64[0]: >} : i64[0]
                  %i, %cnt, %ta = while %zero, %zero, %e : i64[], i64[], i64[?] {
                  ^(%a: i64[], %b: i64[], %c: i64[?]):
                    %go = less %a, %n : bool[]
                    yield %go
                  } {
                  ^(%j: i64[], %p: i64[], %t: i64[?]):
                    %q, %m, %u = while %zero, %p, %t : i64[], i64[], i64[?] {
                    ^(%x: i64[], %y: i64[], %z: i64[?]):
                      %more = less_equal %x, %j : bool[]
                      yield %more
                    } {
                    ^(%l: i64[], %pos: i64[], %arr: i64[?]):
                      %v = mul %l, %j : i64[]
                      %w = tensor_array_write %arr, %pos, %v {dynamic_size=true} : i64[?]
                      %l2 = add %l, %one : i64[]
                      %pos2 = add %pos, %one : i64[]
                      yield %l2, %pos2, %w
                    }
                    %k = add %j, %one : i64[]
                    yield %k, %m, %u
                  }
                  return %ta, %cnt
                }
                """;
        for (long n : new long[] {0, 1, 4, 30}) Oracle.assertSame(ir, Buffer.ofLongs(Shape.SCALAR, n));
        assertEquals(Shape.of(465), Oracle.compiled(ir, Buffer.ofLongs(Shape.SCALAR, 30)).get(0).shape());
    }

    /** A loop builds an array; a second loop captures it and reads it backwards, as a while loop's gradient does. */
    private static final String FORWARD_BACKWARD = """
            func @fb(%n: i32[], %x: f64[2]) -> (f64[2], f64[2]) {
              %zero = constant {value=dense<i32[]: 0>} : i32[]
              %one = constant {value=dense<i32[]: 1>} : i32[]
              %k = constant {value=dense<f64[]: 0.75>} : f64[]
              %e = constant {value=dense<f64[0,2]: >} : f64[0,2]
              %cnt, %h, %st = while %zero, %x, %e : i32[], f64[2], f64[?,2] {
              ^(%i: i32[], %a: f64[2], %s: f64[?,2]):
                %c = less %i, %n : bool[]
                yield %c
              } {
              ^(%j: i32[], %b: f64[2], %t: f64[?,2]):
                %y = mul %b, %k : f64[2]
                %w = tensor_array_write %t, %j, %b {dynamic_size=true} : f64[?,2]
                %j2 = add %j, %one : i32[]
                yield %j2, %y, %w
              }
              %last = sub %cnt, %one : i32[]
              %ones = ones_like %x : f64[2]
              %r, %g = while %last, %ones : i32[], f64[2] {
              ^(%p: i32[], %q: f64[2]):
                %c2 = greater_equal %p, %zero : bool[]
                yield %c2
              } {
              ^(%u: i32[], %d: f64[2]):
                %xs = tensor_array_read %st, %u : f64[2] loc(Back.java:20)
                %dx = mul %d, %xs : f64[2]
                %dd = mul %dx, %k : f64[2]
                %u2 = sub %u, %one : i32[]
                yield %u2, %dd
              }
              return %h, %g
            }
            """;

    @Test
    void aSecondLoopReadsTheFirstLoopsStackBackwards() {
        Buffer x = Buffer.ofDoubles(Shape.of(2), 0.3, -1.2);
        for (int n : new int[] {0, 1, 2, 7, 64}) Oracle.assertSame(FORWARD_BACKWARD, i32(n), x);
    }

    @Test
    void gatherAlongAxisZeroChecksEveryIndexAgainstTheRunTimeCount() {
        String ir = """
                func @g(%n: i32[], %idx: i32[?,?]) -> f32[?,?,3] {
                  %zero = constant {value=dense<i32[]: 0>} : i32[]
                  %one = constant {value=dense<i32[]: 1>} : i32[]
                  %v = constant {value=dense<f32[3]: 1.0, 2.0, 3.0>} : f32[3]
                  %e = constant {value=dense<f32[0,3]: >} : f32[0,3]
                  %cnt, %ta = while %zero, %e : i32[], f32[?,3] {
                  ^(%i: i32[], %a: f32[?,3]):
                    %c = less %i, %n : bool[]
                    yield %c
                  } {
                  ^(%j: i32[], %b: f32[?,3]):
                    %f = cast %j {dtype=f32} : f32[]
                    %x = add %v, %f : f32[3]
                    %w = tensor_array_write %b, %j, %x {dynamic_size=true} : f32[?,3]
                    %k = add %j, %one : i32[]
                    yield %k, %w
                  }
                  %r = gather %ta, %idx {axis=0} : f32[?,?,3] loc(Gather.java:3)
                  return %r
                }
                """;
        Buffer idx = Buffer.ofInts(Shape.of(2, 3), 4, 0, 2, 2, 1, 3);
        Oracle.assertSame(ir, i32(5), idx);
        Oracle.assertSame(ir, i32(5), Buffer.ofInts(Shape.of(0, 3)));
        for (int n : new int[] {0, 3, 4}) Oracle.assertSameOrSameError(ir, 0, i32(n), idx);
        InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> Oracle.compiled(ir, i32(3), idx));
        assertEquals("gather: indices[0,0] = 4 is not in [0, 3) (at Gather.java:3)", e.getMessage());
        Oracle.assertSameOrSameError(ir, 0, i32(5), Buffer.ofInts(Shape.of(1, 2), 0, -1));
    }

    @Test
    void everyElementTypeAndShapeMovesItsBytesUntouched() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16, DType.INT8, DType.INT64, DType.BOOL}) {
            for (Shape element : new Shape[] {Shape.SCALAR, Shape.of(2, 3), Shape.of(0), Shape.of(4, 0)}) {
                String type = t.shortName() + "[?" + (element.rank() == 0 ? "]" : "," + element.irString().substring(1));
                String elementType = t.shortName() + element.irString();
                String ir = """
                        func @each(%n: i64[], %init: A, %v: E) -> (A, i32[], E) {
                          %zero = constant {value=dense<i64[]: 0>} : i64[]
                          %one = constant {value=dense<i64[]: 1>} : i64[]
                          %cnt, %ta = while %zero, %init : i64[], A {
                          ^(%i: i64[], %a: A):
                            %c = less %i, %n : bool[]
                            yield %c
                          } {
                          ^(%j: i64[], %b: A):
                            %w = tensor_array_write %b, %j, %v {dynamic_size=true} : A
                            %k = add %j, %one : i64[]
                            yield %k, %w
                          }
                          %z = size %ta : i32[]
                          %last = sub %n, %one : i64[]
                          %r = tensor_array_read %ta, %last : E
                          return %ta, %z, %r
                        }
                        """.replace("A", type).replace("E", elementType);
                int[] initDims = new int[element.rank() + 1];
                initDims[0] = 1;
                System.arraycopy(element.dims(), 0, initDims, 1, element.rank());
                for (long n : new long[] {1, 6}) {
                    Oracle.assertSame(ir, Buffer.ofLongs(Shape.SCALAR, n), TestData.mixed(t, Shape.of(initDims), 3), TestData.mixed(t, element, 4));
                }
            }
        }
    }

    @Test
    void aFixedSizeWriteIntoAGrownArrayChecksTheRunTimeCount() {
        String ir = """
                func @fixed(%n: i32[], %i: i32[], %v: i8[]) -> i8[?] {
                  %zero = constant {value=dense<i32[]: 0>} : i32[]
                  %one = constant {value=dense<i32[]: 1>} : i32[]
                  %e = constant {value=dense<i8[0]: >} : i8[0]
                  %cnt, %ta = while %zero, %e : i32[], i8[?] {
                  ^(%a: i32[], %b: i8[?]):
                    %c = less %a, %n : bool[]
                    yield %c
                  } {
                  ^(%j: i32[], %t: i8[?]):
                    %w = tensor_array_write %t, %j, %v {dynamic_size=true} : i8[?]
                    %k = add %j, %one : i32[]
                    yield %k, %w
                  }
                  %r = tensor_array_write %ta, %i, %v : i8[?] loc(Fixed.java:4)
                  return %r
                }
                """;
        Buffer v = Buffer.scalar(DType.INT8, 5);
        Oracle.assertSame(ir, i32(4), i32(3), v);
        InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> Oracle.compiled(ir, i32(4), i32(4), v));
        assertEquals("tensor_array_write: Tried to write to index 4 but array is not resizeable and size is: 4 (at Fixed.java:4)", e.getMessage());
        for (int i : new int[] {-1, 4, 9}) Oracle.assertSameOrSameError(ir, 0, i32(4), i32(i), v);
    }

    @Test
    void anIndexBeyondTheLargestArrayIsAnErrorNotAnAllocation() {
        String ir = """
                func @far(%ta: f32[?], %i: i64[], %v: f32[]) -> f32[?] {
                  %0 = tensor_array_write %ta, %i, %v {dynamic_size=true} : f32[?] loc(Far.java:2)
                  return %0
                }
                """;
        for (long i : new long[] {Integer.MAX_VALUE, 5_000_000_000L, Long.MAX_VALUE}) {
            List<Buffer> args = List.of(Buffer.ofFloats(Shape.of(1), 1), Buffer.ofLongs(Shape.SCALAR, i), Buffer.scalar(DType.FLOAT32, 2));
            InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> Oracle.compile(ir).run(args));
            assertEquals("tensor_array_write: Tried to write to index " + i + " but a TensorArray holds at most 2147483647 elements"
                    + " (at Far.java:2)", e.getMessage());
            Oracle.assertSameOrSameError(ir, 0, args.toArray(Buffer[]::new));
        }
    }

    @Test
    void aWriteAtAnIndexKnownAtCompileTimeGrowsAStaticArray() {
        String ir = """
                func @grow(%ta: f32[2], %v: f32[]) -> (f32[?], f32[?]) {
                  %four = constant {value=dense<i32[]: 4>} : i32[]
                  %zero = constant {value=dense<i32[]: 0>} : i32[]
                  %0 = tensor_array_write %ta, %four, %v {dynamic_size=true} : f32[?]
                  %1 = tensor_array_write %ta, %zero, %v {dynamic_size=true} : f32[?]
                  return %0, %1
                }
                """;
        List<Buffer> out = Oracle.compiled(ir, Buffer.ofFloats(Shape.of(2), 1, 2), Buffer.scalar(DType.FLOAT32, 7));
        assertArrayEquals(new float[] {1, 2, 0, 0, 7}, out.get(0).toFloatArray());
        assertArrayEquals(new float[] {7, 2}, out.get(1).toFloatArray());
        Oracle.assertSame(ir, Buffer.ofFloats(Shape.of(2), 1, 2), Buffer.scalar(DType.FLOAT32, 7));
    }

    @Test
    void theSameArrayReturnedTwiceIsTwoBuffers() {
        String ir = PUSH.replace("-> (f32[?,3], f32[3], i32[2], i32[])", "-> (f32[?,3], f32[?,3])").replace("return %ta, %r, %s, %z", "return %ta, %ta");
        List<Buffer> out = Oracle.compiled(ir, i32(6), rows(1, 3, 9), V);
        assertNotSame(out.get(0), out.get(1));
        Oracle.assertSame(ir, i32(6), rows(1, 3, 9), V);
    }

    @Test
    void anyOtherOpOnAGrowableArrayIsRefusedAtCompileTimeByName() {
        String ir = PUSH.replace("-> (f32[?,3], f32[3], i32[2], i32[])", "-> f32[]")
                .replace("return %ta, %r, %s, %z", "%sum = reduce_sum %ta {keepdims=false} : f32[] loc(Push.java:13)\n  return %sum");
        UnimplementedError e = assertThrows(UnimplementedError.class, () -> Oracle.compiled(ir, i32(2), rows(0, 3, 0), V));
        assertTrue(e.getMessage().startsWith("reduce_sum: operand 0 (f32[?,3]) is the stacked value of a dynamically sized TensorArray"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("(at Push.java:13)"), e.getMessage());
    }

    @Test
    void aLoopVarThatGrowsWithoutATensorArrayIsStillRefused() {
        String ir = """
                func @cat(%n: i32[], %x: f32[?]) -> f32[?] {
                  %zero = constant {value=dense<i32[]: 0>} : i32[]
                  %one = constant {value=dense<i32[]: 1>} : i32[]
                  %i, %a = while %zero, %x : i32[], f32[?] {
                  ^(%p: i32[], %q: f32[?]):
                    %c = less %p, %n : bool[]
                    yield %c
                  } {
                  ^(%j: i32[], %s: f32[?]):
                    %t = concat %s, %s {axis=0} : f32[?]
                    %k = add %j, %one : i32[]
                    yield %k, %t
                  }
                  return %a
                }
                """;
        UnimplementedError e = assertThrows(UnimplementedError.class, () -> Oracle.compiled(ir, i32(2), Buffer.ofFloats(Shape.of(1), 1)));
        assertTrue(e.getMessage().startsWith("while: loop var 1 changes from f32[1] to f32[2]"), e.getMessage());
    }

    @TempDir Path dir;

    @Test
    void anArtifactBuildsArraysInsideButReturnsOnlyStaticShapes(@TempDir Path refused) {
        Graph inside = Oracle.parse(FORWARD_BACKWARD);
        AotCompiler.compile(new AotRequest("fb", AotTarget.parse("host"), List.of(AotEntry.of(inside, List.of(Shape.SCALAR, Shape.of(2)))),
                Set.of(), "none", List.of()), dir);
        AotFunction a = AotFunction.load(dir);
        for (int n : new int[] {0, 3, 40}) {
            List<Buffer> args = List.of(i32(n), Buffer.ofDoubles(Shape.of(2), 0.3, -1.2));
            List<Buffer> want = Interpreter.run(inside, args), got = a.run(args.toArray(Buffer[]::new));
            for (int j = 0; j < want.size(); j++) Oracle.assertClose(want.get(j), got.get(j), 0, FORWARD_BACKWARD);
        }
        Graph returned = Oracle.parse(PUSH);
        UnimplementedError e = assertThrows(UnimplementedError.class, () -> AotCompiler.compile(new AotRequest("push", AotTarget.parse("host"),
                List.of(AotEntry.of(returned, List.of(Shape.SCALAR, Shape.of(0, 3), Shape.of(3)))), Set.of(), "none", List.of()), refused));
        assertTrue(e.getMessage().startsWith("while: result 0 of @push is the stacked value of a dynamically sized TensorArray (f32[?,3])"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("(at Push.java:8)"), e.getMessage());
        assertFalse(Files.exists(refused.resolve("libpush.so")));
    }
}
