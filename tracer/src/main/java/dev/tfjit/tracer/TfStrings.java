package dev.tfjit.tracer;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.ops.StringOps;

import java.util.List;

/** {@code tf.strings}, reached as {@code Tf.strings.length(...)}. */
public final class TfStrings {
    TfStrings() {}

    /** How positions and lengths are counted: UTF-8 bytes (TF's default) or Unicode characters. */
    public enum Unit { BYTE, UTF8_CHAR }

    /** {@code tf.strings.length}: the length of each string in bytes. */
    public Tensor length(Tensor x) { return length(x, Unit.BYTE); }

    public Tensor length(Tensor x, Unit unit) {
        return Tf.apply1(StringOps.STRING_LENGTH, Attrs.of("unit", unit.name()), x);
    }

    /** {@code tf.strings.join}: element-wise concatenation of same-shaped or scalar string tensors. */
    public Tensor join(List<Tensor> inputs) { return join(inputs, ""); }

    public Tensor join(List<Tensor> inputs, String separator) {
        return Tf.apply(StringOps.STRING_JOIN, Attrs.of("separator", separator), inputs.toArray(Tensor[]::new)).get(0);
    }

    /** TF's {@code add} on strings: concatenation with broadcasting ({@code tf.add(["a","b"], "!")}). */
    public Tensor concat(Tensor x, Tensor y) { return Tf.apply1(StringOps.STRING_ADD, Attrs.EMPTY, x, y); }

    /** {@code tf.strings.upper}: ASCII letters only, as TF does without an encoding. */
    public Tensor upper(Tensor x) { return upper(x, ""); }

    /** With {@code encoding = "utf-8"} every Unicode letter is upper-cased. */
    public Tensor upper(Tensor x, String encoding) {
        return Tf.apply1(StringOps.STRING_UPPER, Attrs.of("encoding", encoding), x);
    }

    public Tensor lower(Tensor x) { return lower(x, ""); }

    public Tensor lower(Tensor x, String encoding) {
        return Tf.apply1(StringOps.STRING_LOWER, Attrs.of("encoding", encoding), x);
    }

    /** {@code tf.strings.substr} in bytes; a negative {@code pos} counts from the end. */
    public Tensor substr(Tensor x, int pos, int len) { return substr(x, pos, len, Unit.BYTE); }

    public Tensor substr(Tensor x, int pos, int len, Unit unit) {
        return substr(x, Tf.scalar(pos, DType.INT32), Tf.scalar(len, DType.INT32), unit);
    }

    /** Per-element positions and lengths: scalars or tensors of {@code x}'s shape. */
    public Tensor substr(Tensor x, Tensor pos, Tensor len, Unit unit) {
        return Tf.apply1(StringOps.SUBSTR, Attrs.of("unit", unit.name()), x, pos, len);
    }

    // ---- Unicode code points and splitting (ragged results)

    /**
     * {@code tf.strings.unicode_decode} of one string: its int32 code points; the seed's
     * {@code "café"} gives {@code [99, 97, 102, 233]}. Malformed text becomes U+FFFD.
     */
    public Tensor unicodeDecode(Tensor s, String inputEncoding) {
        requireRank(s, 0, "unicodeDecode", "unicodeDecodeRows");
        return decode(s, inputEncoding).values();
    }

    /** {@code tf.strings.unicode_decode} of a vector of strings: one ragged row of code points per string. */
    public RaggedTensor unicodeDecodeRows(Tensor s, String inputEncoding) {
        requireRank(s, 1, "unicodeDecodeRows", "unicodeDecode");
        return decode(s, inputEncoding);
    }

    /** {@code tf.strings.unicode_encode} of dense code points: the last axis becomes one string ({@code [n]} → scalar). */
    public Tensor unicodeEncode(Tensor codePoints, String outputEncoding) {
        if (codePoints.shape().hasRank() && codePoints.rank() == 1) {
            Tensor splits = Tf.stack(java.util.List.of(Tf.constant(0L), Tf.cast(Tf.size(codePoints), DType.INT64)));
            return Tf.reshape(encode(codePoints, splits, outputEncoding), new int[0]);
        }
        if (codePoints.shape().hasRank() && codePoints.rank() == 2) {
            Tensor shape = Tf.shape(codePoints, DType.INT64);
            Tensor rows = Tf.getItem(shape, "0"), width = Tf.getItem(shape, "1");
            Tensor splits = Tf.range(Tf.constant(0L), rows.add(1L), Tf.constant(1L)).mul(width);
            return encode(Tf.reshape(codePoints, new int[] {-1}), splits, outputEncoding);
        }
        throw new dev.tfjit.ir.TfException("Tf.strings.unicodeEncode: dense code points must have rank 1 or 2, got shape " + codePoints.shape());
    }

    /** {@code tf.strings.unicode_encode} of ragged code points: one string per row. */
    public Tensor unicodeEncode(RaggedTensor codePoints, String outputEncoding) {
        return encode(codePoints.values(), codePoints.rowSplits(), outputEncoding);
    }

    /** {@code tf.strings.unicode_split} of one string: its characters as strings. */
    public Tensor unicodeSplit(Tensor s, String inputEncoding) {
        requireRank(s, 0, "unicodeSplit", "unicodeSplitRows");
        return unicodeSplitRows(Tf.reshape(s, new int[] {1}), inputEncoding).values();
    }

    /**
     * {@code tf.strings.unicode_split} of a vector: built as TF's Python does, by decoding and
     * re-encoding each code point as its own row.
     */
    public RaggedTensor unicodeSplitRows(Tensor s, String inputEncoding) {
        RaggedTensor cps = unicodeDecodeRows(s, inputEncoding);
        Tensor n = Tf.cast(Tf.size(cps.values()), DType.INT64);
        Tensor oneEach = Tf.range(Tf.constant(0L), n.add(1L), Tf.constant(1L));
        return new RaggedTensor(encode(cps.values(), oneEach, inputEncoding), cps.rowSplits());
    }

    /** {@code tf.strings.split} of one string on whitespace runs (empty pieces dropped). */
    public Tensor split(Tensor s) { return split(s, ""); }

    /** {@code tf.strings.split(s, sep)} of one string: Python's {@code str.split(sep)}, empty pieces kept. */
    public Tensor split(Tensor s, String sep) {
        requireRank(s, 0, "split", "splitRows");
        return splitRows(Tf.reshape(s, new int[] {1}), sep).values();
    }

    /** {@code tf.strings.split} of a vector: one ragged row of pieces per string ({@code sep = ""}: whitespace). */
    public RaggedTensor splitRows(Tensor s, String sep) {
        requireRank(s, 1, "splitRows", "split");
        java.util.List<Tensor> out = Tf.apply(dev.tfjit.ir.ops.UnicodeOps.STRING_SPLIT, Attrs.of("sep", sep, "maxsplit", -1), s);
        return new RaggedTensor(out.get(1), out.get(0));
    }

    private RaggedTensor decode(Tensor s, String encoding) {
        java.util.List<Tensor> out = Tf.apply(dev.tfjit.ir.ops.UnicodeOps.UNICODE_DECODE,
                Attrs.of("input_encoding", encoding, "errors", "replace", "replacement_char", 0xFFFD), s);
        return new RaggedTensor(out.get(1), out.get(0));
    }

    private Tensor encode(Tensor codePoints, Tensor splits, String encoding) {
        return Tf.apply1(dev.tfjit.ir.ops.UnicodeOps.UNICODE_ENCODE,
                Attrs.of("output_encoding", encoding, "errors", "replace", "replacement_char", 0xFFFD), codePoints, splits);
    }

    /** The scalar and vector forms return different types (Tensor vs RaggedTensor), as TF's results differ. */
    private static void requireRank(Tensor s, int rank, String method, String other) {
        if (s.shape().hasRank() && s.rank() != rank) {
            throw new dev.tfjit.ir.TfException("Tf.strings." + method + " takes a " + (rank == 0 ? "scalar" : "vector")
                    + " string tensor, got shape " + s.shape() + "; use Tf.strings." + other);
        }
    }
}
