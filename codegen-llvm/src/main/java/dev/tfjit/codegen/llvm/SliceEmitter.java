package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.StridedSliceSpec;
import dev.tfjit.ir.ops.ArrayOps;

import java.util.Set;

/**
 * Ops whose output is one strided view of the input, copied as the interpreter's kernels copy
 * it: {@code slice} (an offset), {@code strided_slice} (TF's resolved begin/stride per dim,
 * new and shrunk axes being only a reshape of the copied box), {@code reverse} (negative
 * strides), {@code tile} (a {@code [m0, d0, m1, d1, ...]} view whose repeat dims have stride
 * 0), and {@code tensor_strided_slice_update} (the input copied, then the value written into
 * the view). The type rules already validated every attribute against the concrete shapes.
 */
final class SliceEmitter {
    private SliceEmitter() {}

    private static final Set<OpDef> OPS = Set.of(ArrayOps.SLICE, ArrayOps.STRIDED_SLICE, ArrayOps.REVERSE, ArrayOps.TILE,
            ArrayOps.TENSOR_STRIDED_SLICE_UPDATE);

    static boolean lowers(OpDef op) { return OPS.contains(op); }

    static void emit(FunctionEmitter e, Node n) {
        Value x = n.inputs().get(0), out = n.output();
        Shape in = e.types.shape(x), os = e.types.shape(out);
        OpDef op = n.op();
        if (op == ArrayOps.TENSOR_STRIDED_SLICE_UPDATE) {
            update(e, n);
            return;
        }
        if (os.numElements() == 0) return;
        ViewCopy.Source src = ViewCopy.Source.of(e, x);
        String dst = e.pointer(out);
        if (op == ArrayOps.SLICE) {
            long[] begin = n.attrs().getLongs("begin");
            long[] strides = in.strides();
            long offset = 0;
            for (int i = 0; i < begin.length; i++) offset += begin[i] * strides[i];
            ViewCopy.copy(e, x.dtype(), src, new ViewCopy.View(offset, strides), dst, ViewCopy.View.rowMajor(os.dims()), os.dims());
        } else if (op == ArrayOps.STRIDED_SLICE) {
            StridedSliceSpec.Resolved r = StridedSliceSpec.of(n.attrs()).resolve(in);
            int[] box = r.processing().dims();
            ViewCopy.View from = new ViewCopy.View(StridedSliceSpec.viewOffset(r, in), StridedSliceSpec.viewStrides(r, in));
            ViewCopy.copy(e, x.dtype(), src, from, dst, ViewCopy.View.rowMajor(box), box);
        } else if (op == ArrayOps.REVERSE) {
            long[] strides = in.strides();
            long offset = 0;
            for (long a : n.attrs().getLongs("axis")) {
                int i = (int) (a < 0 ? a + in.rank() : a);
                offset += (in.dim(i) - 1L) * strides[i];
                strides[i] = -strides[i];
            }
            ViewCopy.copy(e, x.dtype(), src, new ViewCopy.View(offset, strides), dst, ViewCopy.View.rowMajor(os.dims()), os.dims());
        } else { // tile
            long[] m = n.attrs().getLongs("multiples");
            int r = in.rank();
            int[] dims = new int[2 * r];
            long[] strides = new long[2 * r];
            long[] own = in.strides();
            for (int i = 0; i < r; i++) {
                dims[2 * i] = (int) m[i];
                dims[2 * i + 1] = in.dim(i);
                strides[2 * i + 1] = own[i];
            }
            ViewCopy.copy(e, x.dtype(), src, new ViewCopy.View(0, strides), dst, ViewCopy.View.rowMajor(dims), dims);
        }
    }

    /** The input's elements, then the value's written over the resolved view. */
    private static void update(FunctionEmitter e, Node n) {
        Value x = n.inputs().get(0), value = n.inputs().get(1), out = n.output();
        Shape in = e.types.shape(x);
        if (in.numElements() == 0) return;
        e.copyInto(out, x);
        StridedSliceSpec.Resolved r = StridedSliceSpec.of(n.attrs()).resolve(in);
        int[] box = r.processing().dims();
        ViewCopy.View into = new ViewCopy.View(StridedSliceSpec.viewOffset(r, in), StridedSliceSpec.viewStrides(r, in));
        ViewCopy.copy(e, x.dtype(), ViewCopy.Source.of(e, value), ViewCopy.View.rowMajor(box), e.pointer(out), into, box);
    }
}
