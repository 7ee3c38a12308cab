package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Shape;
import org.junit.jupiter.api.Test;

/**
 * When several run-time errors happen, the compiled function reports the one the interpreter
 * reports: the first in program order, even when fusion emits that op inside a later op's loop.
 */
class ErrorOrderTest {
    @Test
    void aFusedProducerFailingFirstIsTheErrorReported() {
        // %0 is fused into %2's loop, which is emitted after %1: %0 still comes first.
        String ir = """
                func @f(%a: i64[?], %b: i64[?], %c: i64[?,?]) -> (i64[?], i64[?,?]) {
                  %0 = truncate_div %a, %b : i64[?] loc(Fuzz.java:4)
                  %1 = truncate_div %c, %a : i64[?,?] loc(Fuzz.java:7)
                  %2 = floor_mod %0, %b : i64[?] loc(Fuzz.java:8)
                  return %2, %1
                }
                """;
        Buffer zero = Buffer.ofLongs(Shape.of(2), 0, 0);
        Oracle.assertSameOrSameError(ir, 0, zero, zero, Buffer.ofLongs(Shape.of(3, 2), 1, 2, 3, 4, 5, 6));
        Oracle.assertSameOrSameError(ir, 0, Buffer.ofLongs(Shape.of(2), 5, 0), Buffer.ofLongs(Shape.of(2), 1, 0),
                Buffer.ofLongs(Shape.of(3, 2), 1, 2, 3, 4, 5, 6));
    }
}
