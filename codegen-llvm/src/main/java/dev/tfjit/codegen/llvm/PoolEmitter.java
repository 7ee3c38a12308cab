package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.ir.kernels.Pool;
import dev.tfjit.ir.kernels.Window2d;
import dev.tfjit.ir.ops.ConvOps;

/**
 * {@code max_pool}, {@code avg_pool} and their gradients as {@link Pool} defines them, one loop
 * nest per node: per output position the window's rows and columns are clipped to the input
 * (so the padding is never read), then per channel the window is folded in row-major order.
 * Gradients add into a compute-typed accumulator in output order and are flushed and narrowed
 * once at the end, as the interpreter does.
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

        Loops(FunctionEmitter e, Node n, Window2d.Placed p) {
            this.e = e;
            this.f = e.f;
            this.n = n;
            this.p = p;
            this.t = n.inputs().get(0).dtype();
            this.c = ComputeType.of(t);
            this.ty = Scalars.llvmType(c);
        }

        void emit() {
            e.module.helper("memset", Sgemm.MEMSET);
            OpDef op = n.op();
            String x = e.pointer(n.inputs().get(0)), out = e.pointer(n.output());
            if (op == ConvOps.MAX_POOL) {
                forEachWindow((w, o) -> {
                    Reg best = maxOf(x, w, false);
                    Scalars.store(f, t, best, out, o);
                });
            } else if (op == ConvOps.AVG_POOL) {
                String acc = f.alloca(ty);
                forEachWindow((w, o) -> {
                    f.line("store " + ty + " " + negativeZero() + ", ptr " + acc); // -0 + v is v for every v, as starting from the first element
                    w.taps(at -> {
                        Reg v = Scalars.load(f, t, x, at, true);
                        f.line("store " + ty + " " + f.let("fadd " + ty + " " + f.let("load " + ty + ", ptr " + acc) + ", " + v.name()) + ", ptr " + acc);
                    });
                    Reg mean = new Reg(f.let("fdiv " + ty + " " + f.let("load " + ty + ", ptr " + acc) + ", " + w.count(c)), c);
                    Scalars.store(f, t, Scalars.round(f, t, mean), out, o);
                });
            } else {
                String dy = e.pointer(n.inputs().get(1));
                long elements = e.types.shape(n.output()).numElements();
                long bytes = elements * (c == ComputeType.F32 ? 4 : 8);
                String sums = e.scratch(bytes);
                f.line("call void @llvm.memset.p0.i64(ptr " + sums + ", i8 0, i64 " + bytes + ", i1 false)");
                if (op == ConvOps.MAX_POOL_GRAD) {
                    forEachWindow((w, o) -> {
                        Reg winner = maxOf(x, w, true);
                        addInto(sums, winner.name(), Scalars.load(f, t, dy, o, true));
                    });
                } else {
                    forEachWindow((w, o) -> {
                        Reg g = Scalars.load(f, t, dy, o, true);
                        Reg share = Scalars.ftz(f, new Reg(f.let("fdiv " + ty + " " + g.name() + ", " + w.count(c)), c));
                        w.taps(at -> addInto(sums, at, share));
                    });
                }
                f.forLoop(Long.toString(elements), i -> {
                    Reg v = new Reg(f.let("load " + ty + ", ptr " + f.let("getelementptr inbounds " + ty + ", ptr " + sums + ", i64 " + i)), c);
                    Scalars.store(f, t, Scalars.round(f, t, v), out, i);
                });
            }
        }

        private String negativeZero() { return c == ComputeType.F32 ? Scalars.floatLiteral(-0f) : Scalars.doubleLiteral(-0.0); }

        private void addInto(String sums, String index, Reg v) {
            String at = f.let("getelementptr inbounds " + ty + ", ptr " + sums + ", i64 " + index);
            f.line("store " + ty + " " + f.let("fadd " + ty + " " + f.let("load " + ty + ", ptr " + at) + ", " + v.name()) + ", ptr " + at);
        }

        /**
         * The window's maximum, unflushed (or, with {@code index}, the input index of the element
         * holding it, as an i64 Reg): the first element, replaced by every later one that is
         * greater or NaN. Starting from -inf is the same: the first element always replaces it
         * or equals it, and the index starts at the first element.
         */
        private Reg maxOf(String x, Window w, boolean index) {
            String best = f.alloca(ty), at = f.alloca("i64");
            f.line("store " + ty + " " + (c == ComputeType.F32 ? Scalars.floatLiteral(Float.NEGATIVE_INFINITY) : Scalars.doubleLiteral(Double.NEGATIVE_INFINITY))
                    + ", ptr " + best);
            f.line("store i64 " + w.first() + ", ptr " + at);
            w.taps(i -> {
                Reg v = Scalars.load(f, t, x, i, false);
                String old = f.let("load " + ty + ", ptr " + best);
                String take = f.let("or i1 " + f.let("fcmp ogt " + v.typed() + ", " + old) + ", " + f.let("fcmp uno " + v.typed() + ", " + v.name()));
                f.line("store " + ty + " " + f.let("select i1 " + take + ", " + v.typed() + ", " + ty + " " + old) + ", ptr " + best);
                f.line("store i64 " + f.let("select i1 " + take + ", i64 " + i + ", i64 " + f.let("load i64, ptr " + at)) + ", ptr " + at);
            });
            return index ? new Reg(f.let("load i64, ptr " + at), ComputeType.I64) : new Reg(f.let("load " + ty + ", ptr " + best), c);
        }

        /** One output element's window, clipped to the input: rows [rowLo, rowHi), columns [colLo, colHi) of batch b, channel ch. */
        final class Window {
            final String b, ch, rowLo, rowHi, colLo, colHi;

            Window(String b, String ch, String rowLo, String rowHi, String colLo, String colHi) {
                this.b = b;
                this.ch = ch;
                this.rowLo = rowLo;
                this.rowHi = rowHi;
                this.colLo = colLo;
                this.colHi = colHi;
            }

            String at(String row, String col) {
                String pixel = f.let("add i64 " + f.let("mul i64 " + f.let("add i64 " + f.let("mul i64 " + b + ", " + p.inH()) + ", " + row) + ", " + p.inW())
                        + ", " + col);
                return f.let("add i64 " + f.let("mul i64 " + pixel + ", " + p.channels()) + ", " + ch);
            }

            String first() { return at(rowLo, colLo); }

            /** The number of elements, as a value of compute type {@code ct}. */
            String count(ComputeType ct) {
                String rows = f.let("sub i64 " + rowHi + ", " + rowLo), cols = f.let("sub i64 " + colHi + ", " + colLo);
                return f.let("sitofp i64 " + f.let("mul i64 " + rows + ", " + cols) + " to " + Scalars.llvmType(ct));
            }

            void taps(java.util.function.Consumer<String> body) {
                f.forRange(rowLo, rowHi, row -> f.forRange(colLo, colHi, col -> body.accept(at(row, col))));
            }
        }

        /** Every output element (batch, row, column, channel in row-major order) with its clipped window and output index. */
        private void forEachWindow(java.util.function.BiConsumer<Window, String> body) {
            Window2d w = p.w();
            f.forLoop(Integer.toString(p.batch()), b -> f.forLoop(Integer.toString(p.outH()), oh -> f.forLoop(Integer.toString(p.outW()), ow -> {
                String top = f.let("sub i64 " + f.let("mul i64 " + oh + ", " + w.strideH()) + ", " + p.padTop());
                String left = f.let("sub i64 " + f.let("mul i64 " + ow + ", " + w.strideW()) + ", " + p.padLeft());
                String rowLo = f.let("call i64 @llvm.smax.i64(i64 " + top + ", i64 0)");
                String rowHi = f.let("call i64 @llvm.smin.i64(i64 " + f.let("add i64 " + top + ", " + w.kH()) + ", i64 " + p.inH() + ")");
                String colLo = f.let("call i64 @llvm.smax.i64(i64 " + left + ", i64 0)");
                String colHi = f.let("call i64 @llvm.smin.i64(i64 " + f.let("add i64 " + left + ", " + w.kW()) + ", i64 " + p.inW() + ")");
                String pos = f.let("add i64 " + f.let("mul i64 " + f.let("add i64 " + f.let("mul i64 " + b + ", " + p.outH()) + ", " + oh) + ", " + p.outW()) + ", " + ow);
                f.forLoop(Integer.toString(p.channels()), ch -> {
                    String o = f.let("add i64 " + f.let("mul i64 " + pos + ", " + p.channels()) + ", " + ch);
                    body.accept(new Window(b, ch, rowLo, rowHi, colLo, colHi), o);
                });
            })));
        }
    }
}
