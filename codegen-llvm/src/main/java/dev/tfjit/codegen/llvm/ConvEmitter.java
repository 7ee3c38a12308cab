package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.ir.kernels.Conv;
import dev.tfjit.ir.kernels.Window2d;
import dev.tfjit.ir.ops.ConvOps;

import java.util.List;

/**
 * {@code conv2d} and its input and filter gradients, as {@link Conv} defines them: through the
 * patch matrix {@code P[M, K]} (one row per output position, one column per filter tap, zeros
 * in the padding) and the filter as {@code W[K, outC]}.
 * <ul>
 * <li>float32: {@code P} is written to scratch (im2col) and the products run on the packed
 * {@link Sgemm} kernel (both cores when large): {@code P·W}, {@code Pᵀ·dy}, and {@code dy·Wᵀ}
 * whose patch gradients are then added back into the input (col2im).
 * <li>other floats: the same FMA chains as direct loops, taps read in place.
 * </ul>
 * Either way every element is the interpreter's FMA chain in its order (inputs flushed for
 * float32 compute, not for float64), and col2im adds in increasing output position then tap,
 * so results are bit-exact. The pools are {@link PoolEmitter}'s.
 */
final class ConvEmitter {
    private ConvEmitter() {}

    static boolean lowers(OpDef op) {
        return op == ConvOps.CONV2D || op == ConvOps.CONV2D_BACKPROP_INPUT || op == ConvOps.CONV2D_BACKPROP_FILTER || PoolEmitter.lowers(op);
    }

    static void emit(FunctionEmitter e, Node n) {
        OpDef op = n.op();
        if (PoolEmitter.lowers(op)) {
            PoolEmitter.emit(e, n);
            return;
        }
        new ConvEmitter.Kernel(e, n).emit();
    }

    /**
     * The address of an input's elements. A one-element constant is held as an immediate with
     * no address, so it is stored to scratch first (a 1x1x1x1 filter, a one-pixel image).
     */
    static String address(FunctionEmitter e, Value v) {
        if (!e.isImmediate(v)) return e.pointer(v);
        String p = e.scratch(Math.max(8, v.dtype().byteSize()));
        Scalars.store(e.f, v.dtype(), Scalars.constant(e.immediate(v), 0, false), p, "0");
        return p;
    }

    /** One conv node: its geometry over the concrete shapes and the pointers it reads and writes. */
    private static final class Kernel {
        final FunctionEmitter e;
        final IrFunction f;
        final Node n;
        final Window2d.Placed p;
        final DType t;
        final ComputeType c;
        final int kH, kW, ch, outC;
        final long m, k;

        Kernel(FunctionEmitter e, Node n) {
            this.e = e;
            this.f = e.f;
            this.n = n;
            Shape xs = e.types.shape(n.inputs().get(0)), fs = e.types.shape(n.inputs().get(1));
            this.p = Conv.place(xs, fs, n.attrs());
            this.t = n.output().dtype();
            this.c = ComputeType.of(t);
            this.kH = fs.dim(0);
            this.kW = fs.dim(1);
            this.ch = fs.dim(2);
            this.outC = fs.dim(3);
            this.m = p.outputPositions();
            this.k = (long) kH * kW * ch;
        }

        void emit() {
            if (e.bytes(n.output()) == 0) return;
            e.module.helper(MathFunctions.FMA_KEY, MathFunctions.FMA_DECLARATIONS);
            e.module.helper("memset", Sgemm.MEMSET);
            OpDef op = n.op();
            String x = address(e, n.inputs().get(0)), w = address(e, n.inputs().get(1)), out = e.pointer(n.output());
            if (op == ConvOps.CONV2D) {
                if (t == DType.FLOAT32) sgemm(patches(x), k, 1, w, outC, 1, out, m, outC, k);
                else directConv(x, w, out);
            } else if (op == ConvOps.CONV2D_BACKPROP_FILTER) {
                String dy = address(e, n.inputs().get(2));
                if (t == DType.FLOAT32) sgemm(patches(x), 1, k, dy, outC, 1, out, k, outC, m); // Pᵀ (k x m) · dy (m x outC)
                else directFilterGrad(x, dy, out);
            } else {
                String dy = address(e, n.inputs().get(2));
                if (t == DType.FLOAT32) {
                    String grads = e.scratch(m * k * 4);
                    sgemm(dy, outC, 1, w, 1, outC, grads, m, k, outC); // dy (m x outC) · Wᵀ (outC x k)
                    col2im(grads, out);
                } else {
                    directInputGrad(w, dy, out);
                }
            }
        }

        // ------------------------------------------------------------ float32: im2col + Sgemm

        /**
         * The patch matrix in scratch, or the input itself when it already is one (a 1x1 filter,
         * stride 1, no padding). Elements are copied raw: Sgemm flushes them while packing.
         */
        private String patches(String x) {
            Window2d w = p.w();
            if (kH == 1 && kW == 1 && w.strideH() == 1 && w.strideW() == 1 && p.padTop() == 0 && p.padLeft() == 0) return x;
            String pm = e.scratch(Math.max(1, m * k) * 4);
            forEachTap((pos, tap) -> {
                String dst = add(mul(pos.index(), k), mul(tap.index(), ch));
                f.forLoop(Integer.toString(ch), ci -> {
                    String v = f.let("load float, ptr " + gep("float", x, add(tap.source(), ci)));
                    String z = f.let("select i1 " + tap.inside() + ", float " + v + ", float 0.0");
                    f.line("store float " + z + ", ptr " + gep("float", pm, add(dst, ci)));
                });
            });
            return pm;
        }

        /**
         * Adds each patch gradient into the input element it was read from, in increasing output
         * position then tap, then flushes the sums once: as {@code Conv.col2im}.
         */
        private void col2im(String grads, String out) {
            long bytes = e.bytes(n.output());
            f.line("call void @llvm.memset.p0.i64(ptr " + out + ", i8 0, i64 " + bytes + ", i1 false)");
            forEachTap((pos, tap) -> f.ifThen(tap.inside(), () -> {
                String src = add(mul(pos.index(), k), mul(tap.index(), ch));
                f.forLoop(Integer.toString(ch), ci -> {
                    String g = f.let("load float, ptr " + gep("float", grads, add(src, ci)));
                    String dst = gep("float", out, add(tap.source(), ci));
                    String sum = f.let("fadd float " + f.let("load float, ptr " + dst) + ", " + g);
                    f.line("store float " + sum + ", ptr " + dst);
                });
            }));
            f.forLoop(Long.toString(bytes / 4), i -> {
                String at = gep("float", out, i);
                Reg flushed = Scalars.ftz(f, new Reg(f.let("load float, ptr " + at), ComputeType.F32));
                f.line("store float " + flushed.name() + ", ptr " + at);
            });
        }

        /**
         * C[mm x nn] = A·B on the float32 kernel; element (i, q) of A is at {@code i*rowA + q*colA}.
         * Large products split their rows between the caller and the pool's worker, as matmul does.
         */
        private void sgemm(String a, long rowA, long colA, String b, long rowB, long colB, String out, long mm, long nn, long kk) {
            String fn = Sgemm.define(e.module);
            if (!SgemmThreads.splits(mm, nn, kk)) {
                f.line("call void " + fn + "(ptr " + a + ", i64 " + rowA + ", i64 " + colA + ", ptr " + b + ", i64 " + rowB + ", i64 " + colB
                        + ", ptr " + out + ", i64 " + mm + ", i64 " + nn + ", i64 " + kk + ", " + buffers(mm, nn, kk) + ")");
                return;
            }
            SgemmThreads.rowsOnBothCores(e, a, rowA, colA, b, rowB, colB, out, mm, nn, kk, List.of(), null);
        }

        private String buffers(long mm, long nn, long kk) {
            return "ptr " + e.scratch(Sgemm.packABytes(mm, kk)) + ", ptr " + e.scratch(Sgemm.packBBytes(nn, kk)) + ", ptr " + e.scratch(Sgemm.tileBytes());
        }

        // ------------------------------------------------------------ other floats: direct loops

        /** out[pos, o] = FMA chain over the taps of x (0 in the padding) times w[tap, o]. */
        private void directConv(String x, String w, String out) {
            String acc = f.alloca(ty());
            forEachPosition(pos -> f.forLoop(Integer.toString(outC), o -> {
                f.line("store " + ty() + " 0.0, ptr " + acc);
                forEachTapOf(pos, tap -> f.forLoop(Integer.toString(ch), ci -> {
                    Reg xv = tapValue(x, tap, ci);
                    Reg wv = Scalars.load(f, t, w, add(mul(add(mul(tap.index(), ch), ci), outC), o), flush());
                    fma(acc, xv, wv);
                }));
                store(acc, out, add(mul(pos.index(), outC), o));
            }));
        }

        /** out[tap, o] = FMA chain over the output positions of x's tap value times dy[pos, o]. */
        private void directFilterGrad(String x, String dy, String out) {
            String acc = f.alloca(ty());
            f.forLoop(Integer.toString(kH), kh -> f.forLoop(Integer.toString(kW), kw -> f.forLoop(Integer.toString(ch), ci ->
                    f.forLoop(Integer.toString(outC), o -> {
                        f.line("store " + ty() + " 0.0, ptr " + acc);
                        forEachPosition(pos -> {
                            Tap tap = tap(pos, kh, kw);
                            Reg xv = tapValue(x, tap, ci);
                            Reg g = Scalars.load(f, t, dy, add(mul(pos.index(), outC), o), flush());
                            fma(acc, xv, g);
                        });
                        String row = add(mul(add(mul(kh, kW), kw), ch), ci);
                        store(acc, out, add(mul(row, outC), o));
                    }))));
        }

        /**
         * Each patch gradient (the FMA chain of dy[pos, :] and w[tap, :], flushed for float32
         * compute) added into a compute-typed accumulator in col2im order, then stored.
         */
        private void directInputGrad(String w, String dy, String out) {
            long elements = e.types.shape(n.output()).numElements();
            String sums = e.scratch(elements * (c == ComputeType.F32 ? 4 : 8));
            f.line("call void @llvm.memset.p0.i64(ptr " + sums + ", i8 0, i64 " + elements * (c == ComputeType.F32 ? 4 : 8) + ", i1 false)");
            String acc = f.alloca(ty());
            forEachTap((pos, tap) -> f.ifThen(tap.inside(), () -> f.forLoop(Integer.toString(ch), ci -> {
                f.line("store " + ty() + " 0.0, ptr " + acc);
                f.forLoop(Integer.toString(outC), o -> {
                    Reg g = Scalars.load(f, t, dy, add(mul(pos.index(), outC), o), flush());
                    Reg wv = Scalars.load(f, t, w, add(mul(add(mul(tap.index(), ch), ci), outC), o), flush());
                    fma(acc, g, wv);
                });
                Reg patchGrad = new Reg(f.let("load " + ty() + ", ptr " + acc), c);
                if (c == ComputeType.F32) patchGrad = Scalars.ftz(f, patchGrad);
                String dst = gep(ty(), sums, add(tap.source(), ci));
                String sum = f.let("fadd " + ty() + " " + f.let("load " + ty() + ", ptr " + dst) + ", " + patchGrad.name());
                f.line("store " + ty() + " " + sum + ", ptr " + dst);
            })));
            f.forLoop(Long.toString(elements), i -> {
                Reg v = new Reg(f.let("load " + ty() + ", ptr " + gep(ty(), sums, i)), c);
                Scalars.store(f, t, t == DType.FLOAT64 ? v : Scalars.round(f, t, v), out, i);
            });
        }

        /** x at a tap (0 in the padding), loaded only from inside the input. */
        private Reg tapValue(String x, Tap tap, String ci) {
            Reg v = Scalars.load(f, t, x, add(tap.source(), ci), flush());
            return new Reg(f.let("select i1 " + tap.inside() + ", " + v.typed() + ", " + ty() + " 0.0"), c);
        }

        private void fma(String acc, Reg a, Reg b) {
            String old = f.let("load " + ty() + ", ptr " + acc);
            String suffix = c == ComputeType.F32 ? "f32" : "f64";
            f.line("store " + ty() + " " + f.let("call " + ty() + " @llvm.fma." + suffix + "(" + a.typed() + ", " + b.typed() + ", " + ty() + " " + old + ")")
                    + ", ptr " + acc);
        }

        /** The accumulator stored as the interpreter's matmul stores it: flushed (float32 compute only) and narrowed. */
        private void store(String acc, String out, String index) {
            Reg v = new Reg(f.let("load " + ty() + ", ptr " + acc), c);
            Scalars.store(f, t, t == DType.FLOAT64 ? v : Scalars.round(f, t, v), out, index);
        }

        /** The interpreter's matmul flushes float32 compute only. */
        private boolean flush() { return c == ComputeType.F32; }

        private String ty() { return Scalars.llvmType(c); }

        // ------------------------------------------------------------ walking windows

        /** An output position: its row index in P and its (batch, row, column). */
        record Position(String index, String b, String oh, String ow) {}

        /**
         * A filter tap at an output position: its column block in P ({@code (kh*kW + kw)}), whether
         * it lies inside the input, and the input element offset of its channel 0 (clamped to 0
         * outside, so a load there is harmless).
         */
        record Tap(String index, String inside, String source) {}

        private void forEachPosition(java.util.function.Consumer<Position> body) {
            f.forLoop(Integer.toString(p.batch()), b -> f.forLoop(Integer.toString(p.outH()), oh -> f.forLoop(Integer.toString(p.outW()), ow -> {
                String index = add(mul(add(mul(b, p.outH()), oh), p.outW()), ow);
                body.accept(new Position(index, b, oh, ow));
            })));
        }

        private void forEachTapOf(Position pos, java.util.function.Consumer<Tap> body) {
            f.forLoop(Integer.toString(kH), kh -> f.forLoop(Integer.toString(kW), kw -> body.accept(tap(pos, kh, kw))));
        }

        /** Every (position, tap) pair in increasing position, then tap. */
        private void forEachTap(java.util.function.BiConsumer<Position, Tap> body) {
            forEachPosition(pos -> forEachTapOf(pos, tap -> body.accept(pos, tap)));
        }

        private Tap tap(Position pos, String kh, String kw) {
            Window2d w = p.w();
            String ih = add(add(mul(pos.oh(), w.strideH()), Long.toString(-p.padTop())), mul(kh, w.dilationH()));
            String iw = add(add(mul(pos.ow(), w.strideW()), Long.toString(-p.padLeft())), mul(kw, w.dilationW()));
            String inside = f.let("and i1 " + f.let("icmp ult i64 " + ih + ", " + p.inH()) + ", " + f.let("icmp ult i64 " + iw + ", " + p.inW()));
            String source = mul(add(mul(add(mul(pos.b(), p.inH()), ih), p.inW()), iw), ch);
            return new Tap(add(mul(kh, kW), kw), inside, f.let("select i1 " + inside + ", i64 " + source + ", i64 0"));
        }

        // ------------------------------------------------------------ index arithmetic

        private String add(String a, String b) { return f.let("add i64 " + a + ", " + b); }

        private String mul(String a, long by) { return by == 1 ? a : f.let("mul i64 " + a + ", " + by); }

        private String gep(String type, String base, String index) { return f.let("getelementptr inbounds " + type + ", ptr " + base + ", i64 " + index); }
    }
}
