package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Node;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.Axes;
import dev.tfjit.ir.ops.ArrayOps;

import java.util.ArrayList;
import java.util.List;

/**
 * Concat and constant pad as index arithmetic (XLA's rule): where each element of their
 * output comes from. The output's index space splits into boxes that each read one value at
 * the box's own positions: a concat input in its block along the axis, the pad's input in the
 * interior, the padding value everywhere else. A kernel that reads such an output runs its loop
 * once per box ({@link FusionPlan#isPieced}), so no box needs a per-element choice and each
 * loop vectorizes as a plain one.
 */
final class IndexFusion {
    private IndexFusion() {}

    /**
     * Box {@code [origin, origin + extent)} of the output, whose element at {@code origin + i}
     * is {@code source}'s element at {@code i} (broadcast: the padding value is a scalar).
     */
    record Piece(long[] origin, int[] extent, Value source) {
        boolean isEmpty() {
            for (int d : extent) if (d == 0) return true;
            return false;
        }
    }

    /** Whether {@code n}'s output can be computed piece by piece. */
    static boolean isPieceable(Node n) { return n.op() == ArrayOps.CONCAT || n.op() == ArrayOps.PAD; }

    /** The non-empty pieces of {@code n}'s output (of shape {@code out}); together they cover it exactly once. */
    static List<Piece> pieces(Node n, ConcreteTypes types) {
        Shape out = types.shape(n.output());
        List<Piece> all = n.op() == ArrayOps.CONCAT ? concat(n, out, types) : pad(n, out, types);
        return all.stream().filter(p -> !p.isEmpty()).toList();
    }

    /** Input k is the block {@code [offset_k, offset_k + dim_k)} along the axis. */
    private static List<Piece> concat(Node n, Shape out, ConcreteTypes types) {
        int axis = Axes.normalize(n.attrs().getLong("axis"), out.rank());
        List<Piece> pieces = new ArrayList<>();
        long at = 0;
        for (Value in : n.inputs()) {
            long[] origin = new long[out.rank()];
            origin[axis] = at;
            int[] extent = types.shape(in).dims().clone();
            pieces.add(new Piece(origin, extent, in));
            at += extent[axis];
        }
        return pieces;
    }

    /**
     * The interior reads the input; the rest is, for each dim d, the slabs before and after
     * the interior along d over the interior of the dims before d and all of the dims after it:
     * an element outside the interior lies in the slab of the first dim where it is outside.
     */
    private static List<Piece> pad(Node n, Shape out, ConcreteTypes types) {
        Value x = n.inputs().get(0), value = n.inputs().get(1);
        Shape in = types.shape(x);
        long[] paddings = n.attrs().getLongs("paddings");
        int r = out.rank();
        List<Piece> pieces = new ArrayList<>();
        long[] lo = new long[r];
        for (int d = 0; d < r; d++) lo[d] = paddings[2 * d];
        pieces.add(new Piece(lo, in.dims().clone(), x));
        for (int d = 0; d < r; d++) {
            for (boolean before : new boolean[] {true, false}) {
                long[] origin = new long[r];
                int[] extent = out.dims().clone();
                for (int i = 0; i < d; i++) {
                    origin[i] = lo[i];
                    extent[i] = in.dim(i);
                }
                origin[d] = before ? 0 : lo[d] + in.dim(d);
                extent[d] = (int) (before ? lo[d] : paddings[2 * d + 1]);
                pieces.add(new Piece(origin, extent, value));
            }
        }
        return pieces;
    }
}
