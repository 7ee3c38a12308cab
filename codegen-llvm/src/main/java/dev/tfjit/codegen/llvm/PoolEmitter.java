package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.ir.kernels.Pool;
import dev.tfjit.ir.kernels.Window2d;
import dev.tfjit.ir.ops.ConvOps;

import java.util.function.Consumer;

/**
 * {@code max_pool}, {@code avg_pool} and their gradients as {@link Pool} defines them. Per output
 * position the window's rows and columns are clipped to the input (the padding is never read),
 * then the window is folded tap by tap in row-major order with the channels innermost: a row of
 * per-channel accumulators in scratch is updated by one contiguous, vectorizable loop per tap, and
 * each channel still sees the interpreter's order. Gradients add into a compute-typed accumulator
 * (the output itself for float32 and float64) in output order, flushed and narrowed once at the end.
 */
final class PoolEmitter {
    private PoolEmitter() {}

    static boolean lowers(OpDef op) {
        return op == ConvOps.MAX_POOL || op == ConvOps.MAX_POOL_GRAD || op == ConvOps.AVG_POOL || op == ConvOps.AVG_POOL_GRAD;
    }

    static void emit(FunctionEmitter e, Node n) {
        if (e.bytes(n.output()) == 0) return;
        OpDef op = n.op();
        String tfOp = op == ConvOps.MAX_POOL ? "MaxPool" : op == ConvOps.MAX_POOL_GRAD ? "MaxPoolGrad" : op == ConvOps.AVG_POOL ? "AvgPool" : "AvgPoolGrad";
        Window2d.Placed p = Pool.place(e.types.shape(n.inputs().get(0)), n.attrs(), tfOp);
        new PoolEmitter.Loops(e, n, p).emit();
    }

    private static final class Loops {
        final FunctionEmitter e;
        final IrFunction f;
        final Node n;
        final Window2d.Placed p;
        final DType t;
        final ComputeType c;
        final String ty;
        final int ch;

        Loops(FunctionEmitter e, Node n, Window2d.Placed p) {
            this.e = e;
            this.f = e.f;
            this.n = n;
            this.p = p;
            this.t = n.inputs().get(0).dtype();
            this.c = ComputeType.of(t);
            this.ty = Scalars.llvmType(c);
            this.ch = p.channels();
        }

        void emit() {
            e.module.helper("memset", Sgemm.MEMSET);
            OpDef op = n.op();
            String x = ConvEmitter.address(e, n.inputs().get(0)), out = e.pointer(n.output());
            if (op == ConvOps.MAX_POOL) {
                String best = e.scratch((long) ch * 8), at = e.scratch((long) ch * 8);
                forEachWindow(w -> {
                    maxOf(x, w, best, at);
                    channels(k -> Scalars.store(f, t, new Reg(load(best, k), c), out, add(w.out(), k)));
                });
            } else if (op == ConvOps.AVG_POOL) {
                String sum = e.scratch((long) ch * 8);
                forEachWindow(w -> {
                    // -0 + v is v for every v: the same as starting from the window's first element.
                    channels(k -> store(negativeZero(), sum, k));
                    w.taps(in -> channels(k -> store(f.let("fadd " + ty + " " + load(sum, k) + ", " + Scalars.load(f, t, x, add(in, k), true).name()),
                            sum, k)));
                    String count = w.count();
                    channels(k -> {
                        Reg mean = new Reg(f.let("fdiv " + ty + " " + load(sum, k) + ", " + count), c);
                        Scalars.store(f, t, Scalars.round(f, t, mean), out, add(w.out(), k));
                    });
                });
            } else {
                String dy = ConvEmitter.address(e, n.inputs().get(1));
                long elements = e.types.shape(n.output()).numElements();
                long bytes = elements * (c == ComputeType.F32 ? 4 : 8);
                boolean inPlace = t == DType.FLOAT32 || t == DType.FLOAT64; // the output holds compute-typed sums itself
                String sums = inPlace ? out : e.scratch(bytes);
                f.line("call void @llvm.memset.p0.i64(ptr " + sums + ", i8 0, i64 " + bytes + ", i1 false)");
                if (op == ConvOps.MAX_POOL_GRAD) {
                    String best = e.scratch((long) ch * 8), at = e.scratch((long) ch * 8);
                    forEachWindow(w -> {
                        maxOf(x, w, best, at);
                        channels(k -> addInto(sums, f.let("load i64, ptr " + gep("i64", at, k)), Scalars.load(f, t, dy, add(w.out(), k), true)));
                    });
                } else {
                    String share = e.scratch((long) ch * 8);
                    forEachWindow(w -> {
                        String count = w.count();
                        channels(k -> store(Scalars.ftz(f, new Reg(f.let("fdiv " + ty + " " + Scalars.load(f, t, dy, add(w.out(), k), true).name()
                                + ", " + count), c)).name(), share, k));
                        w.taps(in -> channels(k -> addInto(sums, add(in, k), new Reg(load(share, k), c))));
                    });
                }
                f.forLoop(Long.toString(elements), i -> Scalars.store(f, t, Scalars.round(f, t, new Reg(load(sums, i), c)), out, i));
            }
        }

        /**
         * Per channel, the window's maximum (unflushed) into {@code best} and the input index of
         * the element holding it into {@code at}: the first element, replaced by every later one
         * that is greater or NaN. Starting from -inf is the same, with the index at the first element.
         */
        private void maxOf(String x, Window w, String best, String at) {
            String minusInf = c == ComputeType.F32 ? Scalars.floatLiteral(Float.NEGATIVE_INFINITY) : Scalars.doubleLiteral(Double.NEGATIVE_INFINITY);
            String first = w.first();
            channels(k -> {
                store(minusInf, best, k);
                f.line("store i64 " + add(first, k) + ", ptr " + gep("i64", at, k));
            });
            w.taps(in -> channels(k -> {
                String i = add(in, k);
                Reg v = Scalars.load(f, t, x, i, false);
                String old = load(best, k);
                String take = f.let("or i1 " + f.let("fcmp ogt " + v.typed() + ", " + old) + ", " + f.let("fcmp uno " + v.typed() + ", " + v.name()));
                store(f.let("select i1 " + take + ", " + v.typed() + ", " + ty + " " + old), best, k);
                String atK = gep("i64", at, k);
                f.line("store i64 " + f.let("select i1 " + take + ", i64 " + i + ", i64 " + f.let("load i64, ptr " + atK)) + ", ptr " + atK);
            }));
        }

        private String negativeZero() { return c == ComputeType.F32 ? Scalars.floatLiteral(-0f) : Scalars.doubleLiteral(-0.0); }

        private void addInto(String sums, String index, Reg v) {
            String at = gep(ty, sums, index);
            f.line("store " + ty + " " + f.let("fadd " + ty + " " + f.let("load " + ty + ", ptr " + at) + ", " + v.name()) + ", ptr " + at);
        }

        private void channels(Consumer<String> body) { f.forLoop(Integer.toString(ch), body); }

        private String load(String base, String index) { return f.let("load " + ty + ", ptr " + gep(ty, base, index)); }

        private void store(String value, String base, String index) { f.line("store " + ty + " " + value + ", ptr " + gep(ty, base, index)); }

        private String gep(String type, String base, String index) { return f.let("getelementptr inbounds " + type + ", ptr " + base + ", i64 " + index); }

        private String add(String a, String b) { return f.let("add i64 " + a + ", " + b); }

        /** One output position's window, clipped to the input: rows [rowLo, rowHi) and columns [colLo, colHi) of batch b. */
        final class Window {
            final String b, rowLo, rowHi, colLo, colHi, out;

            Window(String b, String rowLo, String rowHi, String colLo, String colHi, String out) {
                this.b = b;
                this.rowLo = rowLo;
                this.rowHi = rowHi;
                this.colLo = colLo;
                this.colHi = colHi;
                this.out = out;
            }

            /** The output element offset of channel 0. */
            String out() { return out; }

            /** The input element offset of channel 0 at (row, col). */
            String at(String row, String col) {
                String pixel = f.let("add i64 " + f.let("mul i64 " + f.let("add i64 " + f.let("mul i64 " + b + ", " + p.inH()) + ", " + row) + ", " + p.inW())
                        + ", " + col);
                return f.let("mul i64 " + pixel + ", " + ch);
            }

            String first() { return at(rowLo, colLo); }

            /** The number of elements, in the compute type. */
            String count() {
                String rows = f.let("sub i64 " + rowHi + ", " + rowLo), cols = f.let("sub i64 " + colHi + ", " + colLo);
                return f.let("sitofp i64 " + f.let("mul i64 " + rows + ", " + cols) + " to " + ty);
            }

            /** The taps in row-major order, each as the input offset of its channel 0. */
            void taps(Consumer<String> body) {
                f.forRange(rowLo, rowHi, row -> f.forRange(colLo, colHi, col -> body.accept(at(row, col))));
            }
        }

        /** Every output position (batch, row, column in row-major order) with its clipped window. */
        private void forEachWindow(Consumer<Window> body) {
            Window2d w = p.w();
            f.forLoop(Integer.toString(p.batch()), b -> f.forLoop(Integer.toString(p.outH()), oh -> f.forLoop(Integer.toString(p.outW()), ow -> {
                String top = f.let("sub i64 " + f.let("mul i64 " + oh + ", " + w.strideH()) + ", " + p.padTop());
                String left = f.let("sub i64 " + f.let("mul i64 " + ow + ", " + w.strideW()) + ", " + p.padLeft());
                String rowLo = f.let("call i64 @llvm.smax.i64(i64 " + top + ", i64 0)");
                String rowHi = f.let("call i64 @llvm.smin.i64(i64 " + f.let("add i64 " + top + ", " + w.kH()) + ", i64 " + p.inH() + ")");
                String colLo = f.let("call i64 @llvm.smax.i64(i64 " + left + ", i64 0)");
                String colHi = f.let("call i64 @llvm.smin.i64(i64 " + f.let("add i64 " + left + ", " + w.kW()) + ", i64 " + p.inW() + ")");
                String pos = f.let("add i64 " + f.let("mul i64 " + f.let("add i64 " + f.let("mul i64 " + b + ", " + p.outH()) + ", " + oh) + ", " + p.outW()) + ", " + ow);
                body.accept(new Window(b, rowLo, rowHi, colLo, colHi, f.let("mul i64 " + pos + ", " + ch)));
            })));
        }
    }
}
