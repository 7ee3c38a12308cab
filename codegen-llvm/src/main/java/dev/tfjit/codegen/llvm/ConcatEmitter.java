package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.Axes;
import dev.tfjit.ir.ops.ArrayOps;

import java.util.Set;

/**
 * Joining and splitting along an axis: {@code concat} and {@code stack} write each input into
 * its block of the output, {@code split}, {@code split_v} and {@code unstack} read each output
 * from its block of the input. Every block is a strided view at an offset along the axis, as in
 * the interpreter's kernels; stack and unstack are concat and split with a dim of 1 at the axis.
 */
final class ConcatEmitter {
    private ConcatEmitter() {}

    private static final Set<OpDef> OPS = Set.of(ArrayOps.CONCAT, ArrayOps.STACK, ArrayOps.UNSTACK, ArrayOps.SPLIT, ArrayOps.SPLIT_V);

    static boolean lowers(OpDef op) { return OPS.contains(op); }

    static void emit(FunctionEmitter e, Node n) {
        OpDef op = n.op();
        if (op == ArrayOps.CONCAT || op == ArrayOps.STACK) join(e, n);
        else split(e, n);
    }

    private static void join(FunctionEmitter e, Node n) {
        Value out = n.output();
        Shape os = e.types.shape(out);
        if (os.numElements() == 0) return;
        boolean stack = n.op() == ArrayOps.STACK;
        int axis = Axes.normalize(n.attrs().getLong("axis"), os.rank());
        long[] strides = os.strides();
        String dst = e.pointer(out);
        long at = 0;
        for (Value in : n.inputs()) {
            // A stacked input is the output's block of thickness 1 at the axis.
            int[] block = stack ? insert(e.types.shape(in).dims(), axis, 1) : e.types.shape(in).dims();
            ViewCopy.copy(e, in.dtype(), ViewCopy.Source.of(e, in), ViewCopy.View.rowMajor(block),
                    dst, new ViewCopy.View(at * strides[axis], strides), block);
            at += block[axis];
        }
    }

    private static void split(FunctionEmitter e, Node n) {
        Value x = n.inputs().get(0);
        Shape in = e.types.shape(x);
        boolean unstack = n.op() == ArrayOps.UNSTACK;
        int axis = Axes.normalize(n.attrs().getLong("axis", 0), in.rank());
        long[] strides = in.strides();
        ViewCopy.Source src = ViewCopy.Source.of(e, x);
        long at = 0;
        for (Value out : n.outputs()) {
            Shape os = e.types.shape(out);
            int[] block = unstack ? insert(os.dims(), axis, 1) : os.dims();
            if (os.numElements() > 0) {
                ViewCopy.copy(e, x.dtype(), src, new ViewCopy.View(at * strides[axis], strides), e.pointer(out),
                        ViewCopy.View.rowMajor(block), block);
            }
            at += block[axis];
        }
    }

    private static int[] insert(int[] dims, int axis, int size) {
        int[] out = new int[dims.length + 1];
        for (int i = 0, k = 0; i < out.length; i++) out[i] = i == axis ? size : dims[k++];
        return out;
    }
}
