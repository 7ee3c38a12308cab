package dev.tfjit.tracer;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ops.ArrayOps;
import dev.tfjit.ir.ops.CreationOps;
import dev.tfjit.ir.ops.ElementwiseOps;
import dev.tfjit.ir.ops.IoOps;
import dev.tfjit.ir.ops.LinalgOps;
import dev.tfjit.ir.ops.NnOps;
import dev.tfjit.ir.ops.ReductionOps;
import dev.tfjit.ir.ops.StringOps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The op facade, named after TensorFlow's Python API in Java style ({@code tf.reduce_sum} is
 * {@link #reduceSum}). Every method works eagerly and while tracing; composite functions are
 * built from primitive ops exactly as TensorFlow's Python code builds them, so they match its
 * numerics and get gradients for free.
 */
public final class Tf {
    private Tf() {}

    // ------------------------------------------------------------ dispatch

    /** Applies {@code op} in the current context (eager or tracing). */
    public static List<Tensor> apply(OpDef op, Attrs attrs, Tensor... inputs) {
        return ExecutionContext.current().execute(op, attrs, Arrays.asList(inputs));
    }

    /** Applies a single-output op. */
    public static Tensor apply1(OpDef op, Attrs attrs, Tensor... inputs) {
        return ExecutionContext.current().execute(op, attrs, Arrays.asList(inputs)).get(0);
    }

    // ------------------------------------------------------------ creation

    /** A constant from a Java scalar or rectangular nested array; dtype follows the Java type. */
    public static Tensor constant(Object value) {
        if (value instanceof Tensor t) return t;
        return constant(value, JavaArrays.dtypeOf(value));
    }

    /**
     * A constant of the given dtype. Integers that do not fit wrap (as TensorFlow does for
     * {@code tf.constant(123456789, tf.int16)}); a fraction cannot go to an integer dtype.
     */
    public static Tensor constant(Object value, DType dtype) {
        return fromBuffer(JavaArrays.toBuffer(value, dtype));
    }

    /** A float32 constant of the given shape from flat row-major data. */
    public static Tensor constant(float[] data, int... shape) {
        return fromBuffer(Buffer.ofFloats(Shape.of(shape), data));
    }

    /** A constant holding {@code b}; while tracing it becomes a constant node. */
    public static Tensor fromBuffer(Buffer b) {
        return apply1(CreationOps.CONSTANT, Attrs.of("value", b));
    }

    /** A scalar of {@code like}'s dtype, as TensorFlow converts a Python number next to a tensor. */
    static Tensor scalarLike(Tensor like, Number n) {
        DType t = like.dtype();
        if (t == DType.STRING || t == DType.BOOL) {
            throw new TfException("cannot combine a number with a " + t + " tensor");
        }
        if (t.isInteger() && (n instanceof Float || n instanceof Double) && n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new TfException("Cannot convert " + n + " to EagerTensor of dtype " + t);
        }
        Buffer b = (n instanceof Float || n instanceof Double) ? Buffer.scalar(t, n.doubleValue()) : Buffer.scalarLong(t, n.longValue());
        return fromBuffer(b);
    }

    // ------------------------------------------------------------ arithmetic

    public static Tensor add(Tensor x, Tensor y) { return apply1(ElementwiseOps.ADD, Attrs.EMPTY, x, y); }

    public static Tensor subtract(Tensor x, Tensor y) { return apply1(ElementwiseOps.SUB, Attrs.EMPTY, x, y); }

    public static Tensor multiply(Tensor x, Tensor y) { return apply1(ElementwiseOps.MUL, Attrs.EMPTY, x, y); }

    /** True division; integers are first cast to float64, as Python's {@code /} does (int8/16 to float32). */
    public static Tensor divide(Tensor x, Tensor y) {
        if (x.dtype().isInteger() && x.dtype() == y.dtype()) {
            DType f = x.dtype() == DType.INT8 || x.dtype() == DType.UINT8 || x.dtype() == DType.INT16 ? DType.FLOAT32 : DType.FLOAT64;
            return apply1(ElementwiseOps.DIV, Attrs.EMPTY, cast(x, f), cast(y, f));
        }
        return apply1(ElementwiseOps.DIV, Attrs.EMPTY, x, y);
    }

    public static Tensor negative(Tensor x) { return apply1(ElementwiseOps.NEG, Attrs.EMPTY, x); }

    public static Tensor cast(Tensor x, DType dtype) {
        if (x.dtype() == dtype) return x;
        return apply1(ElementwiseOps.CAST, Attrs.of("dtype", dtype), x);
    }

    // ------------------------------------------------------------ elementwise math

    public static Tensor exp(Tensor x) { return apply1(ElementwiseOps.EXP, Attrs.EMPTY, x); }

    // ------------------------------------------------------------ comparison and logic

    public static Tensor less(Tensor x, Tensor y) { return apply1(ElementwiseOps.LESS, Attrs.EMPTY, x, y); }

    public static Tensor equal(Tensor x, Tensor y) { return apply1(ElementwiseOps.EQUAL, Attrs.EMPTY, x, y); }

    // ------------------------------------------------------------ more creation (fill, zeros, ones, range, linspace)

    // ------------------------------------------------------------ clipping

    // ------------------------------------------------------------ shape, indexing and slicing

    // ------------------------------------------------------------ reductions

    // ------------------------------------------------------------ sorting and top-k

    // ------------------------------------------------------------ linear algebra

    // ------------------------------------------------------------ activations (elementwise)

    // ------------------------------------------------------------ softmax and nn

    // ------------------------------------------------------------ losses

    // ------------------------------------------------------------ random

    // ------------------------------------------------------------ strings

    // ------------------------------------------------------------ files (.npy)

    // ------------------------------------------------------------ control flow and printing

    /**
     * {@code tf.while_loop} over several loop vars: repeats {@code body} while {@code cond} is
     * true. Eagerly this is a Java loop; while tracing it stages one {@code while} node (the
     * body is traced once, whatever the trip count). Loop vars keep their dtype and shape.
     */
    public static List<Tensor> whileLoop(java.util.function.Function<List<Tensor>, Tensor> cond,
                                         java.util.function.Function<List<Tensor>, List<Tensor>> body, List<Tensor> loopVars) {
        return ExecutionContext.current().whileLoop(cond, body, List.copyOf(loopVars), null);
    }

    /** {@link #whileLoop} with shape invariants: a null entry keeps that var's shape, an unknown dim lets it change. */
    public static List<Tensor> whileLoop(java.util.function.Function<List<Tensor>, Tensor> cond,
                                         java.util.function.Function<List<Tensor>, List<Tensor>> body, List<Tensor> loopVars,
                                         List<Shape> shapeInvariants) {
        if (shapeInvariants.size() != loopVars.size()) {
            throw new TfException("Tf.whileLoop: " + loopVars.size() + " loop vars but " + shapeInvariants.size() + " shape invariants");
        }
        return ExecutionContext.current().whileLoop(cond, body, List.copyOf(loopVars), java.util.Collections.unmodifiableList(
                new ArrayList<>(shapeInvariants)));
    }

    /** {@code tf.while_loop} with one loop var. */
    public static Tensor whileLoop(java.util.function.Function<Tensor, Tensor> cond, java.util.function.UnaryOperator<Tensor> body,
                                   Tensor loopVar) {
        return whileLoop(vars -> cond.apply(vars.get(0)), vars -> List.of(body.apply(vars.get(0))), List.of(loopVar)).get(0);
    }

    /**
     * {@code tf.cond}: the value of {@code thenBranch} if {@code pred} is true, else of
     * {@code elseBranch}. While tracing both branches are traced and one {@code cond} node staged.
     */
    public static Tensor cond(Tensor pred, java.util.function.Supplier<Tensor> thenBranch, java.util.function.Supplier<Tensor> elseBranch) {
        List<Tensor> out = ExecutionContext.current().cond(pred, () -> List.of(thenBranch.get()), () -> List.of(elseBranch.get()));
        return out.get(0);
    }

    /** {@code tf.cond} with branches returning several tensors (the same number and dtypes). */
    public static List<Tensor> condAll(Tensor pred, java.util.function.Supplier<List<Tensor>> thenBranch,
                                       java.util.function.Supplier<List<Tensor>> elseBranch) {
        return ExecutionContext.current().cond(pred, thenBranch, elseBranch);
    }

    /**
     * {@code tf.print}: prints tensors and strings to stderr, separated by spaces. Inside a
     * traced function it is staged, so it prints on every call (Java's System.out.println runs
     * only while tracing).
     */
    public static void print(Object... values) {
        List<Tensor> tensors = new ArrayList<>();
        for (Object v : values) tensors.add(v instanceof Tensor t ? t : v instanceof Variable var ? var.read() : constant(String.valueOf(v)));
        apply(IoOps.PRINT, Attrs.EMPTY, tensors.toArray(Tensor[]::new));
    }
}
