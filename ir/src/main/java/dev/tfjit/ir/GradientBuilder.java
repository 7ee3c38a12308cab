package dev.tfjit.ir;

import dev.tfjit.ir.kernels.ReductionAxes;
import dev.tfjit.ir.ops.ArrayOps;
import dev.tfjit.ir.ops.CreationOps;
import dev.tfjit.ir.ops.ElementwiseOps;
import dev.tfjit.ir.ops.LinalgOps;
import dev.tfjit.ir.ops.ReductionOps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What gradient rules write with: one primitive, {@link #emit}, supplied by the caller (the
 * tape runs it eagerly or records it into the trace), and helpers built only from it. The
 * shape helpers use static shapes where they are known and fall back to ops on runtime shapes
 * ({@code shape}, {@code reshape} with a shape tensor, {@code sum_to_shape}) where they are not.
 */
public abstract class GradientBuilder {
    /** Applies {@code op} to the operands and returns its outputs. */
    public abstract List<Operand> emit(OpDef op, Attrs attrs, List<Operand> inputs);

    public final Operand emit1(OpDef op, Attrs attrs, Operand... inputs) { return emit(op, attrs, Arrays.asList(inputs)).get(0); }

    private Operand op1(OpDef op, Operand... inputs) { return emit1(op, Attrs.EMPTY, inputs); }

    // ------------------------------------------------------------ constants

    public Operand constant(Buffer b) { return emit1(CreationOps.CONSTANT, Attrs.of("value", b)); }

    /** A scalar of {@code like}'s dtype. */
    public Operand scalarLike(Operand like, double v) { return constant(Buffer.scalar(like.dtype(), v)); }

    public Operand zerosLike(Operand x) { return op1(CreationOps.ZEROS_LIKE, x); }

    public Operand onesLike(Operand x) { return op1(CreationOps.ONES_LIKE, x); }

    // ------------------------------------------------------------ elementwise

    public Operand add(Operand x, Operand y) { return op1(ElementwiseOps.ADD, x, y); }

    public Operand sub(Operand x, Operand y) { return op1(ElementwiseOps.SUB, x, y); }

    public Operand mul(Operand x, Operand y) { return op1(ElementwiseOps.MUL, x, y); }

    public Operand mul(Operand x, double c) { return mul(x, scalarLike(x, c)); }

    public Operand div(Operand x, Operand y) { return op1(ElementwiseOps.DIV, x, y); }

    public Operand divNoNan(Operand x, Operand y) { return op1(ElementwiseOps.DIV_NO_NAN, x, y); }

    public Operand neg(Operand x) { return op1(ElementwiseOps.NEG, x); }

    public Operand square(Operand x) { return op1(ElementwiseOps.SQUARE, x); }

    public Operand reciprocal(Operand x) { return op1(ElementwiseOps.RECIPROCAL, x); }

    public Operand exp(Operand x) { return op1(ElementwiseOps.EXP, x); }

    public Operand log(Operand x) { return op1(ElementwiseOps.LOG, x); }

    public Operand sign(Operand x) { return op1(ElementwiseOps.SIGN, x); }

    public Operand sin(Operand x) { return op1(ElementwiseOps.SIN, x); }

    public Operand cos(Operand x) { return op1(ElementwiseOps.COS, x); }

    public Operand abs(Operand x) { return op1(ElementwiseOps.ABS, x); }

    public Operand sigmoid(Operand x) { return op1(ElementwiseOps.SIGMOID, x); }

    public Operand pow(Operand x, Operand y) { return op1(ElementwiseOps.POW, x, y); }

    public Operand floorDiv(Operand x, Operand y) { return op1(ElementwiseOps.FLOOR_DIV, x, y); }

    public Operand cast(Operand x, DType t) { return x.dtype() == t ? x : emit1(ElementwiseOps.CAST, Attrs.of("dtype", t), x); }

    public Operand greater(Operand x, Operand y) { return op1(ElementwiseOps.GREATER, x, y); }

    public Operand greaterEqual(Operand x, Operand y) { return op1(ElementwiseOps.GREATER_EQUAL, x, y); }

    public Operand less(Operand x, Operand y) { return op1(ElementwiseOps.LESS, x, y); }

    public Operand lessEqual(Operand x, Operand y) { return op1(ElementwiseOps.LESS_EQUAL, x, y); }

    public Operand equal(Operand x, Operand y) { return op1(ElementwiseOps.EQUAL, x, y); }

    public Operand logicalAnd(Operand x, Operand y) { return op1(ElementwiseOps.LOGICAL_AND, x, y); }

    /** {@code where(cond, x, y)} (SelectV2, broadcasting). */
    public Operand select(Operand cond, Operand x, Operand y) { return op1(ArrayOps.SELECT, cond, x, y); }

    /** {@code g} where {@code cond} holds, else 0: the gradient of piecewise functions (relu, max). */
    public Operand gradWhere(Operand cond, Operand g) { return select(cond, g, zerosLike(g)); }

    /** 0 where {@code cond} holds, else {@code g}. */
    public Operand gradElse(Operand cond, Operand g) { return select(cond, zerosLike(g), g); }

    // ------------------------------------------------------------ shapes

    public Operand shapeOf(Operand x) { return op1(ArrayOps.SHAPE, x); }

    public Operand reduceSum(Operand x, int[] axes, boolean keepdims) {
        Attrs a = axes == null ? Attrs.of("keepdims", keepdims) : Attrs.of("axis", axes, "keepdims", keepdims);
        return emit1(ReductionOps.REDUCE_SUM, a, x);
    }

    public Operand reshape(Operand x, Shape s) { return emit1(ArrayOps.RESHAPE, Attrs.of("shape", s.dims()), x); }

    /** {@code g} reshaped to {@code like}'s shape, from the static shape when it is known, else at run time. */
    public Operand reshapeLike(Operand g, Operand like) {
        Shape s = like.shape();
        if (s.isFullyKnown()) return g.shape().equals(s) ? g : reshape(g, s);
        return emit1(ArrayOps.RESHAPE, Attrs.EMPTY, g, shapeOf(like));
    }

    /** {@code g} broadcast to {@code like}'s shape (g's shape must broadcast to it). */
    public Operand broadcastLike(Operand g, Operand like) {
        Shape s = like.shape();
        if (s.isFullyKnown()) {
            return g.shape().equals(s) ? g : emit1(ArrayOps.BROADCAST_TO, Attrs.of("shape", s.dims()), g);
        }
        return mul(g, onesLike(like)); // the shape is only known at run time: let broadcasting find it
    }

    public Operand transpose(Operand x, int[] perm) { return emit1(ArrayOps.TRANSPOSE, Attrs.of("perm", perm), x); }

    public Operand matmul(Operand a, Operand b, boolean transposeA, boolean transposeB) {
        return emit1(LinalgOps.MATMUL, Attrs.of("transpose_a", transposeA, "transpose_b", transposeB), a, b);
    }

    /**
     * The gradient {@code g} of a broadcast result summed back to the shape of the input
     * {@code like}: TensorFlow's BroadcastGradientArgs logic. Leading dims {@code like} lacks,
     * and dims where it has 1, are summed. When an unknown dim of {@code like} might be 1, the
     * axes are found at run time by {@code sum_to_shape}.
     */
    public Operand sumTo(Operand g, Operand like) {
        Shape gs = g.shape(), xs = like.shape();
        if (gs.equals(xs) && xs.isFullyKnown()) return g;
        if (gs.hasRank() && xs.hasRank() && gs.rank() >= xs.rank()) {
            int lead = gs.rank() - xs.rank();
            List<Integer> axes = new ArrayList<>();
            boolean resolved = true;
            for (int i = 0; i < lead; i++) axes.add(i);
            for (int i = 0; i < xs.rank(); i++) {
                int xd = xs.dim(i), gd = gs.dim(lead + i);
                if (xd == 1 && gd != 1) axes.add(lead + i);
                else if (xd == Shape.UNKNOWN && gd != 1) resolved = false; // x's dim might be 1
            }
            if (resolved) {
                if (axes.isEmpty()) return reshapeLike(g, like);
                int[] ax = axes.stream().mapToInt(Integer::intValue).toArray();
                return reshapeLike(reduceSum(g, ax, true), like);
            }
        }
        return emit1(ReductionOps.SUM_TO_SHAPE, Attrs.of("shape", xs), g, shapeOf(like));
    }

    /**
     * The gradient of a reduction over {@code axes} (null: all) of {@code x}, broadcast back to
     * {@code x}'s shape: the removed dims are put back as 1s first.
     */
    public Operand unreduce(Operand g, Operand x, long[] axes, boolean keepdims) {
        Shape xs = x.shape();
        if (!xs.hasRank()) throw new UnimplementedError("the gradient of a reduction needs the input's rank, got shape " + xs);
        if (!keepdims) {
            boolean[] mask = ReductionAxes.reductionMask(axes, xs.rank());
            int[] kept = xs.dims();
            boolean allKnown = true;
            for (int i = 0; i < kept.length; i++) {
                if (mask[i]) kept[i] = 1;
                else allKnown &= kept[i] != Shape.UNKNOWN;
            }
            if (allKnown) {
                g = reshape(g, Shape.of(kept));
            } else {
                for (int i = 0; i < kept.length; i++) if (mask[i]) g = emit1(ArrayOps.EXPAND_DIMS, Attrs.of("axis", i), g);
            }
        }
        return broadcastLike(g, x);
    }

    /** How many input elements each output element of a reduction saw, as a scalar of x's dtype. */
    public Operand reducedCount(Operand x, Operand y) {
        Shape xs = x.shape(), ys = y.shape();
        if (xs.isFullyKnown() && ys.isFullyKnown()) {
            long nx = xs.numElements(), ny = ys.numElements();
            return scalarLike(x, ny == 0 ? 0 : (double) nx / ny);
        }
        return div(cast(op1(ArrayOps.SIZE, x), x.dtype()), cast(op1(ArrayOps.SIZE, y), x.dtype()));
    }

    /** Unimplemented: the op's gradient needs a static shape it does not have. */
    public static UnimplementedError needsStaticShape(String op, Shape s) {
        return new UnimplementedError("the gradient of " + op + " needs a fully known input shape, got " + s
                + "; trace with a concrete input signature");
    }
}
