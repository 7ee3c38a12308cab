package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.runtime.Executable;
import dev.tfjit.runtime.Interpreter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Kernels large enough to run on both cores ({@link ParallelLoop}, {@link WorkerPool}): odd sizes
 * that split unevenly, flat loops and nests, row-split and tree-split reductions, errors raised in
 * the worker's part, and several Java threads competing for the one worker. Bit-exact against the
 * interpreter, like everything else.
 */
class ParallelSplitTest {
    private static Buffer f32(Shape s, long seed) { return TestData.uniform(DType.FLOAT32, s, seed, 10, false); }

    @Test
    void theWorkerPoolIsLinked() { assertTrue(NativeJit.get().parallel(), "x86_64 and aarch64 hosts split loops"); }

    @Test
    void largeElementwiseChainsWithOddSizes() {
        String ir = """
                func @act(%a: f32[?], %b: f32[?], %c: f32[?]) -> f32[?] {
                  %half = constant {value=dense<f32[]: 0.5>} : f32[]
                  %0 = tanh %a : f32[?]
                  %1 = sigmoid %b : f32[?]
                  %2 = mul %0, %1 : f32[?]
                  %3 = relu %c : f32[?]
                  %4 = mul %3, %half : f32[?]
                  %5 = add %2, %4 : f32[?]
                  return %5
                }
                """;
        for (int n : new int[] {1_000_003, 1 << 20, 65_537}) {
            Shape s = Shape.of(n);
            Oracle.assertSame(ir, f32(s, 1), f32(s, 2), TestData.mixed(DType.FLOAT32, s, 4));
        }
    }

    @Test
    void broadcastNestsSplitTheirOuterLoop() {
        String ir = """
                func @bc(%x: f32[?,?], %y: f32[?]) -> f32[?,?] {
                  %0 = mul %x, %y : f32[?,?]
                  %1 = exp %0 : f32[?,?]
                  return %1
                }
                """;
        Oracle.assertSame(ir, f32(Shape.of(1001, 1003), 1), TestData.uniform(DType.FLOAT32, Shape.of(1003), 2, 1, false));
        Oracle.assertSame(ir, f32(Shape.of(3, 400_001), 3), TestData.uniform(DType.FLOAT32, Shape.of(400_001), 4, 1, false));
    }

    @Test
    void longSumsSplitAtTheTopOfTheirPairwiseTree() {
        String ir = """
                func @sums(%x: f32[?], %y: f32[?], %d: f64[?]) -> (f32[], f32[], f64[], f32[]) {
                  %0 = mul %x, %y : f32[?]
                  %1 = reduce_sum %0 : f32[]
                  %2 = reduce_mean %x : f32[]
                  %3 = reduce_sum %d : f64[]
                  %4 = reduce_max %x : f32[]
                  return %1, %2, %3, %4
                }
                """;
        for (int n : new int[] {1_000_003, 4_194_304, 600_001}) {
            Shape s = Shape.of(n);
            Oracle.assertSame(ir, f32(s, 1), f32(s, 2), TestData.uniform(DType.FLOAT64, s, 3, 5, false));
        }
        Shape s = Shape.of(700_001);
        Oracle.assertSame(ir, TestData.mixed(DType.FLOAT32, s, 2), f32(s, 5), TestData.mixed(DType.FLOAT64, s, 4));
    }

    @Test
    void reductionsSplitTheirRows() {
        String ir = """
                func @rows(%x: f32[?,?], %i: i32[?,?]) -> (f32[?], f32[?], f32[?], i32[?], f32[?]) {
                  %0 = reduce_sum %x {axis=[1]} : f32[?]
                  %1 = reduce_sum %x {axis=[0]} : f32[?]
                  %2 = reduce_min %x {axis=[1]} : f32[?]
                  %3 = reduce_sum %i {axis=[1]} : i32[?]
                  %4 = reduce_mean %x {axis=[0]} : f32[?]
                  return %0, %1, %2, %3, %4
                }
                """;
        Shape s = Shape.of(777, 1001);
        Oracle.assertSame(ir, f32(s, 1), TestData.uniform(DType.INT32, s, 2, 1000, false));
        Oracle.assertSame(ir, TestData.mixed(DType.FLOAT32, s, 2), TestData.mixed(DType.INT32, s, 4));
    }

    @Test
    void anErrorInEitherPartIsReported() {
        String ir = """
                func @div(%x: i32[?], %y: i32[?]) -> i32[?] {
                  %0 = floor_div %x, %y : i32[?]
                  return %0
                }
                """;
        int n = 1_000_001;
        for (int zeroAt : new int[] {3, n - 2}) { // in the caller's part, in the worker's
            Buffer x = TestData.uniform(DType.INT32, Shape.of(n), 1, 100, false);
            Buffer y = TestData.uniform(DType.INT32, Shape.of(n), 2, 100, true);
            y.setLong(zeroAt, 0);
            InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> Oracle.compiled(ir, x, y));
            assertTrue(e.getMessage().contains("Integer division by zero"), e.getMessage());
        }
    }

    @Test
    void threadsCompetingForTheWorkerGetCorrectResults() throws Exception {
        String ir = """
                func @busy(%x: f32[?,?]) -> (f32[?,?], f32[?]) {
                  %0 = tanh %x : f32[?,?]
                  %1 = reduce_sum %0 {axis=[1]} : f32[?]
                  return %0, %1
                }
                """;
        Graph g = Oracle.parse(ir);
        Executable exe = new LlvmBackend().compile(g);
        List<List<Buffer>> inputs = new ArrayList<>(), expected = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            List<Buffer> args = List.of(f32(Shape.of(301 + k, 2049), k));
            inputs.add(args);
            expected.add(Interpreter.run(g, args));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int offset = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        int k = (i + offset) % inputs.size();
                        List<Buffer> got = exe.run(inputs.get(k));
                        for (int j = 0; j < got.size(); j++) assertTrue(expected.get(k).get(j).contentEquals(got.get(j)), "call " + i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        }
    }
}
