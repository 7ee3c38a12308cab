package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ops.ArrayOps;

import java.util.List;
import java.util.Set;

/**
 * Ops that only move data. The reshapes (reshape, expand_dims, squeeze) and the pass-throughs
 * (identity, stop_gradient) keep the input's row-major bytes, so their output shares the
 * input's home and costs nothing; transpose and broadcast_to are one strided copy loop.
 * Elements are moved raw, never flushed, as the interpreter's kernels return them.
 */
public final class DataMovement {
    private DataMovement() {}

    private static final Set<OpDef> SAME_BYTES = Set.of(ArrayOps.RESHAPE, ArrayOps.EXPAND_DIMS, ArrayOps.SQUEEZE,
            ArrayOps.IDENTITY, ArrayOps.STOP_GRADIENT);

    private static final Set<OpDef> STRIDED = Set.of(ArrayOps.TRANSPOSE, ArrayOps.BROADCAST_TO);

    /** Whether the output's bytes are exactly the first input's bytes. */
    public static boolean isSameBytes(OpDef op) { return SAME_BYTES.contains(op); }

    /** Whether the output is a strided read of the first input. */
    public static boolean isStrided(OpDef op) { return STRIDED.contains(op); }

    static boolean lowers(OpDef op) { return isSameBytes(op) || isStrided(op); }

    /**
     * For each output dim, the element stride at which it walks the input: the permuted
     * strides for transpose, zero on broadcast dims for broadcast_to.
     */
    public static long[] readStrides(Node n, Shape in, Shape out) {
        if (n.op() == ArrayOps.BROADCAST_TO) return dev.tfjit.ir.kernels.Broadcast.readStrides(in, out);
        int[] p = perm(n, in.rank());
        long[] own = in.strides();
        long[] s = new long[p.length];
        for (int i = 0; i < p.length; i++) s[i] = own[p[i]];
        return s;
    }

    /** Transpose's perm, negative axes resolved (its type rule already checked it); reversed dims without one. */
    private static int[] perm(Node n, int rank) {
        int[] p = new int[rank];
        if (!n.attrs().has("perm")) {
            for (int i = 0; i < rank; i++) p[i] = rank - 1 - i;
            return p;
        }
        long[] given = n.attrs().getLongs("perm");
        for (int i = 0; i < rank; i++) p[i] = (int) (given[i] < 0 ? given[i] + rank : given[i]);
        return p;
    }

    /** The strided copy loop: {@code out[i] = in[sum(i_d * readStrides_d)]}. */
    static void emitStrided(FunctionEmitter e, Node n) {
        var in = n.inputs().get(0);
        var out = n.output();
        Shape outShape = e.types.shape(out);
        if (outShape.numElements() == 0) return;
        long[] read = readStrides(n, e.types.shape(in), outShape);
        String outPtr = e.pointer(out);
        boolean literal = e.isImmediate(in);
        String inPtr = literal ? null : e.pointer(in);
        LoopNest.of(outShape.dims(), List.of(outShape.strides(), read)).emit(e.f, offsets -> {
            Reg x = literal
                    ? e.element(e.cx, in, new FunctionEmitter.LeafAccess(java.util.Map.of(), java.util.Map.of()), new java.util.IdentityHashMap<>(), false)
                    : Scalars.load(e.f, in.dtype(), inPtr, offsets.get(1), false);
            Scalars.store(e.f, out.dtype(), x, outPtr, offsets.get(0));
        });
    }
}
