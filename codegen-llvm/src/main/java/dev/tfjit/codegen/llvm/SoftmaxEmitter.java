package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.ir.ops.NnOps;

/**
 * {@code softmax} and {@code log_softmax} over the last dim, the interpreter's {@code Softmax}
 * kernel step for step, per row in the compute type (float for float32 and the halves, double
 * for float64): the max (NaN wins), the shifted row {@code x - max}, then softmax multiplies
 * {@code exp(shifted)} by the reciprocal of their sum, and log-softmax subtracts the log of the
 * sum of {@code exp(shifted)} (in {@link PairwiseSum}'s order in float, sequential in double).
 * Every step is flushed where the interpreter flushes; float exp is the interpreter's
 * {@code FloatMath.exp}, double exp and all logs the C library's.
 */
final class SoftmaxEmitter {
    private SoftmaxEmitter() {}

    static boolean lowers(OpDef op) { return op == NnOps.SOFTMAX || op == NnOps.LOG_SOFTMAX; }

    static void emit(FunctionEmitter e, Node n) {
        IrFunction f = e.f;
        KernelContext cx = e.cx;
        boolean log = n.op() == NnOps.LOG_SOFTMAX;
        Value x = n.inputs().get(0), out = n.output();
        Shape s = e.types.shape(x);
        int cols = s.dim(-1);
        if (s.numElements() == 0) return;
        long rows = s.numElements() / cols;
        DType t = x.dtype();
        ComputeType c = t == DType.FLOAT64 ? ComputeType.F64 : ComputeType.F32;
        String ty = Scalars.llvmType(c);
        boolean direct = t == c.dtype(); // otherwise the row is computed in a float scratch row and narrowed
        String in = ViewCopy.address(e, x), dst = e.pointer(out);
        String scratchRow = direct ? null : e.scratch((long) cols * 4);
        // The helpers: the plain sum of a stored row, and (log-softmax) the sum of exp of a shifted row.
        boolean pairwiseLog = log && c == ComputeType.F32;
        String sum = !log ? PairwiseSum.define(e, c, (h, row, i) -> Scalars.ftz(h, Scalars.load(h, c.dtype(), row, i, false)))
                : pairwiseLog ? PairwiseSum.define(e, c, (h, row, i) -> exp(e.module, h, c, Scalars.load(h, c.dtype(), row, i, false))) : null;
        String maxSlot = f.alloca(ty);
        f.forLoop(Long.toString(rows), r -> {
            String base = f.let("mul nsw i64 " + r + ", " + cols);
            String row = direct ? f.let("getelementptr inbounds " + ty + ", ptr " + dst + ", i64 " + base) : scratchRow;
            f.line("store " + ty + " " + Scalars.literal(c, Double.NEGATIVE_INFINITY) + ", ptr " + maxSlot);
            f.forLoop(Integer.toString(cols), i -> {
                Reg v = input(f, t, in, f.let("add nsw i64 " + base + ", " + i));
                Reg max = new Reg(f.let("load " + ty + ", ptr " + maxSlot), c);
                String take = f.let("or i1 " + cx.cmp("fcmp ogt", v, max) + ", " + cx.cmp("fcmp uno", v, v));
                f.line("store " + cx.select(take, v, max).typed() + ", ptr " + maxSlot);
            });
            Reg max = new Reg(f.let("load " + ty + ", ptr " + maxSlot), c);
            f.forLoop(Integer.toString(cols), i -> {
                Reg shifted = Scalars.ftz(f, cx.bin("fsub", input(f, t, in, f.let("add nsw i64 " + base + ", " + i)), max));
                Scalars.store(f, c.dtype(), log ? shifted : exp(e.module, f, c, shifted), row, i);
            });
            Reg total;
            if (!log || pairwiseLog) {
                total = PairwiseSum.call(f, sum, c, row, cols);
            } else { // float64 log-softmax: a sequential sum of exp
                String acc = f.alloca(ty);
                f.line("store double 0.0, ptr " + acc);
                f.forLoop(Integer.toString(cols), i -> {
                    Reg term = exp(e.module, f, c, Scalars.load(f, c.dtype(), row, i, false));
                    f.line("store double " + f.let("fadd double " + f.let("load double, ptr " + acc) + ", " + term.name()) + ", ptr " + acc);
                });
                total = new Reg(f.let("load double, ptr " + acc), c);
            }
            Reg scale = log ? logOf(f, c, total) : cx.bin("fdiv", cx.lit(c, 1), total);
            f.forLoop(Integer.toString(cols), i -> {
                Reg v = Scalars.load(f, c.dtype(), row, i, false);
                Reg y = Scalars.ftz(f, cx.bin(log ? "fsub" : "fmul", v, scale));
                if (direct) Scalars.store(f, t, y, row, i);
                else Scalars.store(f, t, Scalars.round(f, t, y), dst, f.let("add nsw i64 " + base + ", " + i));
            });
        });
    }

    /** An input element widened to the compute type and flushed, as {@code ftz(widen(x)[i])} reads it. */
    private static Reg input(IrFunction f, DType t, String base, String index) {
        return Scalars.ftz(f, Scalars.load(f, t, base, index, true));
    }

    /** {@code ftz(FloatMath.exp(x))} (the interpreter's float exp) or {@code ftz(Math.exp(x))}. */
    private static Reg exp(IrModule m, IrFunction f, ComputeType c, Reg x) {
        if (c == ComputeType.F32) {
            MathFunctions.use(m, "@tfjit_expf");
            return Scalars.ftz(f, new Reg(f.let("call float @tfjit_expf(float " + x.name() + ")"), c));
        }
        return Scalars.ftz(f, new Reg(f.let("call double @exp(double " + x.name() + ")"), c));
    }

    /** {@code (float) Math.log(x)} or {@code Math.log(x)}. */
    private static Reg logOf(IrFunction f, ComputeType c, Reg x) {
        String wide = c == ComputeType.F32 ? f.let("fpext float " + x.name() + " to double") : x.name();
        String y = f.let("call double @log(double " + wide + ")");
        return c == ComputeType.F32 ? new Reg(f.let("fptrunc double " + y + " to float"), c) : new Reg(y, c);
    }
}
