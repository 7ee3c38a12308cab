package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Node;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.kernels.StridedSliceSpec;
import dev.tfjit.ir.ops.ArrayOps;

/**
 * Data movement that is one strided view of its input over the output's own dims: transpose
 * (permuted strides), broadcast_to (zero strides), slice (an offset), reverse (negative
 * strides) and strided_slice (TF's resolved begin and step per dim; its new and shrunk axes
 * have size 1, so they only reshape the box). A kernel that reads such an output can read the input through the view instead
 * ({@link FusionPlan}: index arithmetic, as XLA fuses them), so the output is never stored.
 */
final class Views {
    private Views() {}

    /** Whether {@code n}'s output is one such view of its first input. */
    static boolean isView(Node n) {
        return DataMovement.isStrided(n.op()) || n.op() == ArrayOps.SLICE || n.op() == ArrayOps.REVERSE
                || n.op() == ArrayOps.STRIDED_SLICE;
    }

    /** The view {@code n}'s output is of its input: element offset and one stride per output dim. */
    static ViewCopy.View of(Node n, Shape in, Shape out) {
        if (DataMovement.isStrided(n.op())) return new ViewCopy.View(0, DataMovement.readStrides(n, in, out));
        if (n.op() == ArrayOps.STRIDED_SLICE) return stridedSlice(n, in, out);
        long[] strides = in.strides();
        long offset = 0;
        if (n.op() == ArrayOps.SLICE) { // as the interpreter's slice: an empty dim adds no offset
            long[] begin = n.attrs().getLongs("begin");
            for (int i = 0; i < begin.length; i++) if (out.dim(i) > 0) offset += begin[i] * strides[i];
        } else if (n.op() == ArrayOps.REVERSE) {
            for (long a : n.attrs().getLongs("axis")) {
                int i = (int) (a < 0 ? a + in.rank() : a);
                offset += (in.dim(i) - 1L) * strides[i];
                strides[i] = -strides[i];
            }
        } else {
            throw new IllegalStateException(n.op() + " is not a view");
        }
        return new ViewCopy.View(offset, strides);
    }

    /**
     * The resolved box walks the input with {@code start} and {@code step} per input dim; the
     * output is that box with size-1 dims removed (shrunk) or inserted (new axes), so its dims
     * of size other than 1 are the box's, in order, and take their strides.
     */
    private static ViewCopy.View stridedSlice(Node n, Shape in, Shape out) {
        StridedSliceSpec.Resolved r = StridedSliceSpec.of(n.attrs()).resolve(in);
        long[] box = StridedSliceSpec.viewStrides(r, in);
        long[] s = new long[out.rank()];
        int j = 0;
        for (int d = 0; d < out.rank(); d++) {
            if (out.dim(d) == 1) continue; // any stride walks a dim of size 1 the same way
            while (r.processing().dim(j) == 1) j++;
            s[d] = box[j++];
        }
        return new ViewCopy.View(StridedSliceSpec.viewOffset(r, in), s);
    }

    /**
     * The strides at which a kernel over {@code shape} reads the input of view {@code v} (of
     * shape {@code viewShape}, broadcast into {@code shape} with NumPy's rules).
     */
    static long[] readStrides(ViewCopy.View v, Shape viewShape, Shape shape) {
        long[] s = new long[shape.rank()];
        int shift = shape.rank() - viewShape.rank();
        for (int j = 0; j < shape.rank(); j++) {
            int d = j - shift;
            s[j] = d < 0 || viewShape.dim(d) == 1 ? 0 : v.strides()[d];
        }
        return s;
    }
}
