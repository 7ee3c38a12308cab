package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
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

/** One executable called from several threads at once, with shapes that compile on first use. */
class ConcurrencyTest {
    @Test
    void threadsSharingOneExecutableGetCorrectResults() throws Exception {
        String ir = """
                func @shared(%x: f32[?,?], %y: f32[?]) -> (f32[?,?], f32[?]) {
                  %0 = mul %x, %y : f32[?,?]
                  %1 = relu %0 : f32[?,?]
                  %2 = reduce_sum %1 {axis=[0]} : f32[?]
                  return %1, %2
                }
                """;
        Graph g = Oracle.parse(ir);
        Executable exe = new LlvmBackend().compile(g);
        List<List<Buffer>> inputs = new ArrayList<>();
        List<List<Buffer>> expected = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            Shape s = Shape.of(3 + k % 3, 20 + k % 2);
            List<Buffer> args = List.of(TestData.uniform(DType.FLOAT32, s, k, 5, false),
                    TestData.uniform(DType.FLOAT32, Shape.of(s.dim(1)), k + 100, 5, false));
            inputs.add(args);
            expected.add(Interpreter.run(g, args));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 60; i++) {
                        int k = (i + offset) % inputs.size();
                        List<Buffer> got = exe.run(inputs.get(k));
                        for (int j = 0; j < got.size(); j++) assertTrue(expected.get(k).get(j).contentEquals(got.get(j)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        }
        assertEquals(6, ((LlvmExecutable) exe).compiledSignatures());
    }
}
