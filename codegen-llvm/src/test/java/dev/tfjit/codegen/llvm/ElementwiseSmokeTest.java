package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ElementwiseSmokeTest {
    @Test
    void addsTwoVectors() {
        String ir = """
                func @f(%a: f32[?], %b: f32[?]) -> f32[?] {
                  %0 = add %a, %b : f32[?]
                  %1 = mul %0, %0 : f32[?]
                  return %1
                }
                """;
        Buffer a = Buffer.ofFloats(Shape.of(3), 1, 2, 3), b = Buffer.ofFloats(Shape.of(3), 10, 20, 30);
        assertArrayEquals(new float[]{121, 484, 1089}, Oracle.compiled(ir, a, b).get(0).toFloatArray());
        Oracle.assertSame(ir, a, b);
    }
}
