package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.ir.kernels.SoftmaxXent;
import dev.tfjit.ir.ops.NnOps;

/**
 * {@code sparse_softmax_cross_entropy_with_logits} on {@code [batch, classes]} logits, the
 * interpreter's {@link SoftmaxXent} loop for loop: per row, in double, the max (NaN wins), the
 * sum of {@code exp(x - max)}, then {@code loss = log(sum) - (x[label] - max)} and
 * {@code backprop = exp(x - max) / sum - onehot}, each flushed and rounded once to the dtype.
 * A label outside {@code [0, classes)} raises the interpreter's error (without its list of all
 * labels, which native code does not format) and is read as class 0 so no memory is read out of range.
 */
final class SoftmaxXentEmitter {
    private SoftmaxXentEmitter() {}

    static boolean lowers(OpDef op) { return op == NnOps.SPARSE_SOFTMAX_XENT; }

    static void emit(FunctionEmitter e, Node n) {
        IrFunction f = e.f;
        KernelContext cx = e.cx;
        Value logits = n.inputs().get(0), labels = n.inputs().get(1);
        Shape s = e.types.shape(logits);
        int batch = s.dim(0), classes = s.dim(1);
        if (batch == 0) return;
        DType t = logits.dtype();
        String x = e.pointer(logits), ids = e.pointer(labels);
        String loss = e.pointer(n.outputs().get(0)), backprop = e.pointer(n.outputs().get(1));
        String maxSlot = f.alloca("double"), sumSlot = f.alloca("double");
        f.forLoop(Integer.toString(batch), b -> {
            String row = f.let("mul nuw nsw i64 " + b + ", " + classes);
            String id = labelIndex(cx, Scalars.load(f, labels.dtype(), ids, b, false), classes);
            f.line("store double 0xFFF0000000000000, ptr " + maxSlot);
            f.forLoop(Integer.toString(classes), j -> {
                Reg v = element(cx, t, x, f.let("add nuw nsw i64 " + row + ", " + j));
                String max = f.let("load double, ptr " + maxSlot);
                String greater = f.let("fcmp ogt double " + v.name() + ", " + max);
                String nan = f.let("fcmp uno double " + v.name() + ", 0.0");
                String take = f.let("or i1 " + greater + ", " + nan);
                f.line("store double " + f.let("select i1 " + take + ", double " + v.name() + ", double " + max) + ", ptr " + maxSlot);
            });
            String max = f.let("load double, ptr " + maxSlot);
            f.line("store double 0.0, ptr " + sumSlot);
            f.forLoop(Integer.toString(classes), j -> {
                Reg v = element(cx, t, x, f.let("add nuw nsw i64 " + row + ", " + j));
                String ex = f.let("call double @exp(double " + f.let("fsub double " + v.name() + ", " + max) + ")");
                f.line("store double " + f.let("fadd double " + f.let("load double, ptr " + sumSlot) + ", " + ex) + ", ptr " + sumSlot);
            });
            String sum = f.let("load double, ptr " + sumSlot);
            String logSum = f.let("call double @log(double " + sum + ")");
            f.forLoop(Integer.toString(classes), j -> {
                String at = f.let("add nuw nsw i64 " + row + ", " + j);
                Reg v = element(cx, t, x, at);
                String ex = f.let("call double @exp(double " + f.let("fsub double " + v.name() + ", " + max) + ")");
                String p = f.let("fdiv double " + ex + ", " + sum);
                String hit = f.let("icmp eq i64 " + j + ", " + id);
                String label = f.let("select i1 " + hit + ", double 1.0, double 0.0");
                store(f, t, new Reg(f.let("fsub double " + p + ", " + label), ComputeType.F64), backprop, at);
            });
            Reg picked = element(cx, t, x, f.let("add nuw nsw i64 " + row + ", " + id));
            String shifted = f.let("fsub double " + picked.name() + ", " + max);
            store(f, t, new Reg(f.let("fsub double " + logSum + ", " + shifted), ComputeType.F64), loss, b);
        });
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
