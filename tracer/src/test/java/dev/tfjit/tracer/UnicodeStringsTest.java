package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.tracer.TfStrings.Unit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class UnicodeStringsTest {
    @Test
    void theSeedsCafeExample() {
        // a byte string: "café" is 5 UTF-8 bytes (b"caf\xc3\xa9") but 4 code points [99, 97, 102, 233]
        Tensor s = Tf.constant("café");
        assertEquals(5, Tf.strings.length(s).intValue());
        assertEquals(4, Tf.strings.length(s, Unit.UTF8_CHAR).intValue());
        Tensor u = Tf.strings.unicodeDecode(s, "UTF-8");
        assertEquals(DType.INT32, u.dtype());
        assertArrayEquals(new int[] {99, 97, 102, 233}, u.toIntArray());
        assertEquals("café", Tf.strings.unicodeEncode(u, "UTF-8").stringValue());
    }

    @Test
    void decodingAVectorGivesRaggedRows() {
        RaggedTensor r = Tf.strings.unicodeDecodeRows(Tf.constant(new String[] {"café", "", "€😀"}), "UTF-8");
        assertEquals("<tf.RaggedTensor [[99, 97, 102, 233], [], [8364, 128512]]>", r.toString());
        Tensor back = Tf.strings.unicodeEncode(r, "UTF-8");
        assertArrayEquals(new String[] {"café", "", "€😀"}, back.toStringArray());
    }

    @Test
    void encodingDenseRowsGivesOneStringPerRow() {
        Tensor cps = Tf.constant(new int[][] {{72, 105}, {79, 75}});
        assertArrayEquals(new String[] {"Hi", "OK"}, Tf.strings.unicodeEncode(cps, "UTF-8").toStringArray());
        assertArrayEquals(new String[] {"", ""}, Tf.strings.unicodeEncode(Tf.zeros(new int[] {2, 0}, DType.INT32), "UTF-8").toStringArray());
    }

    @Test
    void invalidCodePointsAndLoneSurrogatesBecomeTheReplacementCharacter() {
        assertEquals("a\uFFFDb", Tf.strings.unicodeEncode(Tf.constant(new int[] {97, 0x110000, 98}), "UTF-8").stringValue());
        assertEquals("\uFFFD", Tf.strings.unicodeEncode(Tf.constant(new int[] {-1}), "UTF-8").stringValue());
        assertArrayEquals(new int[] {97, 0xFFFD}, Tf.strings.unicodeDecode(Tf.constant("a\uD800"), "UTF-8").toIntArray());
    }

    @Test
    void unicodeSplitGivesCharacters() {
        assertArrayEquals(new String[] {"c", "a", "f", "é"}, Tf.strings.unicodeSplit(Tf.constant("café"), "UTF-8").toStringArray());
        assertEquals("<tf.RaggedTensor [[b'h', b'\u00e9'], []]>",
                Tf.strings.unicodeSplitRows(Tf.constant(new String[] {"hé", ""}), "UTF-8").toString());
    }

    @Test
    void splitOnWhitespaceOrASeparator() {
        assertArrayEquals(new String[] {"hello", "world"}, Tf.strings.split(Tf.constant("  hello \t world ")).toStringArray());
        assertArrayEquals(new String[] {"a", "", "b"}, Tf.strings.split(Tf.constant("a,,b"), ",").toStringArray());
        RaggedTensor rows = Tf.strings.splitRows(Tf.constant(new String[] {"hello world", "a b c", ""}), "");
        assertEquals("<tf.RaggedTensor [[b'hello', b'world'], [b'a', b'b', b'c'], []]>", rows.toString());
        assertArrayEquals(new String[] {"", "x", ""}, Tf.strings.split(Tf.constant(",x,"), ",").toStringArray());
        assertEquals(0, Tf.strings.split(Tf.constant(""), ",").shape().dim(0), "an empty string has no pieces");
    }

    @Test
    void wrongRanksAndEncodingsAreClearErrors() {
        TfException rank = assertThrows(TfException.class, () -> Tf.strings.unicodeDecode(Tf.constant(new String[] {"a"}), "UTF-8"));
        assertTrue(rank.getMessage().contains("unicodeDecodeRows"), rank.getMessage());
        assertThrows(UnimplementedError.class, () -> Tf.strings.unicodeDecode(Tf.constant("a"), "UTF-16-BE"));
        assertThrows(InvalidArgumentError.class, () -> Tf.strings.unicodeDecode(Tf.constant("a"), "KLINGON"));
        assertThrows(TfException.class, () -> Tf.strings.unicodeDecode(Tf.constant(1), "UTF-8"));
    }

    @Test
    void worksWhileTracing() {
        Function charCount = Function.of((Tensor s) -> Tf.strings.unicodeDecodeRows(s, "UTF-8").rowLengths())
                .withInputSignature(TensorSpec.of(DType.STRING, "?"));
        assertArrayEquals(new long[] {4, 0, 2}, charCount.call(Tf.constant(new String[] {"café", "", "€😀"})).toLongArray());
        Function words = Function.of((Tensor s) -> Tf.strings.splitRows(s, " ").toTensor())
                .withInputSignature(TensorSpec.of(DType.STRING, "?"));
        Tensor padded = words.call(Tf.constant(new String[] {"a b", "c"}));
        assertEquals(Shape.of(2, 2), padded.shape());
        assertArrayEquals(new String[] {"a", "b", "c", ""}, padded.toStringArray());
    }
}
