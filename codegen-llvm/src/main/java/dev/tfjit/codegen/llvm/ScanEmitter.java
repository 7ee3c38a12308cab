package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.ir.kernels.ReductionAxes;
import dev.tfjit.ir.ops.ReductionOps;

/**
 * {@code cumsum} and {@code cumprod} along an axis ({@code exclusive}, {@code reverse}), as the
 * interpreter's {@code Scan}: viewing the input as {@code [outer, n, inner]}, step {@code k}
 * along the axis combines the previous step's output row with the input row, in the compute
 * type, flushing floats after each operation. The running rows are kept in the compute type
 * (in scratch when the dtype is narrower) and rounded to the dtype at the end.
 */
final class ScanEmitter {
    private ScanEmitter() {}

    static boolean lowers(OpDef op) { return op == ReductionOps.CUMSUM || op == ReductionOps.CUMPROD; }

    static void emit(FunctionEmitter e, Node n) {
        IrFunction f = e.f;
        KernelContext cx = e.cx;
        boolean product = n.op() == ReductionOps.CUMPROD;
        Value x = n.inputs().get(0), out = n.output();
        Shape s = e.types.shape(x);
        if (s.numElements() == 0) return;
        int axis = ReductionAxes.single(n.attrs().getLong("axis"), s.rank());
        boolean exclusive = n.attrs().getBool("exclusive", false), reverse = n.attrs().getBool("reverse", false);
        long outer = GatherEmitter.product(s, 0, axis), inner = GatherEmitter.product(s, axis + 1, s.rank());
        int len = s.dim(axis);
        DType t = x.dtype();
        ComputeType c = ComputeType.of(t);
        boolean direct = t == c.dtype();
        String in = ViewCopy.address(e, x), dst = e.pointer(out);
        String acc = direct ? dst : e.scratch(s.numElements() * c.dtype().byteSize());
        boolean fp = c == ComputeType.F32 || c == ComputeType.F64;
        Reg id = cx.lit(c, product ? 1 : 0);
        ViewCopy.nest(f, new long[] {outer, len, inner}, 3, 0, new String[3], ivs -> {
            String step = ivs[1];
            String j = reverse ? f.let("sub nsw i64 " + (len - 1) + ", " + step) : step;
            String prev = f.let((reverse ? "add" : "sub") + " nsw i64 " + j + ", 1");
            String first = f.let("icmp eq i64 " + step + ", 0");
            String rowBase = f.let("mul nsw i64 " + ivs[0] + ", " + len);
            String at = f.let("add nsw i64 " + f.let("mul nsw i64 " + f.let("add nsw i64 " + rowBase + ", " + j) + ", " + inner) + ", " + ivs[2]);
            // Before the first step the previous output and (exclusive) the input both read as the identity;
            // a clamped index keeps those loads in range.
            String prevAt = f.let("add nsw i64 " + f.let("mul nsw i64 " + f.let("add nsw i64 " + rowBase + ", "
                    + f.let("select i1 " + first + ", i64 " + j + ", i64 " + prev)) + ", " + inner) + ", " + ivs[2]);
            Reg p = cx.select(first, id, Scalars.load(f, c.dtype(), acc, prevAt, false));
            Reg v = Scalars.load(f, t, in, exclusive ? prevAt : at, true);
            if (exclusive) v = cx.select(first, id, v);
            Reg r = cx.bin(fp ? (product ? "fmul" : "fadd") : (product ? "mul" : "add"), p, v);
            Scalars.store(f, c.dtype(), Scalars.ftz(f, r), acc, at);
        });
        if (direct) return;
        f.forLoop(Long.toString(s.numElements()), i -> Scalars.store(f, t, Scalars.round(f, t, Scalars.load(f, c.dtype(), acc, i, false)), dst, i));
    }
}
