package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.ArrayOps;

/**
 * {@code pad} and {@code mirror_pad}. Constant padding is the interpreter's two copies: the
 * padding value filled over the output, then the input written into its interior view. Mirror
 * padding is separable, so each output element reads the input at a per-dim source index:
 * {@code i} inside, {@code -i} / {@code 2n-2-i} (REFLECT, edge left out) or {@code -i-1} /
 * {@code 2n-1-i} (SYMMETRIC, edge repeated) in the borders, which is what the interpreter's
 * dim-by-dim reversed copies amount to.
 */
final class PadEmitter {
    private PadEmitter() {}

    static boolean lowers(OpDef op) { return op == ArrayOps.PAD || op == ArrayOps.MIRROR_PAD; }

    static void emit(FunctionEmitter e, Node n) {
        Value x = n.inputs().get(0), out = n.output();
        Shape os = e.types.shape(out), in = e.types.shape(x);
        if (os.numElements() == 0) return;
        long[] paddings = n.attrs().getLongs("paddings");
        String dst = e.pointer(out);
        if (n.op() == ArrayOps.PAD) {
            ViewCopy.fill(e, out.dtype(), ViewCopy.Source.of(e, n.inputs().get(1)), dst, os.dims());
            long[] strides = os.strides();
            long offset = 0;
            for (int d = 0; d < strides.length; d++) offset += paddings[2 * d] * strides[d];
            ViewCopy.copy(e, x.dtype(), ViewCopy.Source.of(e, x), ViewCopy.View.rowMajor(in.dims()), dst,
                    new ViewCopy.View(offset, strides), in.dims());
            return;
        }
        mirror(e, x, in, os, paddings, "REFLECT".equalsIgnoreCase(n.attrs().getString("mode")), dst);
    }

    private static void mirror(FunctionEmitter e, Value x, Shape in, Shape os, long[] paddings, boolean reflect, String dst) {
        IrFunction f = e.f;
        ViewCopy.Source src = ViewCopy.Source.of(e, x);
        String ty = ViewCopy.bitsType(x.dtype());
        int r = os.rank();
        long[] dims = new long[r];
        for (int d = 0; d < r; d++) dims[d] = os.dim(d);
        long[] inStrides = in.strides(), outStrides = os.strides();
        ViewCopy.nest(f, dims, r, 0, new String[r], ivs -> {
            String dOff = ViewCopy.offset(f, 0, ivs, outStrides);
            if (src.isImmediate()) { // a one-element input: every output element is that element
                f.line("store " + ty + " " + src.bits() + ", ptr " + ViewCopy.at(f, ty, dst, dOff));
                return;
            }
            String[] source = new String[r];
            for (int d = 0; d < r; d++) source[d] = sourceIndex(f, ivs[d], paddings[2 * d], in.dim(d), reflect);
            String sOff = ViewCopy.offset(f, 0, source, inStrides);
            String v = f.let("load " + ty + ", ptr " + ViewCopy.at(f, ty, src.pointer(), sOff));
            f.line("store " + ty + " " + v + ", ptr " + ViewCopy.at(f, ty, dst, dOff));
        });
    }

    /** The input index that output index {@code j} of one dim copies. */
    private static String sourceIndex(IrFunction f, String j, long before, int n, boolean reflect) {
        String i = before == 0 ? j : f.let("sub nsw i64 " + j + ", " + before);
        String low = f.let("icmp slt i64 " + i + ", 0");
        String high = f.let("icmp sge i64 " + i + ", " + n);
        String neg = f.let("sub nsw i64 " + (reflect ? "0" : "-1") + ", " + i);
        String mirrored = f.let("sub nsw i64 " + (reflect ? 2L * n - 2 : 2L * n - 1) + ", " + i);
        return f.let("select i1 " + low + ", i64 " + neg + ", i64 " + f.let("select i1 " + high + ", i64 " + mirrored + ", i64 " + i));
    }
}
