package dev.tfjit.cli;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line's tensor types, in the IR's spelling: {@code f32[?,784]}, {@code i64[]},
 * {@code f32[*]} (unknown rank); whole signatures {@code f32[?,784], f32[784,10]} (optionally in
 * parentheses); and bare shapes {@code 32,784} / {@code [32,784]}.
 */
final class TypeSpecs {
    private TypeSpecs() {}

    /** A signature: tensor types separated by commas outside brackets; {@code ()} is no arguments. */
    static List<TensorType> signature(String s) {
        String t = s.strip();
        if (t.startsWith("(") && t.endsWith(")")) t = t.substring(1, t.length() - 1).strip();
        List<TensorType> out = new ArrayList<>();
        if (t.isEmpty()) return out;
        int depth = 0, start = 0;
        for (int i = 0; i <= t.length(); i++) {
            char c = i < t.length() ? t.charAt(i) : ',';
            if (c == '[') depth++;
            else if (c == ']') depth--;
            else if (c == ',' && depth == 0) {
                out.add(type(t.substring(start, i)));
                start = i + 1;
            }
        }
        return out;
    }

    /** The IR spelling of a signature, e.g. {@code f32[?,784], f32[784,10]}. */
    static String format(List<TensorType> types) {
        StringBuilder sb = new StringBuilder();
        for (TensorType t : types) sb.append(sb.isEmpty() ? "" : ", ").append(t);
        return sb.toString();
    }

    static TensorType type(String s) {
        String t = s.strip();
        int open = t.indexOf('[');
        if (open <= 0 || !t.endsWith("]")) {
            throw new IllegalArgumentException("'" + s + "' is not a tensor type; write it like f32[?,784] or i64[]");
        }
        DType dtype;
        try {
            dtype = DType.fromShortName(t.substring(0, open));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + s + "': " + e.getMessage());
        }
        return new TensorType(dtype, shape(t.substring(open)));
    }

    /** {@code [2,3]}, {@code 2,3}, {@code []} (a scalar), {@code [?,3]}, {@code [*]}. */
    static Shape shape(String s) {
        String t = s.strip();
        if (t.startsWith("[") && t.endsWith("]")) t = t.substring(1, t.length() - 1).strip();
        if (t.equals("*")) return Shape.unknownRank();
        if (t.isEmpty()) return Shape.SCALAR;
        String[] parts = t.split(",");
        int[] dims = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String d = parts[i].strip();
            if (d.equals("?") || d.equals("None")) {
                dims[i] = Shape.UNKNOWN;
                continue;
            }
            try {
                dims[i] = Integer.parseInt(d);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + s + "' is not a shape: '" + d + "' is not a dimension");
            }
            if (dims[i] < 0) throw new IllegalArgumentException("'" + s + "' is not a shape: negative dimension " + dims[i]);
        }
        return Shape.of(dims);
    }
}
