package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.ArrayOps;

/**
 * {@code one_hot}: viewing the output as {@code [prefix, depth, suffix]} around the axis, each
 * element is the on value where the index at {@code [prefix, suffix]} equals its depth position
 * and the off value elsewhere (an index outside {@code [0, depth)}, -1 included, gives an all-off
 * row). The values' bits are copied, as the interpreter's fill and element copies do.
 */
final class OneHotEmitter {
    private OneHotEmitter() {}

    static boolean lowers(OpDef op) { return op == ArrayOps.ONE_HOT; }

    static void emit(FunctionEmitter e, Node n) {
        IrFunction f = e.f;
        Value indices = n.inputs().get(0), out = n.output();
        Shape os = e.types.shape(out), is = e.types.shape(indices);
        if (os.numElements() == 0) return;
        long axisArg = n.attrs().getLong("axis", -1);
        int axis = (int) (axisArg == -1 ? is.rank() : axisArg);
        long depth = os.dim(axis);
        long suffix = GatherEmitter.product(is, axis, is.rank()), prefix = GatherEmitter.product(is, 0, axis);
        String ty = ViewCopy.bitsType(out.dtype());
        String on = bits(e, n.inputs().get(1), ty), off = bits(e, n.inputs().get(2), ty);
        String dst = e.pointer(out);
        ViewCopy.nest(f, new long[] {prefix, depth, suffix}, 3, 0, new String[3], ivs -> {
            String at = f.let("add nsw i64 " + f.let("mul nsw i64 " + ivs[0] + ", " + suffix) + ", " + ivs[2]);
            String v = GatherEmitter.index(e, indices, at);
            String hit = f.let("icmp eq i64 " + v + ", " + ivs[1]);
            String value = f.let("select i1 " + hit + ", " + ty + " " + on + ", " + ty + " " + off);
            String o = f.let("add nsw i64 " + f.let("mul nsw i64 " + f.let("add nsw i64 " + f.let("mul nsw i64 " + ivs[0] + ", " + depth)
                    + ", " + ivs[1]) + ", " + suffix) + ", " + ivs[2]);
            f.line("store " + ty + " " + value + ", ptr " + ViewCopy.at(f, ty, dst, o));
        });
    }

    /** The one element of a scalar value as raw bits. */
    private static String bits(FunctionEmitter e, Value v, String ty) {
        if (e.isImmediate(v)) return ViewCopy.bits(e.immediate(v));
        return e.f.let("load " + ty + ", ptr " + e.pointer(v));
    }
}
