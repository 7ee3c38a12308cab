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

    /** {@code tf.add}: AddV2 for numbers; for strings TF's Python uses the older Add, which concatenates. */
    public static Tensor add(Tensor x, Tensor y) {
        return apply1(x.dtype() == DType.STRING ? ElementwiseOps.STRING_ADD : ElementwiseOps.ADD, Attrs.EMPTY, x, y);
    }

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

    /** {@code tf.realdiv}: the raw RealDiv op, floats only (no casting of integers). */
    public static Tensor realdiv(Tensor x, Tensor y) { return apply1(ElementwiseOps.DIV, Attrs.EMPTY, x, y); }

    /** {@code tf.math.divide_no_nan}: x / y, and 0 where y is 0. */
    public static Tensor divideNoNan(Tensor x, Tensor y) { return apply1(ElementwiseOps.DIV_NO_NAN, Attrs.EMPTY, x, y); }

    /** {@code tf.math.add_n}: the sum of tensors of one dtype and shape. */
    public static Tensor addN(Tensor... xs) {
        if (xs.length == 0) throw new TfException("add_n needs at least one tensor");
        return xs.length == 1 ? xs[0] : apply1(ElementwiseOps.ADD_N, Attrs.EMPTY, xs);
    }

    /** {@code tf.math.floordiv} (Python's {@code //}): floor(x / y); integer division by zero is an error. */
    public static Tensor floordiv(Tensor x, Tensor y) { return apply1(ElementwiseOps.FLOOR_DIV, Attrs.EMPTY, x, y); }

    /** {@code tf.math.floormod} (Python's {@code %}): the remainder takes the divisor's sign. */
    public static Tensor floormod(Tensor x, Tensor y) { return apply1(ElementwiseOps.FLOOR_MOD, Attrs.EMPTY, x, y); }

    /** {@code tf.math.mod}, an alias of {@link #floormod}. */
    public static Tensor mod(Tensor x, Tensor y) { return floormod(x, y); }

    /** {@code tf.truncatediv}: C division, rounding toward zero (integers only, as on TF's CPU). */
    public static Tensor truncatediv(Tensor x, Tensor y) { return apply1(ElementwiseOps.TRUNCATE_DIV, Attrs.EMPTY, x, y); }

    /** {@code tf.truncatemod}: C's remainder, with the dividend's sign. */
    public static Tensor truncatemod(Tensor x, Tensor y) { return apply1(ElementwiseOps.TRUNCATE_MOD, Attrs.EMPTY, x, y); }

    /** {@code tf.pow}: integer powers wrap, and a negative integer exponent is an error. */
    public static Tensor pow(Tensor x, Tensor y) { return apply1(ElementwiseOps.POW, Attrs.EMPTY, x, y); }

    /** {@code tf.maximum}: NaN from either side propagates. */
    public static Tensor maximum(Tensor x, Tensor y) { return apply1(ElementwiseOps.MAXIMUM, Attrs.EMPTY, x, y); }

    /** {@code tf.minimum}: NaN from either side propagates. */
    public static Tensor minimum(Tensor x, Tensor y) { return apply1(ElementwiseOps.MINIMUM, Attrs.EMPTY, x, y); }

    /** {@code tf.math.squared_difference}: (x - y)^2. */
    public static Tensor squaredDifference(Tensor x, Tensor y) { return apply1(ElementwiseOps.SQUARED_DIFFERENCE, Attrs.EMPTY, x, y); }

    // ------------------------------------------------------------ elementwise math

    public static Tensor exp(Tensor x) { return apply1(ElementwiseOps.EXP, Attrs.EMPTY, x); }

    public static Tensor expm1(Tensor x) { return apply1(ElementwiseOps.EXPM1, Attrs.EMPTY, x); }

    public static Tensor log(Tensor x) { return apply1(ElementwiseOps.LOG, Attrs.EMPTY, x); }

    public static Tensor log1p(Tensor x) { return apply1(ElementwiseOps.LOG1P, Attrs.EMPTY, x); }

    /** {@code tf.abs}: abs(INT_MIN) is INT_MIN, as in two's complement. */
    public static Tensor abs(Tensor x) { return apply1(ElementwiseOps.ABS, Attrs.EMPTY, x); }

    /** {@code tf.sign}: -1, 0 or 1; NaN stays NaN. */
    public static Tensor sign(Tensor x) { return apply1(ElementwiseOps.SIGN, Attrs.EMPTY, x); }

    public static Tensor square(Tensor x) { return apply1(ElementwiseOps.SQUARE, Attrs.EMPTY, x); }

    public static Tensor sqrt(Tensor x) { return apply1(ElementwiseOps.SQRT, Attrs.EMPTY, x); }

    public static Tensor rsqrt(Tensor x) { return apply1(ElementwiseOps.RSQRT, Attrs.EMPTY, x); }

    public static Tensor reciprocal(Tensor x) { return apply1(ElementwiseOps.RECIPROCAL, Attrs.EMPTY, x); }

    public static Tensor sin(Tensor x) { return apply1(ElementwiseOps.SIN, Attrs.EMPTY, x); }

    public static Tensor cos(Tensor x) { return apply1(ElementwiseOps.COS, Attrs.EMPTY, x); }

    public static Tensor erf(Tensor x) { return apply1(ElementwiseOps.ERF, Attrs.EMPTY, x); }

    public static Tensor floor(Tensor x) { return apply1(ElementwiseOps.FLOOR, Attrs.EMPTY, x); }

    public static Tensor ceil(Tensor x) { return apply1(ElementwiseOps.CEIL, Attrs.EMPTY, x); }

    /** {@code tf.round}: half to even ({@code round(2.5) = 2}), as TF's Round op. */
    public static Tensor round(Tensor x) { return apply1(ElementwiseOps.ROUND, Attrs.EMPTY, x); }

    public static Tensor isNan(Tensor x) { return apply1(ElementwiseOps.IS_NAN, Attrs.EMPTY, x); }

    public static Tensor isInf(Tensor x) { return apply1(ElementwiseOps.IS_INF, Attrs.EMPTY, x); }

    public static Tensor isFinite(Tensor x) { return apply1(ElementwiseOps.IS_FINITE, Attrs.EMPTY, x); }

    // ------------------------------------------------------------ comparison and logic

    public static Tensor less(Tensor x, Tensor y) { return apply1(ElementwiseOps.LESS, Attrs.EMPTY, x, y); }

    public static Tensor equal(Tensor x, Tensor y) { return apply1(ElementwiseOps.EQUAL, Attrs.EMPTY, x, y); }

    public static Tensor notEqual(Tensor x, Tensor y) { return apply1(ElementwiseOps.NOT_EQUAL, Attrs.EMPTY, x, y); }

    public static Tensor lessEqual(Tensor x, Tensor y) { return apply1(ElementwiseOps.LESS_EQUAL, Attrs.EMPTY, x, y); }

    public static Tensor greater(Tensor x, Tensor y) { return apply1(ElementwiseOps.GREATER, Attrs.EMPTY, x, y); }

    public static Tensor greaterEqual(Tensor x, Tensor y) { return apply1(ElementwiseOps.GREATER_EQUAL, Attrs.EMPTY, x, y); }

    public static Tensor logicalAnd(Tensor x, Tensor y) { return apply1(ElementwiseOps.LOGICAL_AND, Attrs.EMPTY, x, y); }

    public static Tensor logicalOr(Tensor x, Tensor y) { return apply1(ElementwiseOps.LOGICAL_OR, Attrs.EMPTY, x, y); }

    public static Tensor logicalNot(Tensor x) { return apply1(ElementwiseOps.LOGICAL_NOT, Attrs.EMPTY, x); }

    /** {@code tf.math.logical_xor}, built as TF's Python builds it: (x or y) and not (x and y). */
    public static Tensor logicalXor(Tensor x, Tensor y) { return logicalAnd(logicalOr(x, y), logicalNot(logicalAnd(x, y))); }

    // ------------------------------------------------------------ more creation (fill, zeros, ones, range, linspace)

    // ------------------------------------------------------------ clipping

    // ------------------------------------------------------------ shape, indexing and slicing

    // ------------------------------------------------------------ reductions

    // ------------------------------------------------------------ sorting and top-k

    // ------------------------------------------------------------ linear algebra

    // ------------------------------------------------------------ activations (elementwise)

    public static Tensor sigmoid(Tensor x) { return apply1(ElementwiseOps.SIGMOID, Attrs.EMPTY, x); }

    public static Tensor tanh(Tensor x) { return apply1(ElementwiseOps.TANH, Attrs.EMPTY, x); }

    /** {@code tf.nn.relu}: max(x, 0), letting NaN through. */
    public static Tensor relu(Tensor x) { return apply1(ElementwiseOps.RELU, Attrs.EMPTY, x); }

    public static Tensor relu6(Tensor x) { return apply1(ElementwiseOps.RELU6, Attrs.EMPTY, x); }

    /** {@code tf.nn.leaky_relu} with TF's default alpha 0.2. */
    public static Tensor leakyRelu(Tensor x) { return leakyRelu(x, 0.2); }

    /** {@code tf.nn.leaky_relu}: integer inputs are cast to float32 first, as TF's Python does. */
    public static Tensor leakyRelu(Tensor x, double alpha) {
        Tensor f = x.dtype().isInteger() ? cast(x, DType.FLOAT32) : x;
        return apply1(ElementwiseOps.LEAKY_RELU, Attrs.of("alpha", alpha), f);
    }

    public static Tensor elu(Tensor x) { return apply1(ElementwiseOps.ELU, Attrs.EMPTY, x); }

    public static Tensor selu(Tensor x) { return apply1(ElementwiseOps.SELU, Attrs.EMPTY, x); }

    public static Tensor softplus(Tensor x) { return apply1(ElementwiseOps.SOFTPLUS, Attrs.EMPTY, x); }

    public static Tensor softsign(Tensor x) { return apply1(ElementwiseOps.SOFTSIGN, Attrs.EMPTY, x); }

    /** {@code tf.math.log_sigmoid}: -softplus(-x), as TF's Python builds it. */
    public static Tensor logSigmoid(Tensor x) { return negative(softplus(negative(x))); }

    /** {@code tf.nn.silu} (also {@code swish}): x * sigmoid(x). */
    public static Tensor silu(Tensor x) { return multiply(x, sigmoid(x)); }

    /** {@code tf.nn.gelu} (exact form): 0.5 * x * (1 + erf(x / sqrt(2))), built as TF's Python builds it. */
    public static Tensor gelu(Tensor x) { return gelu(x, false); }

    /** {@code tf.nn.gelu}; {@code approximate} uses TF's tanh formula. */
    public static Tensor gelu(Tensor x, boolean approximate) {
        Tensor half = scalarLike(x, 0.5), one = scalarLike(x, 1.0);
        Tensor inner;
        if (approximate) {
            Tensor cube = pow(x, scalarLike(x, 3));
            Tensor t = multiply(scalarLike(x, 0.7978845608028654), add(x, multiply(scalarLike(x, 0.044715), cube)));
            inner = tanh(t);
        } else {
            inner = erf(divide(x, scalarLike(x, 1.4142135623730951)));
        }
        return multiply(multiply(half, x), add(one, inner));
    }

    // ------------------------------------------------------------ softmax and nn

    // ------------------------------------------------------------ losses

    // ------------------------------------------------------------ random

    // ------------------------------------------------------------ strings

    // ------------------------------------------------------------ files (.npy)
}
