package dev.tfjit.passes;

import dev.tfjit.ir.OpCatalog;
import dev.tfjit.ir.OpDef;

/**
 * Ops that other op families add (array ops); rules on them switch on once the op is in the
 * catalog, so this module builds and runs before they exist.
 */
final class OptionalOps {
    private OptionalOps() {}

    static final OpDef IDENTITY = find("identity");
    static final OpDef TRANSPOSE = find("transpose");
    static final OpDef RESHAPE = find("reshape");
    static final OpDef SHAPE = find("shape");
    static final OpDef SIZE = find("size");
    static final OpDef RANK = find("rank");

    /** The op, or null while no family defines it. */
    static OpDef find(String name) { return OpCatalog.has(name) ? OpCatalog.get(name) : null; }

    /** True when {@code op} is the (possibly missing) {@code wanted}; never true for a missing op. */
    static boolean is(OpDef op, OpDef wanted) { return wanted != null && op == wanted; }
}
