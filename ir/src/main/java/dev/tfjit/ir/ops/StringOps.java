package dev.tfjit.ir.ops;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.kernels.Broadcast;
import dev.tfjit.ir.kernels.Strings;

import java.util.List;

/** Ops on string tensors (TF's {@code tf.strings} and string {@code Add}). */
public final class StringOps {
    private StringOps() {}

    /** {@code string_length {unit}}: int32 lengths in bytes ({@code BYTE}) or code points ({@code UTF8_CHAR}). */
    public static final OpDef STRING_LENGTH = OpDef.op("string_length").inputs(1)
            .type((in, a) -> {
                requireStrings("string_length", in);
                Strings.unit(a.getString("unit", "BYTE"));
                return new TensorType(DType.INT32, in.get(0).shape());
            })
            .kernel1((in, a) -> Strings.length(in.get(0), Strings.unit(a.getString("unit", "BYTE"))))
            .build();

    /** {@code string_join {separator}}: element-wise concatenation of same-shaped (or scalar) inputs. */
    public static final OpDef STRING_JOIN = OpDef.op("string_join").variadic(1)
            .type((in, a) -> {
                requireStrings("string_join", in);
                return new TensorType(DType.STRING, Strings.joinShape(in.stream().map(TensorType::shape).toList()));
            })
            .kernel1((in, a) -> Strings.join(in, a.getString("separator", "")))
            .build();

    /** {@code string_add}: TF's {@code Add} on strings, concatenation with broadcasting. */
    public static final OpDef STRING_ADD = OpDef.op("string_add").inputs(2)
            .type((in, a) -> {
                requireStrings("string_add", in);
                return new TensorType(DType.STRING, Broadcast.shapes(in.get(0).shape(), in.get(1).shape()));
            })
            .kernel1((in, a) -> Strings.concat(in.get(0), in.get(1)))
            .build();

    /** {@code string_upper {encoding}}: ASCII letters upper-cased ({@code encoding="utf-8"}: all letters). */
    public static final OpDef STRING_UPPER = OpDef.op("string_upper").inputs(1)
            .type((in, a) -> requireStrings("string_upper", in))
            .kernel1((in, a) -> Strings.changeCase(in.get(0), a.getString("encoding", ""), true))
            .build();

    /** {@code string_lower {encoding}}: ASCII letters lower-cased ({@code encoding="utf-8"}: all letters). */
    public static final OpDef STRING_LOWER = OpDef.op("string_lower").inputs(1)
            .type((in, a) -> requireStrings("string_lower", in))
            .kernel1((in, a) -> Strings.changeCase(in.get(0), a.getString("encoding", ""), false))
            .build();

    /** {@code substr %input, %pos, %len {unit}}: substrings; pos and len are scalars or shaped like input. */
    public static final OpDef SUBSTR = OpDef.op("substr").inputs(3)
            .type((in, a) -> {
                requireStrings("substr", in.subList(0, 1));
                DType p = in.get(1).dtype();
                if ((p != DType.INT32 && p != DType.INT64) || in.get(2).dtype() != p) {
                    throw new DTypeError("substr: pos and len must both be int32 or int64, got " + p + " and " + in.get(2).dtype());
                }
                Strings.checkSubstrShapes(in.get(0).shape(), in.get(1).shape(), in.get(2).shape());
                Strings.unit(a.getString("unit", "BYTE"));
                return in.get(0);
            })
            .kernel1((in, a) -> Strings.substr(in.get(0), in.get(1), in.get(2), Strings.unit(a.getString("unit", "BYTE"))))
            .build();

    /** Every input must be a string tensor; returns the first input's type. */
    private static TensorType requireStrings(String op, List<TensorType> in) {
        for (TensorType t : in) {
            if (t.dtype() != DType.STRING) throw new DTypeError(op + " expects string tensors, got " + t.dtype());
        }
        return in.get(0);
    }
}
