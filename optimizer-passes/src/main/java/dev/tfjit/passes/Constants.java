package dev.tfjit.passes;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.SourceLocation;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.CreationOps;

import java.util.List;

/** Reading and making {@code constant} nodes. */
final class Constants {
    private Constants() {}

    /** The constant value of a node, or null when it is not a {@code constant}. */
    static Buffer valueOf(Node n) {
        return n.op() == CreationOps.CONSTANT ? n.attrs().getTensor("value") : null;
    }

    /** A {@code constant} node defining {@code output} (an existing value, so its users need no rewiring). */
    static Node define(Value output, Buffer value, SourceLocation location) {
        return new Node(CreationOps.CONSTANT, List.of(), Attrs.of("value", value), List.of(), List.of(output), location);
    }

    /** True when every element equals {@code x} exactly (signed zeros told apart); false for strings and bools. */
    static boolean allEqual(Buffer b, double x) {
        if (!b.dtype().isNumeric()) return false;
        long bits = Double.doubleToRawLongBits(x);
        for (long i = 0; i < b.size(); i++) {
            double v = b.getDouble(i);
            if (b.dtype().isFloating() ? Double.doubleToRawLongBits(v) != bits : v != x) return false;
        }
        return true;
    }

    static boolean isOne(Buffer b) { return b.dtype() != DType.BOOL && allEqual(b, 1); }
}
