package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.ir.ops.NnOps;

import java.util.ArrayList;
import java.util.List;

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
        // A large output is written once, streaming, from a scratch row (its lines need not be read first).
        boolean streaming = direct && e.bytes(out) >= FunctionEmitter.STREAMING_BYTES && e.isAligned(out)
                && (long) cols * t.byteSize() % Buffer.ALIGNMENT == 0;
        String in = ViewCopy.address(e, x), dst = e.pointer(out);
        long rowBytes = ((long) cols * c.dtype().byteSize() + Buffer.ALIGNMENT - 1) / Buffer.ALIGNMENT * Buffer.ALIGNMENT;
        String scratchRows = direct && !streaming ? null : e.uninitializedScratch(2 * rowBytes); // one row per part
        // The helpers: the row max, the plain sum of a stored row, and (log-softmax) the sum of exp of a shifted row.
        // Softmax (not log-softmax) reads its float32 input unflushed: the max of the raw row, flushed,
        // is the max of the flushed row but for the sign of a zero, and x - m only feeds exp, which
        // gives exp(-m) for a subnormal x and any m as for x's flushed zero (a zero m's sign is lost there too).
        boolean raw = !log && c == ComputeType.F32;
        String max = RowLanes.defineMaxMin(e, c, true, (h, row, i) -> Scalars.load(h, t, row, i, !raw));
        boolean pairwiseLog = log && c == ComputeType.F32;
        // Rows up to 16 leaves are summed while the exps are computed (RowLanes.sumInPieces); longer ones read them back.
        boolean fold = (!log || pairwiseLog) && cols <= 16L * dev.tfjit.ir.kernels.Reduce.LEAF;
        String sum = fold ? null : !log ? PairwiseSum.define(e, c, (h, row, i) -> Scalars.ftz(h, Scalars.load(h, c.dtype(), row, i, false)))
                : pairwiseLog ? PairwiseSum.define(e, c, (h, row, i) -> exp(e.module, h, c, Scalars.load(h, c.dtype(), row, i, false))) : null;
        List<String> used = new ArrayList<>(List.of(in, dst));
        if (scratchRows != null) used.add(scratchRows);
        // Each element costs an exp (or a log-softmax exp), as an exp op would.
        boolean parallel = rows >= 2 && ParallelLoop.worthSplitting(rows * cols, ParallelLoop.cost(dev.tfjit.ir.ops.ElementwiseOps.EXP));
        ParallelLoop.emit(e, rows, rows / 2, parallel, used, (k, ptr, begin, end, part) -> {
            IrFunction f = k.f;
            String src = ptr.apply(in), to = ptr.apply(dst);
            String scratchRow = scratchRows == null ? null
                    : f.let("getelementptr inbounds i8, ptr " + ptr.apply(scratchRows) + ", i64 " + f.let("mul i64 " + part + ", " + rowBytes));
            f.forRange(begin, end, r -> {
                String base = f.let("mul nsw i64 " + r + ", " + cols);
                String xRow = f.let("getelementptr inbounds " + Scalars.memoryType(t) + ", ptr " + src + ", i64 " + base);
                String outRow = f.let("getelementptr inbounds " + Scalars.memoryType(t) + ", ptr " + to + ", i64 " + base);
                String row = scratchRow == null ? outRow : scratchRow;
                Reg rowMax = PairwiseSum.call(f, max, c, xRow, cols);
                Reg m = raw ? Scalars.ftz(f, rowMax) : rowMax;
                // Stores element i of the row and returns it (log-softmax: stores the shifted value, returns its exp).
                java.util.function.Function<String, Reg> storeAt = i -> {
                    Reg shifted = k.bin("fsub", Scalars.load(f, t, xRow, i, !raw), m);
                    // FloatMath.exp gives the same for a subnormal as for its flushed zero (ElementwiseLowerings.ignoresSubnormalInput).
                    Reg v = log || c == ComputeType.F64 ? Scalars.ftz(f, shifted) : shifted;
                    if (!log) v = exp(k.module, f, c, v);
                    Scalars.store(f, c.dtype(), v, row, i);
                    return log && fold ? exp(k.module, f, c, v) : v;
                };
                Reg total;
                if (fold) {
                    total = RowLanes.sumInPieces(k, c, storeAt, cols, k.module.accessGroup());
                } else if (!log || pairwiseLog) {
                    independent(k, cols, storeAt::apply); // a column never reads another's element
                    total = PairwiseSum.call(f, sum, c, row, cols);
                } else { // float64 log-softmax: the shifted row, then a sequential sum of exp
                    independent(k, cols, storeAt::apply);
                    String acc = f.alloca(ty);
                    f.line("store double 0.0, ptr " + acc);
                    f.forLoop(Integer.toString(cols), i -> {
                        Reg term = exp(k.module, f, c, Scalars.load(f, c.dtype(), row, i, false));
                        f.line("store double " + f.let("fadd double " + f.let("load double, ptr " + acc) + ", " + term.name()) + ", ptr " + acc);
                    });
                    total = new Reg(f.let("load double, ptr " + acc), c);
                }
                Reg scale = log ? logOf(f, c, total) : k.bin("fdiv", k.lit(c, 1), total);
                java.util.function.Function<String, Reg> result = i -> {
                    Reg y = Scalars.ftz(f, k.bin(log ? "fsub" : "fmul", Scalars.load(f, c.dtype(), row, i, false), scale));
                    return direct ? y : Scalars.round(f, t, y);
                };
                if (streaming) e.streamLines(k, outRow, t, Long.toString((long) cols * t.byteSize() / Buffer.ALIGNMENT), result);
                else independent(k, cols, i -> Scalars.store(f, t, result.apply(i), outRow, i));
            });
            // Streaming stores are weakly ordered: make them visible before the part reports done.
            if (streaming) k.f.line("fence seq_cst");
        });
    }

    /** A loop over a row's columns whose iterations touch different elements (no overlap checks for the vectorizer). */
    private static void independent(KernelContext k, int cols, java.util.function.Consumer<String> body) {
        String[] independent = k.module.independentLoop();
        k.f.accessGroup = independent[0];
        k.f.forLoop(Integer.toString(cols), body, independent[1]);
        k.f.accessGroup = null;
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
