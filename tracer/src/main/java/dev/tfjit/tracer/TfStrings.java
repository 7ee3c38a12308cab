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
}
