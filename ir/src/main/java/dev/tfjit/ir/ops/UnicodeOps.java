package dev.tfjit.ir.ops;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.kernels.Unicode;

import java.util.List;

/**
 * Unicode ops of {@code tf.strings}: decoding strings to int32 code points and back, and
 * splitting strings, each giving a ragged result as {@code (row_splits int64, values)} over
 * the flattened input, as TF's raw ops do.
 */
public final class UnicodeOps {
    private UnicodeOps() {}

    /** {@code unicode_decode %input {input_encoding, errors, replacement_char}} → (row_splits, code points). */
    public static final OpDef UNICODE_DECODE = OpDef.op("unicode_decode").inputs(1)
            .types((in, a, r) -> {
                requireString("unicode_decode", in.get(0));
                Unicode.checkEncoding(a.getString("input_encoding", "UTF-8"));
                Unicode.errors(a.getString("errors", "replace"));
                return List.of(new TensorType(DType.INT64, Shape.of(rowsPlusOne(in.get(0).shape()))),
                        new TensorType(DType.INT32, Shape.of(Shape.UNKNOWN)));
            })
            .kernel((in, a, r) -> Unicode.decode(in.get(0), Unicode.errors(a.getString("errors", "replace")),
                    a.getInt("replacement_char", 0xFFFD)))
            .build();

    /** {@code unicode_encode %code_points, %row_splits {output_encoding, errors, replacement_char}} → one string per row. */
    public static final OpDef UNICODE_ENCODE = OpDef.op("unicode_encode").inputs(2)
            .type((in, a) -> {
                TensorType cp = in.get(0), splits = in.get(1);
                if (cp.dtype() != DType.INT32) throw new DTypeError("unicode_encode: code points must be int32, got " + cp.dtype());
                if (splits.dtype() != DType.INT64) throw new DTypeError("unicode_encode: row_splits must be int64, got " + splits.dtype());
                if (cp.shape().hasRank() && cp.shape().rank() != 1) {
                    throw new InvalidArgumentError("unicode_encode: code points must be a vector, got shape " + cp.shape().brief());
                }
                Unicode.checkEncoding(a.getString("output_encoding", "UTF-8"));
                Unicode.errors(a.getString("errors", "replace"));
                int n = splits.shape().hasRank() && splits.shape().dim(0) > 0 ? splits.shape().dim(0) - 1 : Shape.UNKNOWN;
                return new TensorType(DType.STRING, Shape.of(n));
            })
            .kernel1((in, a) -> Unicode.encode(in.get(0), in.get(1), Unicode.errors(a.getString("errors", "replace")),
                    a.getInt("replacement_char", 0xFFFD)))
            .build();

    /** {@code string_split %input {sep, maxsplit}} → (row_splits, pieces); an empty {@code sep} splits on whitespace. */
    public static final OpDef STRING_SPLIT = OpDef.op("string_split").inputs(1)
            .types((in, a, r) -> {
                requireString("string_split", in.get(0));
                Shape s = in.get(0).shape();
                if (s.hasRank() && s.rank() > 1) {
                    throw new InvalidArgumentError("string_split: input must be a scalar or a vector, got shape " + s.brief());
                }
                return List.of(new TensorType(DType.INT64, Shape.of(rowsPlusOne(s))), new TensorType(DType.STRING, Shape.of(Shape.UNKNOWN)));
            })
            .kernel((in, a, r) -> Unicode.split(in.get(0), a.getString("sep", ""), a.getInt("maxsplit", -1)))
            .build();

    private static void requireString(String op, TensorType t) {
        if (t.dtype() != DType.STRING) throw new DTypeError(op + " expects a string tensor, got " + t.dtype());
    }

    /** The length of row splits over the flattened input: its element count plus one. */
    private static int rowsPlusOne(Shape s) {
        if (!s.hasRank() || !s.isFullyKnown()) return Shape.UNKNOWN;
        return Math.toIntExact(s.numElements() + 1);
    }
}
