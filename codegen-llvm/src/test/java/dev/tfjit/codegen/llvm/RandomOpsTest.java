package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.kernels.random.PhiloxStreams;
import dev.tfjit.ir.kernels.random.RandomStream;
import dev.tfjit.runtime.Executable;
import dev.tfjit.runtime.Interpreter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The stateful random ops compiled: every op and dtype, over several calls, equals the
 * interpreter bit for bit, because both draw from the same streams with the same algorithm;
 * and they share those streams, so a compiled call continues where an interpreted one stopped.
 */
class RandomOpsTest {
    private static final LlvmBackend BACKEND = new LlvmBackend();
    private static final int CALLS = 3;

    @AfterEach
    void forgetStreams() { PhiloxStreams.reset(); }

    /** Shapes with 0 and 1 dims, a partial last block, and one large enough to split across the worker pool. */
    private static final String[] SHAPES = {"[]", "[0]", "[1]", "[7]", "[3,5]", "[2,0,3]", "[1,1,9]", "[300003]"};

    private static String shapeType(String dtype, String dims) { return dtype + dims; }

    private static String generator(String op, String dtype, String dims) {
        String type = shapeType(dtype, dims);
        return """
                func @g() -> TYPE {
                  %0 = OP {shape=DIMS, dtype=DT, seed=7, seed2=11, stream=3} : TYPE
                  return %0
                }
                """.replace("TYPE", type).replace("OP", op).replace("DIMS", dims).replace("DT", dtype);
    }

    /**
     * Runs {@code ir} {@link #CALLS} times on the interpreter from fresh streams, then as many
     * times compiled from fresh streams, and compares each call's results.
     */
    private static void assertSameStreams(String ir, Buffer... args) { assertSameStreams(ir, true, args); }

    /** {@code differs}: the op draws enough that two calls cannot agree by chance (a shuffle of two rows can). */
    private static void assertSameStreams(String ir, boolean differs, Buffer... args) {
        Graph g = Oracle.parse(ir);
        PhiloxStreams.reset();
        List<List<Buffer>> want = new ArrayList<>();
        for (int c = 0; c < CALLS; c++) want.add(Interpreter.run(g, List.of(args)));
        PhiloxStreams.reset();
        Executable compiled = BACKEND.compile(g);
        for (int c = 0; c < CALLS; c++) {
            List<Buffer> got = compiled.run(List.of(args));
            for (int i = 0; i < got.size(); i++) Oracle.assertClose(want.get(c).get(i), got.get(i), 0, "call " + c + "\n" + ir);
        }
        if (differs && want.get(0).get(0).size() > 1) {
            assertFalse(same(want.get(0).get(0), want.get(1).get(0)), "the second call continues the stream\n" + ir);
        }
    }

    /** {@code "[3,5]"} as a shape. */
    private static Shape dims(String s) {
        String inner = s.substring(1, s.length() - 1);
        return inner.isEmpty() ? Shape.SCALAR : Shape.of(Arrays.stream(inner.split(",")).mapToInt(Integer::parseInt).toArray());
    }

    private static boolean same(Buffer a, Buffer b) {
        return Arrays.equals(a.segment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), b.segment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
    }

    @Test
    void uniformFloatsOfEveryFloatDtype() {
        for (String dt : List.of("f32", "f64", "f16", "bf16")) {
            for (String s : SHAPES) assertSameStreams(generator("random_uniform", dt, s));
        }
    }

    @Test
    void standardNormalsOfEveryFloatDtype() {
        for (String dt : List.of("f32", "f64", "f16", "bf16")) {
            for (String s : SHAPES) assertSameStreams(generator("random_standard_normal", dt, s));
        }
    }

    @Test
    void truncatedNormalsOfEveryFloatDtype() {
        for (String dt : List.of("f32", "f64", "f16", "bf16")) {
            for (String s : SHAPES) assertSameStreams(generator("truncated_normal", dt, s));
        }
    }

    private static String uniformInt(String dt, String dims) {
        return """
                func @u(%lo: DT[], %hi: DT[]) -> DT DIMS {
                  %0 = random_uniform_int %lo, %hi {shape=DIMS, seed=5, seed2=9, stream=4} : DT DIMS
                  return %0
                }
                """.replace("DT DIMS", dt + dims).replace("DIMS", dims).replace("DT", dt);
    }

    @Test
    void uniformIntegersFromRunTimeBounds() {
        for (String s : SHAPES) {
            assertSameStreams(uniformInt("i32", s), Buffer.ofInts(Shape.SCALAR, -3), Buffer.ofInts(Shape.SCALAR, 1000));
            assertSameStreams(uniformInt("i32", s), Buffer.ofInts(Shape.SCALAR, Integer.MIN_VALUE), Buffer.ofInts(Shape.SCALAR, Integer.MAX_VALUE));
            assertSameStreams(uniformInt("i64", s), Buffer.ofLongs(Shape.SCALAR, -5), Buffer.ofLongs(Shape.SCALAR, 1L << 40));
            assertSameStreams(uniformInt("i64", s), Buffer.ofLongs(Shape.SCALAR, Long.MIN_VALUE), Buffer.ofLongs(Shape.SCALAR, Long.MAX_VALUE));
        }
    }

    @Test
    void uniformIntegersFromConstantBounds() {
        assertSameStreams("""
                func @u() -> i32[1000] {
                  %lo = constant {value=dense<i32[]: 10>} : i32[]
                  %hi = constant {value=dense<i32[]: 17>} : i32[]
                  %0 = random_uniform_int %lo, %hi {shape=[1000], seed=1, seed2=2, stream=5} : i32[1000]
                  return %0
                }
                """);
    }

    /** An empty range fails as the interpreter fails, naming the bounds, and draws nothing: the next call continues as if it had not happened. */
    @Test
    void anEmptyRangeIsTheInterpretersErrorAndDrawsNothing() {
        String ir = uniformInt("i32", "[6]");
        Buffer lo = Buffer.ofInts(Shape.SCALAR, 4), good = Buffer.ofInts(Shape.SCALAR, 9), bad = Buffer.ofInts(Shape.SCALAR, 4);
        Graph g = Oracle.parse(ir);
        InvalidArgumentError want = assertThrows(InvalidArgumentError.class, () -> Interpreter.run(g, List.of(lo, bad)));
        Buffer next = Interpreter.run(g, List.of(lo, good)).get(0);
        PhiloxStreams.reset();
        Executable c = BACKEND.compile(g);
        InvalidArgumentError got = assertThrows(InvalidArgumentError.class, () -> c.run(List.of(lo, bad)));
        assertEquals(want.getMessage(), got.getMessage());
        assertTrue(got.getMessage().contains("Need minval < maxval: 4 >= 4"), got.getMessage());
        Oracle.assertClose(next, c.run(List.of(lo, good)).get(0), 0, ir);
    }

    @Test
    void shuffleOfEveryShapeAndDtype() {
        for (String dt : List.of("f32", "f64", "i32", "i64", "bool", "f16", "u8")) {
            for (String s : List.of("[]", "[0]", "[1]", "[1,4]", "[2]", "[5,0]", "[4,3]", "[7]", "[33,2,2]", "[1000]")) {
                String ir = """
                        func @s(%x: T) -> T {
                          %0 = random_shuffle %x {seed=3, seed2=4, stream=6} : T
                          return %0
                        }
                        """.replace("T", dt + s);
                Shape shape = dims(s);
                Buffer x = Buffer.allocate(DType.fromShortName(dt), shape);
                for (long i = 0; i < x.size(); i++) x.setLong(i, dt.equals("bool") ? i % 2 : i % 250);
                assertSameStreams(ir, !dt.equals("bool") && shape.rank() > 0 && shape.dim(0) > 6 && shape.numElements() > 0, x);
            }
        }
    }

    /** The streams are the interpreter's own: calls alternating between the backends continue one sequence. */
    @Test
    void compiledAndInterpretedCallsContinueOneStream() {
        String ir = generator("random_standard_normal", "f32", "[5]");
        Graph g = Oracle.parse(ir);
        List<Buffer> reference = new ArrayList<>();
        for (int c = 0; c < 4; c++) reference.add(Interpreter.run(g, List.of()).get(0));
        PhiloxStreams.reset();
        Executable compiled = BACKEND.compile(g);
        for (int c = 0; c < 4; c++) {
            Buffer got = c % 2 == 0 ? compiled.run(List.of()).get(0) : Interpreter.run(g, List.of()).get(0);
            Oracle.assertClose(reference.get(c), got, 0, "call " + c);
        }
        assertEquals(4L * 5 * RandomStream.RESERVED_PER_OUTPUT,
                new RandomStream("random_standard_normal:f32#3", 7, 11).shared().counterLow());
    }

    /** A random op in a loop body draws once per iteration, in a branch only when the branch runs. */
    @Test
    void randomOpsInsideWhileAndCondBodies() {
        String loop = """
                func @l(%n: i32[]) -> f32[4] {
                  %0 = constant {value=dense<i32[]: 0>} : i32[]
                  %1 = constant {value=dense<i32[]: 1>} : i32[]
                  %z = constant {value=dense<f32[4]: 0.0, 0.0, 0.0, 0.0>} : f32[4]
                  %2, %3 = while %0, %z : i32[], f32[4] {
                  ^(%i: i32[], %acc: f32[4]):
                    %c = less %i, %n : bool[]
                    yield %c
                  } {
                  ^(%j: i32[], %a: f32[4]):
                    %r = random_standard_normal {shape=[4], dtype=f32, seed=1, seed2=1, stream=21} : f32[4]
                    %s = add %a, %r : f32[4]
                    %k = add %j, %1 : i32[]
                    yield %k, %s
                  }
                  return %3
                }
                """;
        for (int n : new int[] {0, 1, 5}) assertSameStreams(loop, n > 0, Buffer.ofInts(Shape.SCALAR, n));
        String branch = """
                func @b(%p: bool[], %x: f32[3]) -> f32[3] {
                  %0 = cond %p, %x : f32[3] {
                  ^(%a: f32[3]):
                    %u = random_uniform {shape=[3], dtype=f32, seed=2, seed2=2, stream=22} : f32[3]
                    %1 = mul %a, %u : f32[3]
                    yield %1
                  } {
                  ^(%b: f32[3]):
                    %2 = neg %b : f32[3]
                    yield %2
                  }
                  return %0
                }
                """;
        Buffer x = Buffer.ofFloats(Shape.of(3), 1, 2, 3);
        Graph g = Oracle.parse(branch);
        boolean[] taken = {true, false, false, true, true};
        List<Buffer> want = new ArrayList<>();
        for (boolean t : taken) want.add(Interpreter.run(g, List.of(Buffer.ofBooleans(Shape.SCALAR, t), x)).get(0));
        PhiloxStreams.reset();
        Executable c = BACKEND.compile(g);
        for (int i = 0; i < taken.length; i++) {
            Oracle.assertClose(want.get(i), c.run(List.of(Buffer.ofBooleans(Shape.SCALAR, taken[i]), x)).get(0), 0, "call " + i);
        }
    }

    /** Two seeded nodes in one function have their own streams (each TF graph kernel owns its generator); a consumer fuses after them. */
    @Test
    void twoNodesInOneFunctionAndAFusedDropoutMask() {
        assertSameStreams("""
                func @d(%x: f32[64,33]) -> (f32[64,33], f32[2]) {
                  %u = random_uniform {shape=[64,33], dtype=f32, seed=4, seed2=8, stream=31} : f32[64,33]
                  %rate = constant {value=dense<f32[]: 0.25>} : f32[]
                  %keep = greater_equal %u, %rate : bool[64,33]
                  %m = cast %keep {dtype=f32} : f32[64,33]
                  %y = mul %x, %m : f32[64,33]
                  %s = constant {value=dense<f32[]: 1.3333334>} : f32[]
                  %z = mul %y, %s : f32[64,33]
                  %n = random_uniform {shape=[2], dtype=f32, seed=4, seed2=8, stream=32} : f32[2]
                  return %z, %n
                }
                """, TestData.uniform(DType.FLOAT32, Shape.of(64, 33), 1, 3.0, false));
    }

    /** Concurrent calls draw disjoint blocks, as concurrent interpreted calls do: no two calls see the same numbers. */
    @Test
    void concurrentCallsNeverDrawTheSameNumbers() throws Exception {
        Executable c = BACKEND.compile(Oracle.parse(generator("random_uniform", "f64", "[8]")));
        int threads = 4, each = 200;
        Set<Double> seen = ConcurrentHashMap.newKeySet();
        Thread[] ts = new Thread[threads];
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            ts[t] = new Thread(() -> {
                try {
                    for (int i = 0; i < each; i++) for (double v : c.run(List.of()).get(0).toDoubleArray()) assertTrue(seen.add(v), "drawn twice: " + v);
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) t.join();
        assertEquals(List.of(), failures);
        assertEquals((long) threads * each * 8, seen.size());
        assertEquals((long) threads * each * 8 * RandomStream.RESERVED_PER_OUTPUT,
                new RandomStream("random_uniform:f64#3", 7, 11).shared().counterLow());
    }

    /** The large shape of the tests above does take the parallel split (its numbers are checked there), small ones do not. */
    @Test
    void largeOutputsSplitAcrossTheWorkerPool() {
        assertTrue(NativeJit.get().parallel());
        for (String op : List.of("random_uniform", "random_standard_normal", "truncated_normal")) {
            assertTrue(llvmIr(generator(op, "f32", "[300003]")).contains("@tfjit_parallel_for("), op);
            assertFalse(llvmIr(generator(op, "f32", "[3,5]")).contains("@tfjit_parallel_for("), op);
        }
        assertTrue(llvmIr(uniformInt("i64", "[300003]")).contains("@tfjit_parallel_for("));
    }

    private static String llvmIr(String ir) {
        Graph g = Oracle.parse(ir);
        List<Shape> shapes = g.params().stream().map(p -> p.type().shape()).toList();
        ConcreteTypes types = ConcreteTypes.infer(g, shapes);
        return FunctionEmitter.emit(g, types, FusionPlan.of(g, types), "random_test", NativeJit.get().moduleHeader()).ir();
    }

    /** Without seeds each stream starts at random; compiled calls still differ from call to call. */
    @Test
    void unseededOpsDifferEveryCall() {
        Executable c = BACKEND.compile(Oracle.parse("""
                func @g() -> f32[16] {
                  %0 = random_uniform {shape=[16], dtype=f32, seed=0, seed2=0, stream=41} : f32[16]
                  return %0
                }
                """));
        assertFalse(same(c.run(List.of()).get(0), c.run(List.of()).get(0)));
    }
}
