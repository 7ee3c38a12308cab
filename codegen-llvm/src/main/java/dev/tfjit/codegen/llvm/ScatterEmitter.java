package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.ArrayOps;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code scatter_nd} (updates summed into zeros; the gradient of gather) and
 * {@code tensor_scatter_nd_update} (slices overwritten, the last duplicate wins), as the
 * interpreter's {@code Scatter} kernels: every index row is validated first, the first bad row
 * raising the interpreter's exact message, then the rows are applied in order, so duplicate
 * indices accumulate in the same order and float sums are bit-identical. Sums are the
 * interpreter's: float32/float64 added unflushed, narrow integers wrapped, halves added in
 * double and rounded through float.
 */
final class ScatterEmitter {
    private ScatterEmitter() {}

    static boolean lowers(OpDef op) { return op == ArrayOps.SCATTER_ND || op == ArrayOps.TENSOR_SCATTER_ND_UPDATE; }

    static void emit(FunctionEmitter e, Node n) {
        IrFunction f = e.f;
        boolean update = n.op() == ArrayOps.TENSOR_SCATTER_ND_UPDATE;
        Value indices = n.inputs().get(update ? 1 : 0), updates = n.inputs().get(update ? 2 : 1), out = n.output();
        Shape shape = e.types.shape(out), is = e.types.shape(indices);
        int depth = is.dim(-1);
        int[] rowDims = java.util.Arrays.copyOf(is.dims(), is.rank() - 1);
        long rows = Shape.of(rowDims).numElements();
        long slice = GatherEmitter.product(shape, depth, shape.rank());
        long[] strides = new long[depth];
        for (int j = depth - 1, acc = 1; j >= 0; j--) { strides[j] = acc; acc *= shape.dim(j); }
        List<Integer> bit = depth == 0 || rows == 0 ? List.of() : GatherEmitter.validate(e, rows, r -> {
            List<String> values = new ArrayList<>();
            String bad = "false";
            for (int j = 0; j < depth; j++) {
                String v = GatherEmitter.index(e, indices, f.let("add nsw i64 " + f.let("mul nsw i64 " + r + ", " + depth) + ", " + j));
                values.add(v);
                bad = f.let("or i1 " + bad + ", " + f.let("icmp uge i64 " + v + ", " + shape.dim(j)));
            }
            List<String> coords = DetailedError.coordinates(f, r, rowDims);
            List<String> all = new ArrayList<>(coords);
            all.addAll(values);
            DetailedError.raiseIf(e, bad, all, s -> "indices" + DetailedError.bracketed(s.subList(0, coords.size()), ",")
                    + " = " + DetailedError.bracketed(s.subList(coords.size(), s.size()), ", ")
                    + " does not index into shape " + shape.brief());
        });
        DType t = updates.dtype();
        if (!update && t == DType.BOOL && rows > 0) {
            throw new DTypeError("scatter_nd sums duplicate indices, which is not defined for " + t).in(n.op().name(), n.location());
        }
        if (shape.numElements() == 0) return;
        String dst = e.pointer(out);
        if (update) {
            e.copyInto(out, n.inputs().get(0));
        } else {
            e.module.helper("memset", "declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)");
            f.line("call void @llvm.memset.p0.i64(ptr " + dst + ", i8 0, i64 " + e.bytes(out) + ", i1 false)");
        }
        if (rows == 0 || slice == 0) return;
        ViewCopy.Source src = ViewCopy.Source.of(e, updates);
        String ty = ViewCopy.bitsType(t);
        GatherEmitter.guard(e, bit, () -> f.forLoop(Long.toString(rows), r -> {
            String off = "0";
            for (int j = 0; j < depth; j++) {
                String v = GatherEmitter.index(e, indices, f.let("add nsw i64 " + f.let("mul nsw i64 " + r + ", " + depth) + ", " + j));
                off = f.let("add nsw i64 " + off + ", " + f.let("mul nsw i64 " + v + ", " + strides[j]));
            }
            String to = f.let("mul nsw i64 " + off + ", " + slice);
            String from = f.let("mul nsw i64 " + r + ", " + slice);
            if (update) {
                GatherEmitter.move(e, ty, src, from, dst, to, slice, t.byteSize());
                return;
            }
            f.forLoop(Long.toString(slice), k -> {
                String o = f.let("add nsw i64 " + to + ", " + k);
                Reg a = Scalars.load(f, t, dst, o, false);
                Reg b = src.isImmediate() ? Scalars.constant(e.immediate(updates), 0, false)
                        : Scalars.load(f, t, src.pointer(), f.let("add nsw i64 " + from + ", " + k), false);
                Scalars.store(f, t, sum(e.cx, t, a, b), dst, o);
            });
        }));
    }

    /** {@code a + b} as the interpreter's scatter_nd adds one update into the output. */
    private static Reg sum(KernelContext cx, DType t, Reg a, Reg b) {
        return switch (t) {
            case FLOAT32, FLOAT64 -> cx.bin("fadd", a, b);
            case FLOAT16, BFLOAT16 -> { // setDouble((float) (getDouble + getDouble))
                Reg wide = cx.bin("fadd", cx.fpext(a), cx.fpext(b));
                yield cx.fptrunc(wide);
            }
            default -> cx.bin("add", a, b); // ints: wrapped to the dtype by the store
        };
    }
}
