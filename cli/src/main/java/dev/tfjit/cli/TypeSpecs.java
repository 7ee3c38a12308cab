package dev.tfjit.cli;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;

/**
 * The command line's tensor types, in the IR's spelling: {@code f32[?,784]}, {@code i64[]},
 * {@code f32[*]} (unknown rank); and bare shapes {@code 32,784} / {@code [32,784]}.
 */
final class TypeSpecs {
    private TypeSpecs() {}

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
