package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** argmax/argmin: lowest index on ties, NaN never wins, every axis and dtype as the interpreter. */
class ArgReduceTest {
    private static String ir(String op, DType t, int axis, String in, String out, DType outType) {
        return """
                func @arg(%x: T%IN) -> O%OUT {
                  %0 = OP %x {axis=AX, output_type=OT} : O%OUT
                  return %0
                }
                """.replace("T%IN", t.shortName() + in).replace("O%OUT", outType.shortName() + out).replace("OP", op)
                .replace("AX", Integer.toString(axis)).replace("OT", outType.shortName());
    }

    @Test
    void tiesKeepTheFirstIndexAndNaNIsSkipped() {
        Buffer x = Buffer.ofFloats(Shape.of(3, 3), 1, 5, 5, Float.NaN, 2, 1, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY);
        assertArrayEquals(new long[]{1, 1, 0}, Oracle.compiled(ir("argmax", DType.FLOAT32, 1, "[?,?]", "[?]", DType.INT64), x).get(0).toLongArray());
        assertArrayEquals(new int[]{0, 2, 0}, Oracle.compiled(ir("argmin", DType.FLOAT32, 1, "[?,?]", "[?]", DType.INT32), x).get(0).toIntArray());
    }

    @Test
    void everyAxisAndDTypeMatchesTheInterpreter() {
        for (DType t : new DType[]{DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16, DType.INT8, DType.UINT8, DType.INT16, DType.INT32, DType.INT64}) {
            for (String op : new String[]{"argmax", "argmin"}) {
                for (int axis : new int[]{0, 1, 2, -1}) {
                    Oracle.assertSame(ir(op, t, axis, "[?,?,?]", "[?,?]", DType.INT64), TestData.mixed(t, Shape.of(3, 4, 5), axis + 7));
                }
                Oracle.assertSame(ir(op, t, 0, "[?]", "[]", DType.INT32), TestData.mixed(t, Shape.of(17), 2));
                Oracle.assertSame(ir(op, t, 1, "[?,?]", "[?]", DType.INT32), TestData.mixed(t, Shape.of(0, 4), 2));
            }
        }
    }
}
