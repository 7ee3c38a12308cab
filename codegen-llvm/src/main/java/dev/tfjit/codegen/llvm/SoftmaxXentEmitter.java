package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.Broadcast;
import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.ir.kernels.SoftmaxXent;
import dev.tfjit.ir.ops.NnOps;

/**
 * {@code sparse_softmax_cross_entropy_with_logits} and the dense
 * {@code softmax_cross_entropy_with_logits} on {@code [batch, classes]} logits, the
 * interpreter's {@link SoftmaxXent} loop for loop: per row, in double, the max (NaN wins), the
 * sum of {@code exp(x - max)}, then {@code backprop = exp(x - max) / sum - label} and the loss,
 * {@code log(sum) - (x[label] - max)} for class ids or the sequential sum of
 * {@code label * (log(sum) - (x - max))} for dense labels, each flushed and rounded once to the
 * dtype. Dense logits and labels are read with broadcasting, as the interpreter broadcasts them.
 * A label outside {@code [0, classes)} raises the interpreter's error (without its list of all
 * labels, which native code does not format) and is read as class 0 so no memory is read out of range.
 */
final class SoftmaxXentEmitter {
    private SoftmaxXentEmitter() {}

    static boolean lowers(OpDef op) { return op == NnOps.SPARSE_SOFTMAX_XENT || op == NnOps.SOFTMAX_XENT; }

    static void emit(FunctionEmitter e, Node n) {
        IrFunction f = e.f;
        KernelContext cx = e.cx;
        boolean dense = n.op() == NnOps.SOFTMAX_XENT;
        Value logits = n.inputs().get(0), labels = n.inputs().get(1);
        Shape s = e.types.shape(n.outputs().get(1));
        int batch = s.dim(0), classes = s.dim(1);
        if (batch == 0) return;
        DType t = logits.dtype();
        // Element (b, j) of the logits (and dense labels) is at b * rowStride + j * colStride.
        long[] xs = Broadcast.readStrides(e.types.shape(logits), s);
        long[] ys = dense ? Broadcast.readStrides(e.types.shape(labels), s) : null;
        String x = ViewCopy.address(e, logits), ids = ViewCopy.address(e, labels);
        String loss = e.pointer(n.outputs().get(0)), backprop = e.pointer(n.outputs().get(1));
        String maxSlot = f.alloca("double"), sumSlot = f.alloca("double"), lossSlot = f.alloca("double");
        f.forLoop(Integer.toString(batch), b -> {
            String row = f.let("mul nuw nsw i64 " + b + ", " + classes);
            String id = dense ? null : labelIndex(cx, Scalars.load(f, labels.dtype(), ids, b, false), classes);
            f.line("store double 0xFFF0000000000000, ptr " + maxSlot);
            f.forLoop(Integer.toString(classes), j -> {
                Reg v = element(cx, t, x, at(f, b, j, xs));
                String max = f.let("load double, ptr " + maxSlot);
                String greater = f.let("fcmp ogt double " + v.name() + ", " + max);
                String nan = f.let("fcmp uno double " + v.name() + ", 0.0");
                String take = f.let("or i1 " + greater + ", " + nan);
                f.line("store double " + f.let("select i1 " + take + ", double " + v.name() + ", double " + max) + ", ptr " + maxSlot);
            });
            String max = f.let("load double, ptr " + maxSlot);
            f.line("store double 0.0, ptr " + sumSlot);
            f.forLoop(Integer.toString(classes), j -> {
                Reg v = element(cx, t, x, at(f, b, j, xs));
                String ex = f.let("call double @exp(double " + f.let("fsub double " + v.name() + ", " + max) + ")");
                f.line("store double " + f.let("fadd double " + f.let("load double, ptr " + sumSlot) + ", " + ex) + ", ptr " + sumSlot);
            });
            String sum = f.let("load double, ptr " + sumSlot);
            String logSum = f.let("call double @log(double " + sum + ")");
            f.line("store double 0.0, ptr " + lossSlot);
            f.forLoop(Integer.toString(classes), j -> {
                String out = f.let("add nuw nsw i64 " + row + ", " + j);
                Reg v = element(cx, t, x, at(f, b, j, xs));
                String shifted = f.let("fsub double " + v.name() + ", " + max);
                String ex = f.let("call double @exp(double " + shifted + ")");
                String p = f.let("fdiv double " + ex + ", " + sum);
                String label;
                if (dense) {
                    label = element(cx, t, ids, at(f, b, j, ys)).name();
                    String term = f.let("fmul double " + label + ", " + f.let("fsub double " + logSum + ", " + shifted));
                    f.line("store double " + f.let("fadd double " + f.let("load double, ptr " + lossSlot) + ", " + term) + ", ptr " + lossSlot);
                } else {
                    label = f.let("select i1 " + f.let("icmp eq i64 " + j + ", " + id) + ", double 1.0, double 0.0");
                }
                store(f, t, new Reg(f.let("fsub double " + p + ", " + label), ComputeType.F64), backprop, out);
            });
            if (dense) {
                store(f, t, new Reg(f.let("load double, ptr " + lossSlot), ComputeType.F64), loss, b);
            } else {
                Reg picked = element(cx, t, x, at(f, b, id, xs));
                String shifted = f.let("fsub double " + picked.name() + ", " + max);
                store(f, t, new Reg(f.let("fsub double " + logSum + ", " + shifted), ComputeType.F64), loss, b);
            }
        });
    }

    /** The element offset of (b, j) under per-dim read strides. */
    private static String at(IrFunction f, String b, String j, long[] strides) {
        return ViewCopy.offset(f, 0, new String[] {b, j}, strides);
    }

    /** The label as an i64 class index, or 0 after raising the error when it is out of range. */
    private static String labelIndex(KernelContext cx, Reg raw, int classes) {
        IrFunction f = cx.f;
        String id = raw.type() == ComputeType.I64 ? raw.name() : f.let("sext i32 " + raw.name() + " to i64");
        String bad = f.let("icmp uge i64 " + id + ", " + classes); // unsigned: negative ids are huge
        cx.raiseIf(bad, "Received a label value which is outside the valid range of [0, " + classes + ")");
        return f.let("select i1 " + bad + ", i64 0, i64 " + id);
    }

    /** Element {@code index} of the logits, unflushed as {@code toDoubleArray} reads it, in double. */
    private static Reg element(KernelContext cx, DType t, String base, String index) {
        return cx.fpext(Scalars.load(cx.f, t, base, index, false));
    }

    /** {@code Buffer.setDouble(Fn.ftz(v))}: flushed in double, then narrowed through float. */
    private static void store(IrFunction f, DType t, Reg v, String base, String index) {
        Reg flushed = Scalars.ftz(f, v);
        Reg narrow = t == DType.FLOAT64 ? flushed : new Reg(f.let("fptrunc double " + flushed.name() + " to float"), ComputeType.F32);
        Scalars.store(f, t, narrow, base, index);
    }
}
