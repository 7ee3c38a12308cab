package dev.tfjit.ir.format;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** tf.print's format (TensorFlow's SummarizeValue), as TF 2 prints these values. */
class PrintFormatTest {

    @Test
    void floatsUseShortestPercentGWithoutATrailingDot() {
        assertEquals("[1 2.5 -0.1]", PrintFormat.format(Buffer.ofFloats(Shape.of(3), 1f, 2.5f, -0.1f)));
        assertEquals("3.14159274", PrintFormat.format(Buffer.ofFloats(Shape.SCALAR, (float) Math.PI)));
        assertEquals("1e-07", PrintFormat.format(Buffer.ofFloats(Shape.SCALAR, 1e-7f)));
        assertEquals("1.5e+20", PrintFormat.format(Buffer.ofFloats(Shape.SCALAR, 1.5e20f)));
        assertEquals("[nan inf -inf -0]", PrintFormat.format(Buffer.ofFloats(Shape.of(4),
                Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f)));
        assertEquals("0.1", PrintFormat.format(Buffer.ofDoubles(Shape.SCALAR, 0.1)));
    }

    @Test
    void intsBoolsAndStrings() {
        assertEquals("[[1 2]\n[3 4]]", PrintFormat.format(Buffer.ofInts(Shape.of(2, 2), 1, 2, 3, 4)));
        assertEquals("[1 0]", PrintFormat.format(Buffer.ofBooleans(Shape.of(2), true, false)));
        assertEquals("hello", PrintFormat.format(Buffer.ofStrings(Shape.SCALAR, "hello")));
        assertEquals("[\"a\" \"b\"]", PrintFormat.format(Buffer.ofStrings(Shape.of(2), "a", "b")));
    }

    @Test
    void longDimensionsAreSummarized() {
        int[] v = new int[10];
        for (int i = 0; i < v.length; i++) v[i] = i;
        assertEquals("[0 1 2 ... 7 8 9]", PrintFormat.format(Buffer.ofInts(Shape.of(10), v)));
        assertEquals("[0 1 2 3 4 5 6 7 8 9]", PrintFormat.format(Buffer.ofInts(Shape.of(10), v), -1));
        assertEquals("[0 1 2 3 4 5]", PrintFormat.format(Buffer.ofInts(Shape.of(6), 0, 1, 2, 3, 4, 5)));
        assertEquals("[]", PrintFormat.format(Buffer.allocate(DType.FLOAT32, 0)));
    }
}
