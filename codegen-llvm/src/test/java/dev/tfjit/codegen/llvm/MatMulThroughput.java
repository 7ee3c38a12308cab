package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Shape;
import dev.tfjit.runtime.Executable;
import dev.tfjit.runtime.Interpreter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.List;

/**
 * Prints float32 matmul GFLOP/s of the compiled kernel and the interpreter (not an assertion:
 * timings depend on the machine). Run with {@code -Dtfjit.bench=true -Dtest=MatMulThroughput}.
 */
@EnabledIfSystemProperty(named = "tfjit.bench", matches = "true")
class MatMulThroughput {
    @Test
    void printBatchedGflops() {
        for (int batches : new int[]{8, 256}) batched(batches);
    }

    private static void batched(int batches) {
        Graph g = Oracle.parse("func @bmm(%a: f32[?,?,?], %b: f32[?,?,?]) -> f32[?,?,?] {\n  %0 = matmul %a, %b : f32[?,?,?]\n  return %0\n}\n");
        Shape s = Shape.of(batches, 64, 64);
        List<Buffer> args = List.of(TestData.uniform(DType.FLOAT32, s, 1, 1, false), TestData.uniform(DType.FLOAT32, s, 2, 1, false));
        Executable exe = new LlvmBackend().compile(g);
        double best = Double.MAX_VALUE;
        long until = System.nanoTime() + 2_000_000_000L;
        for (int i = 0; i < 5 || System.nanoTime() < until; i++) {
            long t0 = System.nanoTime();
            exe.run(args);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        System.out.printf("batched matmul f32 %d x 64^3: llvm %.1f GFLOP/s (%.3f ms)%n", batches, 2.0 * batches * 64 * 64 * 64 / best / 1e9, best * 1e3);
    }

    @Test
    void printGflops() {
        for (int n : new int[]{256, 512, 1024}) {
            Graph g = Oracle.parse("func @mm(%a: f32[?,?], %b: f32[?,?]) -> f32[?,?] {\n  %0 = matmul %a, %b : f32[?,?]\n  return %0\n}\n");
            List<Buffer> args = List.of(TestData.uniform(DType.FLOAT32, Shape.of(n, n), 1, 1, false), TestData.uniform(DType.FLOAT32, Shape.of(n, n), 2, 1, false));
            Executable exe = new LlvmBackend().compile(g);
            double flops = 2.0 * n * n * n;
            double best = Double.MAX_VALUE;
            long until = System.nanoTime() + 3_000_000_000L;
            for (int i = 0; i < 5 || System.nanoTime() < until; i++) {
                long t0 = System.nanoTime();
                exe.run(args);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            double interp = Double.MAX_VALUE;
            for (int i = 0; i < 2; i++) {
                long t0 = System.nanoTime();
                Interpreter.run(g, args);
                interp = Math.min(interp, (System.nanoTime() - t0) / 1e9);
            }
            // The cost of a call with the same arguments and result that does almost nothing: the floor under the kernel's time.
            Executable add = new LlvmBackend().compile(Oracle.parse(
                    "func @add(%a: f32[?,?], %b: f32[?,?]) -> f32[?,?] {\n  %0 = add %a, %b : f32[?,?]\n  return %0\n}\n"));
            double floor = Double.MAX_VALUE;
            for (int i = 0; i < 200; i++) {
                long t0 = System.nanoTime();
                add.run(args);
                floor = Math.min(floor, (System.nanoTime() - t0) / 1e9);
            }
            System.out.printf("matmul f32 %d^3: llvm %.1f GFLOP/s (%.3f ms), interpreter %.1f GFLOP/s (%.3f ms); an elementwise add of the same operands takes %.3f ms%n",
                    n, flops / best / 1e9, best * 1e3, flops / interp / 1e9, interp * 1e3, floor * 1e3);
        }
    }
}
