package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.ir.kernels.random.PhiloxStreams;
import dev.tfjit.runtime.Executable;
import dev.tfjit.runtime.Interpreter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Random ops whose shape is an operand ({@code random_uniform %s}): compiled per concrete
 * argument shapes, where {@code shape(x)} is a compile-time value, they draw the interpreter's
 * numbers bit for bit for every batch size of a function traced with an unknown batch.
 */
class RandomShapeOperandTest {
    private static final LlvmBackend BACKEND = new LlvmBackend();

    @AfterEach
    void forgetStreams() { PhiloxStreams.reset(); }

    private static final String EVERY_OP = """
            func @r(%x: f32[?,5], %lo: i64[], %hi: i64[]) -> (f32[?,5], f64[?,5], f32[?,5], i64[?,5]) {
              %s = shape %x : i32[2]
              %s64 = shape %x {out_type=i64} : i64[2]
              %u = random_uniform %s {dtype=f32, seed=3, seed2=4, shape=[-1, 5], stream=21} : f32[?,5]
              %n = random_standard_normal %s64 {dtype=f64, seed=3, seed2=4, shape=[-1, 5], stream=22} : f64[?,5]
              %t = truncated_normal %s {dtype=f32, seed=3, seed2=4, stream=23} : f32[?,?]
              %t2 = add %t, %x : f32[?,5]
              %i = random_uniform_int %lo, %hi, %s {seed=3, seed2=4, shape=[-1, 5], stream=24} : i64[?,5]
              return %u, %n, %t2, %i
            }
            """;

    @Test
    void everyOpOfAnUnknownBatchEqualsTheInterpreterForEachBatchSize() {
        Graph g = Oracle.parse(EVERY_OP);
        Buffer lo = Buffer.ofLongs(Shape.SCALAR, -7), hi = Buffer.ofLongs(Shape.SCALAR, 100);
        int[] batches = {4, 1, 0, 4, 3};
        List<List<Buffer>> want = new ArrayList<>();
        for (int b : batches) want.add(Interpreter.run(g, List.of(Buffer.allocate(DType.FLOAT32, Shape.of(b, 5)), lo, hi)));
        PhiloxStreams.reset();
        Executable compiled = BACKEND.compile(g);
        for (int c = 0; c < batches.length; c++) {
            List<Buffer> got = compiled.run(List.of(Buffer.allocate(DType.FLOAT32, Shape.of(batches[c], 5)), lo, hi));
            for (int i = 0; i < got.size(); i++) {
                assertEquals(Shape.of(batches[c], 5), got.get(i).shape());
                Oracle.assertClose(want.get(c).get(i), got.get(i), 0, "call " + c + " result " + i);
            }
        }
    }

    @Test
    void aShapeKnownOnlyAtRunTimeIsAClearCompileError() {
        Graph g = Oracle.parse("""
                func @r(%s: i32[2]) -> f32[?,?] {
                  %u = random_uniform %s {dtype=f32, seed=3, seed2=4, stream=25} : f32[?,?]
                  return %u
                }
                """);
        Executable compiled = BACKEND.compile(g);
        UnimplementedError e = assertThrows(UnimplementedError.class, () -> compiled.run(List.of(Buffer.ofInts(Shape.of(2), 2, 3))));
        assertTrue(e.getMessage().startsWith("random_uniform: ") && e.getMessage().contains("need static shapes"), e.getMessage());
    }
}
