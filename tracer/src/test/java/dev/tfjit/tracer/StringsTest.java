package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.tracer.TfStrings.Unit;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class StringsTest {
    @Test
    void lowerFollowsTheSeedExample() {
        Tensor s1 = Tf.constant("Hello Tensorflow!");
        assertEquals("hello tensorflow!", Tf.strings.lower(s1).stringValue());
        assertEquals("HELLO TENSORFLOW!", s1.upper().stringValue());
    }

    @Test
    void caseChangesTouchOnlyAsciiUnlessUtf8IsAsked() {
        Tensor s = Tf.constant(new String[] {"café", "ÉTÉ"});
        assertArrayEquals(new String[] {"CAFé", "ÉTÉ"}, Tf.strings.upper(s).toStringArray());
        assertArrayEquals(new String[] {"CAFÉ", "ÉTÉ"}, Tf.strings.upper(s, "utf-8").toStringArray());
        assertArrayEquals(new String[] {"café", "été"}, Tf.strings.lower(s, "utf-8").toStringArray());
        assertThrows(InvalidArgumentError.class, () -> Tf.strings.upper(s, "latin-1"));
    }

    @Test
    void lengthCountsBytesOrCharacters() {
        Tensor s = Tf.constant(new String[][] {{"abc", "café"}, {"", "😀"}});
        Tensor bytes = Tf.strings.length(s);
        assertEquals(DType.INT32, bytes.dtype());
        assertEquals(Shape.of(2, 2), bytes.shape());
        assertArrayEquals(new int[] {3, 5, 0, 4}, bytes.toIntArray());
        assertArrayEquals(new int[] {3, 4, 0, 1}, Tf.strings.length(s, Unit.UTF8_CHAR).toIntArray());
        assertEquals(5, Tf.constant("hello").stringLength().intValue());
        assertThrows(DTypeError.class, () -> Tf.strings.length(Tf.constant(1)));
    }

    @Test
    void joinConcatenatesElementwiseWithScalarsRepeated() {
        Tensor a = Tf.constant(new String[] {"a", "b"});
        Tensor b = Tf.constant(new String[] {"x", "y"});
        assertArrayEquals(new String[] {"a-x", "b-y"}, Tf.strings.join(List.of(a, b), "-").toStringArray());
        assertArrayEquals(new String[] {"a!", "b!"}, Tf.strings.join(List.of(a, Tf.constant("!"))).toStringArray());
        assertEquals("pq", Tf.strings.join(List.of(Tf.constant("p"), Tf.constant("q"))).stringValue());
        var e = assertThrows(InvalidArgumentError.class,
                () -> Tf.strings.join(List.of(a, Tf.constant(new String[] {"1", "2", "3"}))));
        assertTrue(e.getMessage().contains("Input shapes do not match: [2] vs. [3]"), e.getMessage());
    }

    @Test
    void concatIsTensorFlowsStringAddWithBroadcasting() {
        Tensor col = Tf.constant(new String[][] {{"a"}, {"b"}});
        Tensor row = Tf.constant(new String[] {"1", "2", "3"});
        Tensor c = Tf.strings.concat(col, row);
        assertEquals(Shape.of(2, 3), c.shape());
        assertArrayEquals(new String[] {"a1", "a2", "a3", "b1", "b2", "b3"}, c.toStringArray());
        assertEquals(Shape.of(0), Tf.strings.concat(Tf.constant(new String[0]), Tf.constant("z")).shape());
        assertThrows(ShapeError.class, () -> Tf.strings.concat(row, Tf.constant(new String[] {"1", "2"})));
        assertThrows(DTypeError.class, () -> Tf.strings.concat(row, Tf.constant(1)));
    }

    @Test
    void substrTakesBytesFromAPositionCountingNegativesFromTheEnd() {
        Tensor s = Tf.constant(new String[] {"Hello", "World"});
        assertArrayEquals(new String[] {"ell", "orl"}, Tf.strings.substr(s, 1, 3).toStringArray());
        assertArrayEquals(new String[] {"lo", "ld"}, Tf.strings.substr(s, -2, 5).toStringArray());
        assertArrayEquals(new String[] {"", ""}, s.substr(5, 1).toStringArray());
        Tensor pos = Tf.constant(new int[] {0, 4}), len = Tf.constant(new int[] {2, 1});
        assertArrayEquals(new String[] {"He", "d"}, Tf.strings.substr(s, pos, len, Unit.BYTE).toStringArray());
    }

    @Test
    void substrCanCountCharacters() {
        Tensor s = Tf.constant("naïve😀!");
        assertEquals("ïve😀", Tf.strings.substr(s, 2, 4, Unit.UTF8_CHAR).stringValue());
        assertEquals("😀!", Tf.strings.substr(s, -2, 2, Unit.UTF8_CHAR).stringValue());
        assertEquals("na", Tf.strings.substr(s, 0, 2).stringValue());
    }

    @Test
    void substrOutOfRangeIsTensorFlowsError() {
        var e = assertThrows(InvalidArgumentError.class, () -> Tf.strings.substr(Tf.constant(new String[] {"abc"}), 4, 1));
        assertTrue(e.getMessage().contains("pos 4 out of range for string b'abc' at index 0"), e.getMessage());
        assertThrows(InvalidArgumentError.class, () -> Tf.strings.substr(Tf.constant("abc"), -4, 1));
        assertThrows(ShapeError.class, () -> Tf.strings.substr(Tf.constant(new String[] {"a", "b"}),
                Tf.constant(new int[] {0, 0, 0}), Tf.constant(1), Unit.BYTE));
    }

    @Test
    void equalityOfStringsUsesTheElementwiseEqual() {
        assertArrayEquals(new boolean[] {true, false},
                Tf.equal(Tf.constant(new String[] {"a", "b"}), Tf.constant("a")).toBooleanArray());
    }
}
