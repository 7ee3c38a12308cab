package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.ArgReduce;
import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.ir.kernels.ReductionAxes;
import dev.tfjit.ir.ops.ReductionOps;

/**
 * {@code argmax}/{@code argmin} over one axis as {@link ArgReduce} does it: floats compared in
 * double (after the cast's flush) from {@code ∓Double.MAX_VALUE} with a strict comparison (so NaN never wins and ties
 * keep the lowest index), integers from the first element.
 */
final class ArgReduceEmitter {
    private ArgReduceEmitter() {}

    static boolean lowers(OpDef op) { return op == ReductionOps.ARGMAX || op == ReductionOps.ARGMIN; }

    static void emit(FunctionEmitter e, Node n) {
        IrFunction f = e.f;
        boolean max = n.op() == ReductionOps.ARGMAX;
        Value x = n.inputs().get(0), out = n.output();
        Shape s = e.types.shape(x);
        if (e.types.shape(out).numElements() == 0) return;
        int axis = ReductionAxes.single(n.attrs().getLong("axis"), s.rank());
        long outer = 1, inner = 1;
        for (int d = 0; d < axis; d++) outer *= s.dim(d);
        for (int d = axis + 1; d < s.rank(); d++) inner *= s.dim(d);
        long count = s.dim(axis), stride = inner, rowStep = count * inner;
        ComputeType c = ComputeType.of(x.dtype());
        boolean floating = c == ComputeType.F32 || c == ComputeType.F64;
        String valueType = floating ? "double" : "i64";
        String compare = floating ? (max ? "fcmp ogt double " : "fcmp olt double ") : (max ? "icmp sgt i64 " : "icmp slt i64 ");
        // The interpreter casts narrower floats to float64 first, and that cast flushes subnormals.
        boolean flush = floating && x.dtype() != DType.FLOAT64;
        String in = e.pointer(x), res = e.pointer(out);
        String bestSlot = f.alloca("i64"), valueSlot = f.alloca(valueType);
        f.forLoop(Long.toString(outer), o -> f.forLoop(Long.toString(stride), i -> {
            String base = f.let("add nuw nsw i64 " + f.let("mul nuw nsw i64 " + o + ", " + rowStep) + ", " + i);
            f.line("store i64 0, ptr " + bestSlot);
            String start = floating ? Scalars.doubleLiteral(max ? -Double.MAX_VALUE : Double.MAX_VALUE) : wide(f, Scalars.load(f, x.dtype(), in, base, false));
            f.line("store " + valueType + " " + start + ", ptr " + valueSlot);
            f.forLoop(Long.toString(count), j -> {
                String at = f.let("add nuw nsw i64 " + base + ", " + f.let("mul nuw nsw i64 " + j + ", " + stride));
                Reg v = Scalars.load(f, x.dtype(), in, at, flush);
                String value = floating ? e.cx.fpext(v).name() : wide(f, v);
                String best = f.let("load " + valueType + ", ptr " + valueSlot);
                String better = f.let(compare + value + ", " + best);
                f.line("store " + valueType + " " + f.let("select i1 " + better + ", " + valueType + " " + value + ", " + valueType + " " + best) + ", ptr " + valueSlot);
                String index = f.let("load i64, ptr " + bestSlot);
                f.line("store i64 " + f.let("select i1 " + better + ", i64 " + j + ", i64 " + index) + ", ptr " + bestSlot);
            });
            String best = f.let("load i64, ptr " + bestSlot);
            Reg r = out.dtype() == DType.INT64 ? new Reg(best, ComputeType.I64) : new Reg(f.let("trunc i64 " + best + " to i32"), ComputeType.I32);
            Scalars.store(f, out.dtype(), r, res, f.let("add nuw nsw i64 " + f.let("mul nuw nsw i64 " + o + ", " + stride) + ", " + i));
        }));
    }

    /** An integer element as i64 (narrow ones are already sign- or zero-extended to i32). */
    private static String wide(IrFunction f, Reg v) {
        return v.type() == ComputeType.I64 ? v.name() : f.let("sext i32 " + v.name() + " to i64");
    }
}
