package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Node;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.Axes;
import dev.tfjit.ir.ops.ArrayOps;

import java.util.ArrayList;
import java.util.List;

/**
 * Concat, stack and constant pad as index arithmetic (XLA's rule): where each element of their
 * output comes from. The output's index space splits into boxes that each read one value at
 * the box's own positions: a concat input in its block along the axis, a stacked input in its
 * block of thickness 1, the pad's input in the interior, the padding value everywhere else. A
 * kernel that reads such an output runs its loop once per box ({@link FusionPlan#isPieced}),
 * so no element needs a choice between sources and each loop vectorizes as a plain one.
 */
final class IndexFusion {
    private IndexFusion() {}

    /**
     * Box {@code [origin, origin + extent)} of the output, whose element at {@code origin + i}
     * is {@code source}'s element at {@code i} (broadcast: the padding value is a scalar);
     * a stacked source lacks the box's dim {@code stackAxis} (of size 1), else it is -1.
     */
    record Piece(long[] origin, int[] extent, Value source, int stackAxis) {
        Piece(long[] origin, int[] extent, Value source) { this(origin, extent, source, -1); }

        /** The strides at which the piece reads a leaf of its source that walks the source with {@code sourceStrides}. */
        long[] expand(long[] sourceStrides) {
            if (stackAxis < 0) return sourceStrides;
            long[] s = new long[sourceStrides.length + 1];
            for (int d = 0, k = 0; d < s.length; d++) s[d] = d == stackAxis ? 0 : sourceStrides[k++];
            return s;
        }

        /** The shape over which the source's leaves are read (the box, less a stacked axis). */
        Shape sourceShape() {
            if (stackAxis < 0) return Shape.of(extent);
            int[] d = new int[extent.length - 1];
            for (int i = 0, k = 0; i < extent.length; i++) if (i != stackAxis) d[k++] = extent[i];
            return Shape.of(d);
        }

        boolean isEmpty() {
            for (int d : extent) if (d == 0) return true;
            return false;
        }
    }

    /** At most this many copies of a tile's input become pieces: each piece is one more loop in the kernel. */
    static final int MAX_TILE_PIECES = 16;

    /** Whether {@code n}'s output can be computed piece by piece. */
    static boolean isPieceable(Node n) {
        if (n.op() == ArrayOps.TILE) {
            long copies = 1;
            for (long m : n.attrs().getLongs("multiples")) copies *= Math.max(m, 1);
            return copies <= MAX_TILE_PIECES;
        }
        return n.op() == ArrayOps.CONCAT || n.op() == ArrayOps.STACK || n.op() == ArrayOps.PAD;
    }

    /**
     * The inputs whose every element is read once by the pieces, so an elementwise producer that
     * only the pieced op reads may be computed inside its piece: not a pad's padding value, and
     * not a tile's input, which every copy reads again.
     */
    static List<Value> sources(Node n) {
        if (n.op() == ArrayOps.TILE) return List.of();
        return n.op() == ArrayOps.PAD ? List.of(n.inputs().getFirst()) : n.inputs();
    }

    /** The non-empty pieces of {@code n}'s output (of shape {@code out}); together they cover it exactly once. */
    static List<Piece> pieces(Node n, ConcreteTypes types) {
        Shape out = types.shape(n.output());
        List<Piece> all = n.op() == ArrayOps.PAD ? pad(n, out, types) : n.op() == ArrayOps.TILE ? tile(n, out, types) : concat(n, out, types);
        return all.stream().filter(p -> !p.isEmpty()).toList();
    }

    /** Input k is the block {@code [offset_k, offset_k + dim_k)} along the axis (for stack: {@code [k, k + 1)}). */
    private static List<Piece> concat(Node n, Shape out, ConcreteTypes types) {
        boolean stack = n.op() == ArrayOps.STACK;
        int axis = Axes.normalize(n.attrs().getLong("axis"), out.rank());
        List<Piece> pieces = new ArrayList<>();
        long at = 0;
        for (Value in : n.inputs()) {
            long[] origin = new long[out.rank()];
            origin[axis] = at;
            int[] extent = out.dims().clone();
            int[] own = types.shape(in).dims();
            for (int d = 0, k = 0; d < extent.length; d++) extent[d] = stack && d == axis ? 1 : own[k++];
            pieces.add(new Piece(origin, extent, in, stack ? axis : -1));
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

    /** Copy {@code (k_0, k_1, ...)} of the input is the box at {@code k_d * dim_d} along each dim d. */
    private static List<Piece> tile(Node n, Shape out, ConcreteTypes types) {
        Value x = n.inputs().getFirst();
        Shape in = types.shape(x);
        long[] multiples = n.attrs().getLongs("multiples");
        int r = out.rank();
        List<Piece> pieces = new ArrayList<>();
        if (out.numElements() == 0) return pieces; // a multiple of 0: no copies at all
        long[] copy = new long[r];
        while (true) {
            long[] origin = new long[r];
            for (int d = 0; d < r; d++) origin[d] = copy[d] * in.dim(d);
            pieces.add(new Piece(origin, in.dims().clone(), x));
            int d = r - 1;
            while (d >= 0 && ++copy[d] >= multiples[d]) copy[d--] = 0;
            if (d < 0) return pieces;
        }
    }
}
