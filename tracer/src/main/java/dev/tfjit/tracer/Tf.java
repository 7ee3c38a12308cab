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

import java.nio.file.Path;
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

    // ------------------------------------------------------------ device placement

    /**
     * {@code tf.device(name)}: until the returned scope is closed, eager ops and Function calls
     * on this thread run on {@code name} ({@code "gpu:0"}, {@code "/device:GPU:0"}, {@code "cpu"})
     * and leave their results there; see {@link Tensor#to} for explicit copies. A GPU without a
     * driver is reported, naming what was looked for, when something is placed on it.
     * <pre>{@code try (var gpu = Tf.device("gpu:0")) { y = f.call(x); } }</pre>
     */
    public static DeviceScope device(String name) { return DeviceScope.open(dev.tfjit.runtime.Device.parse(name)); }

    /** The device of the innermost open {@link #device} scope on this thread; the CPU outside every scope. */
    public static dev.tfjit.runtime.Device currentDevice() {
        dev.tfjit.runtime.Device d = DeviceScope.current();
        return d == null ? dev.tfjit.runtime.Device.CPU : d;
    }

    /**
     * How much of a device's memory its pool has handed out (live tensors, variables' device
     * copies), keeps for reuse, and has handed out at most, like
     * {@code tf.config.experimental.get_memory_info("GPU:0")}. The host's memory is the garbage
     * collector's: asking for the CPU is an error.
     */
    public static dev.tfjit.runtime.DeviceMemoryInfo memoryInfo(String device) {
        dev.tfjit.runtime.Device d = dev.tfjit.runtime.Device.parse(device);
        if (d.kind() == dev.tfjit.runtime.Device.Kind.CPU) {
            throw new dev.tfjit.ir.InvalidArgumentError("memory info is kept for devices with their own memory (gpu:N), not " + d);
        }
        return dev.tfjit.runtime.Backends.forDevice(d).memoryInfo();
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
        return apply1(x.dtype() == DType.STRING ? StringOps.STRING_ADD : ElementwiseOps.ADD, Attrs.EMPTY, x, y);
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

    /**
     * {@code tf.constant(value, dtype, shape)}: a value with as many elements as {@code shape}
     * is reshaped; a one-element value is broadcast (filled) to it, as TF does.
     */
    public static Tensor constant(Object value, DType dtype, int... shape) {
        Buffer b = JavaArrays.toBuffer(value, dtype);
        Shape target = Shape.of(shape);
        if (b.size() == target.numElements()) return fromBuffer(b.reshaped(target));
        if (b.size() == 1) return fill(shape, fromBuffer(b.reshaped(Shape.SCALAR)));
        throw new TfException("Eager execution of tf.constant with unsupported shape. Value has " + b.size()
                + " elements, but got `shape` " + target + " with " + target.numElements() + " elements");
    }

    /** {@code tf.zeros(shape)}: float32 zeros. */
    public static Tensor zeros(int... shape) { return zeros(shape, DType.FLOAT32); }

    /** Zeros of any dtype (false for bool, empty strings for string). */
    public static Tensor zeros(int[] shape, DType dtype) {
        Tensor zero = dtype == DType.STRING ? constant("") : scalar(0, dtype);
        return fill(shape, zero);
    }

    /** {@code tf.ones(shape)}: float32 ones. */
    public static Tensor ones(int... shape) { return ones(shape, DType.FLOAT32); }

    public static Tensor ones(int[] shape, DType dtype) {
        if (dtype == DType.STRING) throw new TfException("tf.ones: string tensors have no one");
        return fill(shape, scalar(1, dtype));
    }

    /** {@code tf.fill(dims, value)}: the dtype follows the Java value, as {@link #constant(Object)} does. */
    public static Tensor fill(int[] dims, Object value) { return fill(dims, constant(value)); }

    /** {@code tf.fill(dims, value)} with a scalar tensor value. */
    public static Tensor fill(int[] dims, Tensor value) {
        return apply1(CreationOps.FILL, Attrs.of("shape", dims), value);
    }

    /** {@code tf.zeros_like}: needs only the type of {@code x}, so it works on unknown dims while tracing. */
    public static Tensor zerosLike(Tensor x) { return apply1(CreationOps.ZEROS_LIKE, Attrs.EMPTY, x); }

    public static Tensor zerosLike(Tensor x, DType dtype) { return zerosLike(cast(x, dtype)); }

    /** {@code tf.ones_like}. */
    public static Tensor onesLike(Tensor x) { return apply1(CreationOps.ONES_LIKE, Attrs.EMPTY, x); }

    public static Tensor onesLike(Tensor x, DType dtype) { return onesLike(cast(x, dtype)); }

    /** {@code tf.eye(n)}: a float32 identity matrix. */
    public static Tensor eye(int numRows) { return eye(numRows, numRows, new int[0], DType.FLOAT32); }

    public static Tensor eye(int numRows, int numColumns) { return eye(numRows, numColumns, new int[0], DType.FLOAT32); }

    /** {@code tf.eye(num_rows, num_columns, batch_shape, dtype)}. */
    public static Tensor eye(int numRows, int numColumns, int[] batchShape, DType dtype) {
        return apply1(CreationOps.EYE, Attrs.of("num_rows", numRows, "num_columns", numColumns,
                "batch_shape", batchShape, "dtype", dtype));
    }

    /** {@code tf.range(limit)}: {@code 0, 1, ..., limit - 1}. */
    public static Tensor range(Number limit) { return range(0, limit, 1); }

    public static Tensor range(Number start, Number limit) { return range(start, limit, 1); }

    /**
     * {@code tf.range(start, limit, delta)} with TF's dtype inference: Java integers give int32
     * (int64 if one does not fit), any float or double gives float32.
     */
    public static Tensor range(Number start, Number limit, Number delta) {
        // TF takes the highest of int32 < int64 < float32 among the three.
        DType t = DType.INT32;
        for (Number n : new Number[] {start, limit, delta}) {
            DType u = rangeDType(n);
            if (u == DType.FLOAT32 || (u == DType.INT64 && t == DType.INT32)) t = u;
        }
        return range(start, limit, delta, t);
    }

    public static Tensor range(Number start, Number limit, Number delta, DType dtype) {
        return range(scalar(start, dtype), scalar(limit, dtype), scalar(delta, dtype));
    }

    /** {@code tf.range(limit)} with a scalar tensor limit: {@code 0, 1, ..., limit - 1} of its dtype. */
    public static Tensor range(Tensor limit) { return range(zerosLike(limit), limit, onesLike(limit)); }

    /** {@code tf.range} over scalar tensors of one dtype; the length is only known at run time. */
    public static Tensor range(Tensor start, Tensor limit, Tensor delta) {
        return apply1(CreationOps.RANGE, Attrs.EMPTY, start, limit, delta);
    }

    private static DType rangeDType(Number n) {
        if (n instanceof Float || n instanceof Double) return DType.FLOAT32;
        long v = n.longValue();
        return v == (int) v ? DType.INT32 : DType.INT64;
    }

    /**
     * {@code tf.linspace(start, stop, num)}: Java integers give float64 (TF divides int32 by
     * int32 with true division), floats and doubles give float32 (Python floats are float32 in TF).
     */
    public static Tensor linspace(Number start, Number stop, int num) {
        boolean ints = !(start instanceof Float || start instanceof Double);
        DType t = ints ? DType.FLOAT64 : DType.FLOAT32;
        return linspace(scalar(start.doubleValue(), t), scalar(stop.doubleValue(), t), num);
    }

    /** {@code tf.linspace} over scalar tensors; integer tensors are first cast to float64, as TF does. */
    public static Tensor linspace(Tensor start, Tensor stop, int num) {
        if (!start.dtype().isFloating()) start = cast(start, DType.FLOAT64);
        if (!stop.dtype().isFloating()) stop = cast(stop, DType.FLOAT64);
        return apply1(CreationOps.LINSPACE, Attrs.of("num", num), start, stop);
    }

    /**
     * A scalar of {@code dtype} from a Java number, as TF converts a Python number with an
     * explicit dtype: a fraction cannot become an integer, integers wrap to narrow dtypes.
     */
    static Tensor scalar(Number n, DType dtype) {
        if (dtype == DType.STRING) throw new TfException("cannot convert " + n + " to a string tensor");
        boolean fractional = n instanceof Float || n instanceof Double;
        if (fractional && !dtype.isFloating() && n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new TfException("Cannot convert " + n + " to EagerTensor of dtype " + dtype);
        }
        return fromBuffer(fractional || dtype.isFloating() ? Buffer.scalar(dtype, n.doubleValue()) : Buffer.scalarLong(dtype, n.longValue()));
    }

    // ------------------------------------------------------------ clipping

    /**
     * {@code maximum(minimum(t, max), min)}, as clip_ops.py: NaN passes through, and with
     * {@code min > max} every element becomes {@code min}. Bounds may be tensors that broadcast
     * to {@code t}'s shape, but may not make the result larger than {@code t}.
     */
    public static Tensor clipByValue(Tensor t, Tensor clipValueMin, Tensor clipValueMax) {
        Tensor tMin = minimum(t, clipValueMax);
        requireSameShape("clip_by_value", t, tMin);
        Tensor result = maximum(tMin, clipValueMin);
        requireSameShape("clip_by_value", t, result);
        return result;
    }

    /** Clipping with number bounds, converted to {@code t}'s dtype. */
    public static Tensor clipByValue(Tensor t, Number clipValueMin, Number clipValueMax) {
        return clipByValue(t, scalarLike(t, clipValueMin), scalarLike(t, clipValueMax));
    }

    private static void requireSameShape(String op, Tensor t, Tensor result) {
        Shape a = t.shape(), b = result.shape();
        if (a.hasRank() && b.hasRank() && !compatible(a, b)) {
            throw new dev.tfjit.ir.ShapeError(op + ": the clip bounds would broadcast t of shape " + a.brief() + " to " + b.brief());
        }
    }

    /** True when two shapes of known rank can describe the same tensor. */
    private static boolean compatible(Shape a, Shape b) {
        if (a.rank() != b.rank()) return false;
        for (int i = 0; i < a.rank(); i++) {
            if (a.dim(i) != Shape.UNKNOWN && b.dim(i) != Shape.UNKNOWN && a.dim(i) != b.dim(i)) return false;
        }
        return true;
    }

    /** Rescales {@code t} so its L2 norm is at most {@code clipNorm}. */
    public static Tensor clipByNorm(Tensor t, Number clipNorm) { return clipByNorm(t, scalarLike(t, clipNorm), null); }

    /** Rescales each slice along {@code axes} so its L2 norm is at most {@code clipNorm}. */
    public static Tensor clipByNorm(Tensor t, Number clipNorm, int[] axes) { return clipByNorm(t, scalarLike(t, clipNorm), axes); }

    /**
     * {@code t * c / maximum(l2norm, c)} with the norm over {@code axes} (null = all), built as
     * clip_ops.py including its two-tap Select that keeps a zero norm from making NaN gradients.
     * Not the identity below the threshold ({@code t*c/c} rounds), and with no rescaling, so a
     * sum of squares that overflows gives zeros, as in TF.
     */
    public static Tensor clipByNorm(Tensor t, Tensor clipNorm, int[] axes) {
        Tensor l2sum = reduceSum(multiply(t, t), axes, true);
        Tensor positive = greater(l2sum, scalarLike(l2sum, 0));
        Tensor l2sumSafe = where(positive, l2sum, scalarLike(l2sum, 1));
        Tensor l2norm = where(positive, sqrt(l2sumSafe), l2sum);
        Tensor intermediate = multiply(t, clipNorm);
        requireSameShape("clip_by_norm", t, intermediate);
        return divide(intermediate, maximum(l2norm, clipNorm));
    }

    /** {@code sqrt(sum of squares of every element of every tensor)}, as clip_ops.global_norm (via l2_loss). */
    public static Tensor globalNorm(List<Tensor> tensors) {
        if (tensors.isEmpty()) throw new TfException("global_norm: needs at least one tensor");
        Tensor halfSquared = null;
        for (Tensor v : tensors) {
            Tensor h = l2Loss(v);
            halfSquared = halfSquared == null ? h : add(halfSquared, h);
        }
        return sqrt(multiply(halfSquared, scalarLike(halfSquared, 2.0)));
    }

    /**
     * Scales every tensor by {@code clipNorm / max(globalNorm, clipNorm)}, as clip_ops.py; a
     * non-finite global norm makes every result NaN (TF's {@code scale + (norm - norm)} trick).
     */
    public static GlobalNormClip clipByGlobalNorm(List<Tensor> tensors, Number clipNorm) {
        Tensor useNorm = globalNorm(tensors);
        Tensor c = scalarLike(useNorm, clipNorm);
        Tensor one = scalarLike(useNorm, 1.0);
        Tensor scaleForFinite = multiply(c, minimum(divide(one, useNorm), divide(one, c)));
        Tensor scale = add(scaleForFinite, subtract(useNorm, useNorm));
        List<Tensor> clipped = new ArrayList<>(tensors.size());
        for (Tensor v : tensors) clipped.add(multiply(v, cast(scale, v.dtype())));
        return new GlobalNormClip(clipped, useNorm);
    }

    // ------------------------------------------------------------ shape, indexing and slicing

    /** The dynamic shape as an int32 vector (an op, so it works on symbolic tensors with unknown dims). */
    public static Tensor shape(Tensor x) { return apply1(ArrayOps.SHAPE, Attrs.EMPTY, x); }

    /** The dynamic shape as a vector of {@code outType} (int32 or int64). */
    public static Tensor shape(Tensor x, DType outType) { return apply1(ArrayOps.SHAPE, Attrs.of("out_type", outType), x); }

    /** The number of elements, an int32 scalar. */
    public static Tensor size(Tensor x) { return apply1(ArrayOps.SIZE, Attrs.EMPTY, x); }

    /** The number of dims, an int32 scalar. */
    public static Tensor rank(Tensor x) { return apply1(ArrayOps.RANK, Attrs.EMPTY, x); }

    public static Tensor identity(Tensor x) { return apply1(ArrayOps.IDENTITY, Attrs.EMPTY, x); }

    /** {@code tf.reshape}: one dim may be -1 (inferred). */
    public static Tensor reshape(Tensor x, int... shape) { return apply1(ArrayOps.RESHAPE, Attrs.of("shape", shape), x); }

    /** {@code tf.reshape} with a computed int32/int64 shape vector (for shapes built from {@link #shape}). */
    public static Tensor reshape(Tensor x, Tensor shape) { return apply1(ArrayOps.RESHAPE, Attrs.EMPTY, x, shape); }

    public static Tensor expandDims(Tensor x, int axis) { return apply1(ArrayOps.EXPAND_DIMS, Attrs.of("axis", axis), x); }

    /** Removes every dim of size 1. */
    public static Tensor squeeze(Tensor x) { return apply1(ArrayOps.SQUEEZE, Attrs.EMPTY, x); }

    /** Removes the listed dims, which must have size 1. */
    public static Tensor squeeze(Tensor x, int... axes) {
        return apply1(ArrayOps.SQUEEZE, axes.length == 0 ? Attrs.EMPTY : Attrs.of("axis", axes), x);
    }

    /** Reverses the dims (a matrix transpose for rank 2). */
    public static Tensor transpose(Tensor x) { return apply1(ArrayOps.TRANSPOSE, Attrs.EMPTY, x); }

    public static Tensor transpose(Tensor x, int... perm) { return apply1(ArrayOps.TRANSPOSE, Attrs.of("perm", perm), x); }

    public static Tensor tile(Tensor x, int... multiples) { return apply1(ArrayOps.TILE, Attrs.of("multiples", multiples), x); }

    public static Tensor broadcastTo(Tensor x, int... shape) { return apply1(ArrayOps.BROADCAST_TO, Attrs.of("shape", shape), x); }

    public static Tensor reverse(Tensor x, int... axes) { return apply1(ArrayOps.REVERSE, Attrs.of("axis", axes), x); }

    public static Tensor concat(List<Tensor> values, int axis) {
        return apply1(ArrayOps.CONCAT, Attrs.of("axis", axis), values.toArray(Tensor[]::new));
    }

    public static Tensor stack(List<Tensor> values) { return stack(values, 0); }

    public static Tensor stack(List<Tensor> values, int axis) {
        return apply1(ArrayOps.STACK, Attrs.of("axis", axis), values.toArray(Tensor[]::new));
    }

    public static List<Tensor> unstack(Tensor x) { return unstack(x, 0); }

    /** The slices along {@code axis}; that dim must be known (or use {@link #unstack(Tensor, int, int)}). */
    public static List<Tensor> unstack(Tensor x, int axis) { return apply(ArrayOps.UNSTACK, Attrs.of("axis", axis), x); }

    public static List<Tensor> unstack(Tensor x, int axis, int num) {
        return apply(ArrayOps.UNSTACK, Attrs.of("axis", axis, "num", num), x);
    }

    /** {@code tf.split(x, num, axis)}: {@code num} equal pieces. */
    public static List<Tensor> split(Tensor x, int numSplits, int axis) {
        return apply(ArrayOps.SPLIT, Attrs.of("num_split", numSplits, "axis", axis), x);
    }

    /** {@code tf.split(x, [sizes], axis)}: pieces of the given sizes; one may be -1 (the rest). */
    public static List<Tensor> split(Tensor x, int[] sizes, int axis) {
        return apply(ArrayOps.SPLIT_V, Attrs.of("size_splits", sizes, "axis", axis), x);
    }

    /** {@code tf.slice}: a size of -1 takes the rest of that dim. */
    public static Tensor slice(Tensor x, int[] begin, int[] size) {
        return apply1(ArrayOps.SLICE, Attrs.of("begin", begin, "size", size), x);
    }

    /** {@code tf.strided_slice} with its five masks (bit i refers to index entry i). */
    public static Tensor stridedSlice(Tensor x, int[] begin, int[] end, int[] strides, int beginMask, int endMask,
                                      int ellipsisMask, int newAxisMask, int shrinkAxisMask) {
        return stridedSlice(x, new dev.tfjit.ir.kernels.StridedSliceSpec(longs(begin), longs(end), longs(strides), beginMask, endMask,
                ellipsisMask, newAxisMask, shrinkAxisMask));
    }

    public static Tensor stridedSlice(Tensor x, int[] begin, int[] end, int[] strides) {
        return stridedSlice(x, begin, end, strides, 0, 0, 0, 0, 0);
    }

    public static Tensor stridedSlice(Tensor x, dev.tfjit.ir.kernels.StridedSliceSpec spec) { return apply1(ArrayOps.STRIDED_SLICE, spec.toAttrs(), x); }

    /** {@code x[...]} in Python syntax, e.g. {@code "..., 1:"} or {@code ":, tf.newaxis, 0"}. */
    public static Tensor getItem(Tensor x, String index) { return stridedSlice(x, Slice.lower(Slice.parse(index))); }

    public static Tensor getItem(Tensor x, List<Slice> index) { return stridedSlice(x, Slice.lower(index)); }

    /** TF's TensorStridedSliceUpdate: a copy of {@code x} whose slice {@code spec} is replaced by {@code value}. */
    public static Tensor tensorStridedSliceUpdate(Tensor x, dev.tfjit.ir.kernels.StridedSliceSpec spec, Tensor value) {
        return apply1(ArrayOps.TENSOR_STRIDED_SLICE_UPDATE, spec.toAttrs(), x, value);
    }

    /** A copy of {@code x} with {@code x[index] = value}, index in Python syntax. */
    public static Tensor tensorStridedSliceUpdate(Tensor x, String index, Tensor value) {
        return tensorStridedSliceUpdate(x, Slice.lower(Slice.parse(index)), value);
    }

    public static Tensor gather(Tensor params, Tensor indices) { return gather(params, indices, 0, 0); }

    public static Tensor gather(Tensor params, Tensor indices, int axis) { return gather(params, indices, axis, 0); }

    public static Tensor gather(Tensor params, Tensor indices, int axis, int batchDims) {
        return apply1(ArrayOps.GATHER, Attrs.of("axis", axis, "batch_dims", batchDims), params, indices);
    }

    public static Tensor gatherNd(Tensor params, Tensor indices) { return apply1(ArrayOps.GATHER_ND, Attrs.EMPTY, params, indices); }

    /** {@code tf.scatter_nd}: zeros of {@code shape} with {@code updates} added at {@code indices} (duplicates sum). */
    public static Tensor scatterNd(Tensor indices, Tensor updates, int... shape) {
        return apply1(ArrayOps.SCATTER_ND, Attrs.of("shape", shape), indices, updates);
    }

    public static Tensor tensorScatterNdUpdate(Tensor tensor, Tensor indices, Tensor updates) {
        return apply1(ArrayOps.TENSOR_SCATTER_ND_UPDATE, Attrs.EMPTY, tensor, indices, updates);
    }

    public static Tensor booleanMask(Tensor tensor, Tensor mask) { return booleanMask(tensor, mask, 0); }

    /**
     * {@code tf.boolean_mask}, built as TF's array_ops.py builds it: merge the masked dims with a
     * reshape, then {@code gather(tensor, squeeze(where(reshape(mask, [-1])), [1]), axis)}.
     */
    public static Tensor booleanMask(Tensor tensor, Tensor mask, int axis) {
        Shape ms = mask.shape(), ts = tensor.shape();
        if (!ms.hasRank()) {
            throw new dev.tfjit.ir.ShapeError("boolean_mask: Number of mask dimensions must be specified, even if some dimensions are None. "
                    + " E.g. shape=[None] is ok, but shape=None is not.");
        }
        int n = ms.rank();
        if (n == 0) throw new dev.tfjit.ir.ShapeError("boolean_mask: mask cannot be scalar.");
        if (!ts.hasRank()) throw new dev.tfjit.ir.ShapeError("boolean_mask needs a tensor of known rank");
        if (axis < 0) axis += ts.rank();
        if (axis < 0 || axis + n > ts.rank()) {
            throw new dev.tfjit.ir.ShapeError("boolean_mask: a mask of rank " + n + " at axis " + axis + " does not fit a tensor of shape " + ts);
        }
        long lead = 1;
        for (int i = 0; i < n; i++) {
            int t = ts.dim(axis + i), m = ms.dim(i);
            if (t != Shape.UNKNOWN && m != Shape.UNKNOWN && t != m) {
                throw new dev.tfjit.ir.ShapeError("boolean_mask: Shapes " + Shape.of(Arrays.copyOfRange(ts.dims(), axis, axis + n))
                        + " and " + ms + " are incompatible");
            }
            int d = t != Shape.UNKNOWN ? t : m;
            lead = lead < 0 || d == Shape.UNKNOWN ? -1 : lead * d;
        }
        int[] merged = new int[ts.rank() - n + 1];
        for (int i = 0, k = 0; i < ts.rank(); i++) {
            if (i == axis) merged[k++] = (int) lead;
            else if (i < axis || i >= axis + n) {
                merged[k++] = ts.dim(i);
            }
        }
        Tensor reshaped;
        if (countUnknown(merged) <= 1) {
            reshaped = reshape(tensor, merged); // at most one unknown dim, written as -1
        } else {
            // Several unknown dims: take them from the dynamic shape, as TF's Python does.
            Tensor dyn = shape(tensor);
            reshaped = reshape(tensor, concat(List.of(
                    stridedSlice(dyn, new int[] {0}, new int[] {axis}, new int[] {1}),
                    fromBuffer(Buffer.ofInts(Shape.of(1), (int) lead)),
                    stridedSlice(dyn, new int[] {axis + n}, new int[] {0}, new int[] {1}, 0, 1, 0, 0, 0)), 0));
        }
        Tensor flatMask = reshape(mask, -1);
        return gather(reshaped, squeeze(where(flatMask), 1), axis);
    }

    /** {@code tf.where(condition)}: int64 {@code [n, rank]} coordinates of the true elements, row-major. */
    public static Tensor where(Tensor condition) { return apply1(ArrayOps.WHERE, Attrs.EMPTY, condition); }

    /** {@code tf.where(condition, x, y)}: x where condition holds, else y, all three broadcast. */
    public static Tensor where(Tensor condition, Tensor x, Tensor y) { return apply1(ArrayOps.SELECT, Attrs.EMPTY, condition, x, y); }

    /** {@code tf.pad} with zeros; {@code paddings[i] = {before, after}} for dim i. */
    public static Tensor pad(Tensor x, int[][] paddings) { return pad(x, paddings, "CONSTANT"); }

    /** {@code tf.pad} in CONSTANT (zeros), REFLECT or SYMMETRIC mode. */
    public static Tensor pad(Tensor x, int[][] paddings, String mode) {
        if (!mode.equalsIgnoreCase("CONSTANT")) {
            return apply1(ArrayOps.MIRROR_PAD, Attrs.of("paddings", flatPaddings(paddings), "mode", mode.toUpperCase()), x);
        }
        return pad(x, paddings, "CONSTANT", x.dtype() == DType.STRING ? fromBuffer(Buffer.ofStrings(Shape.SCALAR, ""))
                : fromBuffer(Buffer.scalar(x.dtype(), 0)));
    }

    /** {@code tf.pad} with {@code constant_values} (used only in CONSTANT mode, as in TF). */
    public static Tensor pad(Tensor x, int[][] paddings, String mode, Number constantValue) {
        if (!mode.equalsIgnoreCase("CONSTANT")) return pad(x, paddings, mode);
        return pad(x, paddings, mode, scalarLike(x, constantValue));
    }

    public static Tensor pad(Tensor x, int[][] paddings, String mode, Tensor constantValue) {
        if (!mode.equalsIgnoreCase("CONSTANT")) return pad(x, paddings, mode);
        return apply1(ArrayOps.PAD, Attrs.of("paddings", flatPaddings(paddings)), x, constantValue);
    }

    /** {@code tf.one_hot(indices, depth)}: float32 1/0, the new axis last. */
    public static Tensor oneHot(Tensor indices, int depth) { return oneHot(indices, depth, 1, 0, -1, DType.FLOAT32); }

    /** {@code tf.one_hot}: indices outside {@code [0, depth)} give an all-off row. */
    public static Tensor oneHot(Tensor indices, int depth, Number onValue, Number offValue, int axis, DType dtype) {
        return oneHot(indices, depth, constant(onValue, dtype), constant(offValue, dtype), axis);
    }

    public static Tensor oneHot(Tensor indices, int depth, Tensor onValue, Tensor offValue, int axis) {
        return apply1(ArrayOps.ONE_HOT, Attrs.of("depth", depth, "axis", axis), indices, onValue, offValue);
    }

    private static long[] longs(int[] a) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) l[i] = a[i];
        return l;
    }

    private static long[] flatPaddings(int[][] paddings) {
        long[] flat = new long[paddings.length * 2];
        for (int i = 0; i < paddings.length; i++) {
            if (paddings[i].length != 2) {
                throw new dev.tfjit.ir.ShapeError("paddings must be a list of [before, after] pairs, row " + i + " has " + paddings[i].length
                        + " entries");
            }
            flat[2 * i] = paddings[i][0];
            flat[2 * i + 1] = paddings[i][1];
        }
        return flat;
    }

    private static int countUnknown(int[] dims) {
        int n = 0;
        for (int d : dims) if (d == Shape.UNKNOWN) n++;
        return n;
    }

    // ------------------------------------------------------------ reductions

    private static Attrs reductionAttrs(int[] axes, boolean keepdims) {
        return axes == null ? Attrs.of("keepdims", keepdims) : Attrs.of("axis", axes, "keepdims", keepdims);
    }

    /** Sum over every dim. */
    public static Tensor reduceSum(Tensor x) { return reduceSum(x, null, false); }

    /** Sum over {@code axes} (negative counts from the end). */
    public static Tensor reduceSum(Tensor x, int... axes) { return reduceSum(x, axes, false); }

    /** Sum over {@code axes} ({@code null} = all), keeping them as size 1 with {@code keepdims}. */
    public static Tensor reduceSum(Tensor x, int[] axes, boolean keepdims) {
        return apply1(ReductionOps.REDUCE_SUM, reductionAttrs(axes, keepdims), x);
    }

    public static Tensor reduceMean(Tensor x) { return reduceMean(x, null, false); }

    public static Tensor reduceMean(Tensor x, int... axes) { return reduceMean(x, axes, false); }

    /** Mean; an integer mean truncates toward zero, as TF's does. */
    public static Tensor reduceMean(Tensor x, int[] axes, boolean keepdims) {
        return apply1(ReductionOps.REDUCE_MEAN, reductionAttrs(axes, keepdims), x);
    }

    public static Tensor reduceMax(Tensor x) { return reduceMax(x, null, false); }

    public static Tensor reduceMax(Tensor x, int... axes) { return reduceMax(x, axes, false); }

    /** Max; NaN propagates; an empty reduction gives -inf (or the dtype's lowest integer). */
    public static Tensor reduceMax(Tensor x, int[] axes, boolean keepdims) {
        return apply1(ReductionOps.REDUCE_MAX, reductionAttrs(axes, keepdims), x);
    }

    public static Tensor reduceMin(Tensor x) { return reduceMin(x, null, false); }

    public static Tensor reduceMin(Tensor x, int... axes) { return reduceMin(x, axes, false); }

    public static Tensor reduceMin(Tensor x, int[] axes, boolean keepdims) {
        return apply1(ReductionOps.REDUCE_MIN, reductionAttrs(axes, keepdims), x);
    }

    public static Tensor reduceProd(Tensor x) { return reduceProd(x, null, false); }

    public static Tensor reduceProd(Tensor x, int... axes) { return reduceProd(x, axes, false); }

    public static Tensor reduceProd(Tensor x, int[] axes, boolean keepdims) {
        return apply1(ReductionOps.REDUCE_PROD, reductionAttrs(axes, keepdims), x);
    }

    public static Tensor reduceAny(Tensor x) { return reduceAny(x, null, false); }

    public static Tensor reduceAny(Tensor x, int... axes) { return reduceAny(x, axes, false); }

    public static Tensor reduceAny(Tensor x, int[] axes, boolean keepdims) {
        return apply1(ReductionOps.REDUCE_ANY, reductionAttrs(axes, keepdims), x);
    }

    public static Tensor reduceAll(Tensor x) { return reduceAll(x, null, false); }

    public static Tensor reduceAll(Tensor x, int... axes) { return reduceAll(x, axes, false); }

    public static Tensor reduceAll(Tensor x, int[] axes, boolean keepdims) {
        return apply1(ReductionOps.REDUCE_ALL, reductionAttrs(axes, keepdims), x);
    }

    /**
     * {@code log(sum(exp(x)))} without overflow, built as TF's math_ops.reduce_logsumexp: subtract
     * the (keepdims) max where it is finite, sum the exponentials, add the max back.
     */
    public static Tensor reduceLogsumexp(Tensor x, int[] axes, boolean keepdims) {
        Tensor rawMax = reduceMax(x, axes, true);
        Tensor myMax = where(isFinite(rawMax), rawMax, scalarLike(rawMax, 0));
        Tensor result = log(reduceSum(exp(subtract(x, myMax)), axes, keepdims));
        if (!keepdims) myMax = reshape(myMax, shape(result));
        return add(result, myMax);
    }

    public static Tensor reduceLogsumexp(Tensor x) { return reduceLogsumexp(x, null, false); }

    /** Index of the largest value along {@code axis}, as int64; NaN is skipped, ties give the lowest index. */
    public static Tensor argmax(Tensor x, int axis) { return argmax(x, axis, DType.INT64); }

    public static Tensor argmax(Tensor x, int axis, DType outputType) {
        return apply1(ReductionOps.ARGMAX, Attrs.of("axis", axis, "output_type", outputType), x);
    }

    public static Tensor argmin(Tensor x, int axis) { return argmin(x, axis, DType.INT64); }

    public static Tensor argmin(Tensor x, int axis, DType outputType) {
        return apply1(ReductionOps.ARGMIN, Attrs.of("axis", axis, "output_type", outputType), x);
    }

    public static Tensor cumsum(Tensor x, int axis) { return cumsum(x, axis, false, false); }

    /** Running sum along {@code axis}; {@code exclusive} starts from 0, {@code reverse} runs from the end. */
    public static Tensor cumsum(Tensor x, int axis, boolean exclusive, boolean reverse) {
        return apply1(ReductionOps.CUMSUM, Attrs.of("axis", axis, "exclusive", exclusive, "reverse", reverse), x);
    }

    public static Tensor cumprod(Tensor x, int axis) { return cumprod(x, axis, false, false); }

    public static Tensor cumprod(Tensor x, int axis, boolean exclusive, boolean reverse) {
        return apply1(ReductionOps.CUMPROD, Attrs.of("axis", axis, "exclusive", exclusive, "reverse", reverse), x);
    }

    // ------------------------------------------------------------ sorting and top-k

    /** The {@code k} largest entries of the last dim, largest first: values, then int32 indices (ties: lower index first). */
    public static List<Tensor> topK(Tensor x, int k) { return topK(x, k, true); }

    public static List<Tensor> topK(Tensor x, int k, boolean sorted) {
        return apply(LinalgOps.TOP_K, Attrs.of("k", k, "sorted", sorted), x);
    }

    /** Sorted copy of {@code values} along the last axis, ascending. */
    public static Tensor sort(Tensor values) { return sort(values, -1, "ASCENDING"); }

    /**
     * Sorted copy along {@code axis}; {@code direction} is "ASCENDING" or "DESCENDING". Built as
     * TF's sort_ops.py: top_k over the last axis (a non-last axis is swapped there and back),
     * and ascending order as the descending order of the negated values ({@code -x-1} for ints).
     */
    public static Tensor sort(Tensor values, int axis, String direction) { return sortOrArgsort(values, axis, direction, false); }

    /** Int32 indices that sort {@code values} along the last axis, ascending; stable. */
    public static Tensor argsort(Tensor values) { return argsort(values, -1, "ASCENDING"); }

    public static Tensor argsort(Tensor values, int axis, String direction) { return sortOrArgsort(values, axis, direction, true); }

    /** Whether each row's target class id is among the {@code k} largest predictions (ties count as in). */
    public static Tensor inTopK(Tensor targets, Tensor predictions, int k) {
        return apply1(LinalgOps.IN_TOP_K, Attrs.of("k", k), predictions, targets);
    }

    private static Tensor sortOrArgsort(Tensor values, int axis, String direction, boolean indices) {
        boolean ascending = switch (direction) {
            case "ASCENDING" -> true;
            case "DESCENDING" -> false;
            default -> throw new TfException("sort: direction " + direction + " should be one of ASCENDING, DESCENDING");
        };
        if (!ascending) return descendingSort(values, axis, indices);
        Tensor sorted = descendingSort(negateForSort(values), axis, indices);
        return indices ? sorted : negateForSort(sorted);
    }

    /** An order-reversing map: {@code -x} for floats, {@code -x-1} for signed ints (so INT_MIN has an image). */
    private static Tensor negateForSort(Tensor values) {
        DType t = values.dtype();
        if (!t.isNumeric() || !t.isSigned()) {
            throw new dev.tfjit.ir.DTypeError("sort: cannot sort a " + t + " tensor in ascending order (TF negates the values)");
        }
        return t.isInteger() ? subtract(negative(values), scalarLike(values, 1)) : negative(values);
    }

    private static Tensor descendingSort(Tensor values, int axis, boolean indices) {
        Shape s = values.shape();
        if (!s.hasRank()) throw new TfException("sort: the rank of the values must be known");
        int rank = s.rank();
        if (rank == 0) throw new dev.tfjit.ir.InvalidArgumentError("sort: input must be >= 1-D, got shape []");
        int a = sortAxis(axis, rank);
        // k is a static attribute of top_k here, so the sorted dim must be known
        if (!s.isKnown(a)) throw new TfException("sort: the size of axis " + axis + " must be known, the values have shape " + s);
        int[] swap = a == rank - 1 ? null : swapWithLast(rank, a);
        Tensor input = swap == null ? values : transpose(values, swap);
        Tensor result = topK(input, s.dim(a)).get(indices ? 1 : 0);
        // swapping two axes is its own inverse
        return swap == null ? result : transpose(result, swap);
    }

    private static int sortAxis(int axis, int rank) {
        if (axis < -rank || axis >= rank) {
            throw new dev.tfjit.ir.InvalidArgumentError("sort: axis " + axis + " is out of range for a tensor of rank " + rank);
        }
        return axis < 0 ? axis + rank : axis;
    }

    /** The permutation that swaps {@code axis} with the last dim. */
    private static int[] swapWithLast(int rank, int axis) {
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) perm[i] = i;
        perm[axis] = rank - 1;
        perm[rank - 1] = axis;
        return perm;
    }

    // ------------------------------------------------------------ linear algebra

    public static Tensor matmul(Tensor a, Tensor b) { return matmul(a, b, false, false); }

    /** Matrix product of rank-2 or batched operands (batch dims broadcast), optionally transposing either. */
    public static Tensor matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        return apply1(LinalgOps.MATMUL, Attrs.of("transpose_a", transposeA, "transpose_b", transposeB), a, b);
    }

    /** With adjoints: for the real dtypes tfjit supports, the adjoint is the transpose. */
    public static Tensor matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB, boolean adjointA, boolean adjointB) {
        if ((transposeA && adjointA) || (transposeB && adjointB)) {
            throw new TfException("Only one of transpose_a and adjoint_a (or transpose_b and adjoint_b) can be True");
        }
        return matmul(a, b, transposeA || adjointA, transposeB || adjointB);
    }

    /** The Euclidean norm of all elements. */
    public static Tensor norm(Tensor x) { return norm(x, "euclidean", null, false); }

    /**
     * {@code tf.norm} with {@code ord} "euclidean" or "fro": {@code sqrt(sum(x*x))} over {@code axis}
     * (null = all; one axis = vector norm; two axes = matrix norm), as TF's linalg_impl.py builds it,
     * with no rescaling (so large float32 inputs overflow as in TF).
     */
    public static Tensor norm(Tensor x, String ord, int[] axis, boolean keepdims) {
        boolean matrix = normAxes(axis);
        switch (ord) {
            case "euclidean" -> { }
            case "fro" -> {
                if (!matrix) throw new TfException("norm: 'ord' must be a supported vector norm, got fro");
            }
            case "inf" -> { return norm(x, Double.POSITIVE_INFINITY, axis, keepdims); }
            default -> throw new TfException("norm: 'ord' must be a supported " + (matrix ? "matrix" : "vector") + " norm, got " + ord);
        }
        return finishNorm(sqrt(reduceSum(multiply(x, x), axis, true)), axis, keepdims);
    }

    /** {@code tf.norm} with a numeric {@code ord}: 1, 2, infinity, or (vector norms) any p > 0. */
    public static Tensor norm(Tensor x, double ord, int[] axis, boolean keepdims) {
        boolean matrix = normAxes(axis);
        boolean inf = ord == Double.POSITIVE_INFINITY;
        if (matrix ? !(ord == 1 || ord == 2 || inf) : !(ord > 0)) {
            throw new TfException("norm: 'ord' must be a supported " + (matrix ? "matrix" : "vector") + " norm, got " + ord);
        }
        if (ord == 2) {
            if (matrix) throw new dev.tfjit.ir.UnimplementedError("norm: the matrix 2-norm needs an SVD, which tfjit does not have yet");
            return norm(x, "euclidean", axis, keepdims);
        }
        Tensor result = abs(x);
        int[] first = axis == null ? null : new int[] {axis[0]};
        if (ord == 1) {
            result = reduceSum(result, first, true);
            if (matrix) result = reduceMax(result, new int[] {axis[1]}, true);
        } else if (inf) {
            if (matrix) result = reduceSum(result, new int[] {axis[1]}, true);
            result = reduceMax(result, first, true);
        } else {
            result = pow(reduceSum(pow(result, scalarLike(result, ord)), axis, true), scalarLike(result, 1.0 / ord));
        }
        return finishNorm(result, axis, keepdims);
    }

    /** True for a matrix norm (two axes); checks the axes as TF does. */
    private static boolean normAxes(int[] axis) {
        if (axis == null || axis.length == 1) return false;
        if (axis.length == 2 && axis[0] != axis[1]) return true;
        throw new TfException("norm: 'axis' must be None, an integer, or a tuple of 2 unique integers, got "
                + Arrays.toString(axis));
    }

    private static Tensor finishNorm(Tensor result, int[] axis, boolean keepdims) {
        return keepdims ? result : axis == null ? squeeze(result) : squeeze(result, axis);
    }

    /** Contracts the last {@code axes} dims of {@code a} with the first {@code axes} dims of {@code b}. */
    public static Tensor tensordot(Tensor a, Tensor b, int axes) {
        if (!a.shape().hasRank() || !b.shape().hasRank()) throw new TfException("tensordot: the ranks of a and b must be known");
        if (axes < 0 || axes > a.rank() || axes > b.rank()) {
            throw new TfException("tensordot: 'axes' must be at most the rank of a and b and non-negative, got " + axes);
        }
        int[] aAxes = new int[axes], bAxes = new int[axes];
        for (int i = 0; i < axes; i++) {
            aAxes[i] = a.rank() - axes + i;
            bAxes[i] = i;
        }
        return tensordot(a, b, aAxes, bAxes);
    }

    /**
     * Sums products over {@code aAxes} of {@code a} paired with {@code bAxes} of {@code b}, as
     * math_ops.tensordot: transpose each operand so the contracted dims meet, reshape both to
     * matrices, one matmul, then reshape to a's free dims followed by b's. Needs static shapes.
     */
    public static Tensor tensordot(Tensor a, Tensor b, int[] aAxes, int[] bAxes) {
        if (aAxes.length != bAxes.length) {
            throw new TfException("tensordot: axes must have the same length for both tensors, got "
                    + Arrays.toString(aAxes) + " and " + Arrays.toString(bAxes));
        }
        if (!a.shape().isFullyKnown() || !b.shape().isFullyKnown()) {
            throw new TfException("tensordot: tfjit needs fully known shapes, got " + a.shape() + " and " + b.shape());
        }
        aAxes = aAxes.clone(); // normalized in place below
        bAxes = bAxes.clone();
        int[] aFree = freeDims(a.shape(), aAxes), bFree = freeDims(b.shape(), bAxes);
        Tensor am = contractionMatrix(a, aFree, aAxes, false);
        Tensor bm = contractionMatrix(b, bFree, bAxes, true);
        int[] out = new int[aFree.length + bFree.length];
        for (int i = 0; i < aFree.length; i++) out[i] = a.shape().dim(aFree[i]);
        for (int i = 0; i < bFree.length; i++) out[aFree.length + i] = b.shape().dim(bFree[i]);
        return reshape(matmul(am, bm), out);
    }

    /** The dims not in {@code axes}; makes {@code axes} non-negative in place. */
    private static int[] freeDims(Shape s, int[] axes) {
        boolean[] contracted = new boolean[s.rank()];
        for (int i = 0; i < axes.length; i++) {
            int ax = axes[i] < 0 ? axes[i] + s.rank() : axes[i];
            if (ax < 0 || ax >= s.rank() || contracted[ax]) {
                throw new TfException("tensordot: axis " + axes[i] + " is out of range or repeated for shape " + s);
            }
            contracted[ax] = true;
            axes[i] = ax;
        }
        int[] free = new int[s.rank() - axes.length];
        for (int i = 0, j = 0; i < s.rank(); i++) if (!contracted[i]) free[j++] = i;
        return free;
    }

    /** {@code [free, contracted]} (or {@code [contracted, free]} when flipped) as a matrix. */
    private static Tensor contractionMatrix(Tensor t, int[] free, int[] axes, boolean flipped) {
        int[] perm = new int[free.length + axes.length];
        int[] first = flipped ? axes : free, second = flipped ? free : axes;
        System.arraycopy(first, 0, perm, 0, first.length);
        System.arraycopy(second, 0, perm, first.length, second.length);
        int rows = 1, cols = 1;
        for (int d : first) rows *= t.shape().dim(d);
        for (int d : second) cols *= t.shape().dim(d);
        return reshape(transpose(t, perm), rows, cols);
    }

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

    /** Softmax over the last dim: {@code exp(x - max) / sum}, stable for large logits. */
    public static Tensor softmax(Tensor logits) { return apply1(NnOps.SOFTMAX, Attrs.EMPTY, logits); }

    public static Tensor logSoftmax(Tensor logits) { return apply1(NnOps.LOG_SOFTMAX, Attrs.EMPTY, logits); }

    /**
     * Softmax along {@code axis}; a non-last axis is swapped to the end and back, as TF's
     * {@code _wrap_2d_function} does.
     */
    public static Tensor softmax(Tensor logits, int axis) { return alongLastAxis(NnOps.SOFTMAX, logits, axis); }

    public static Tensor logSoftmax(Tensor logits, int axis) { return alongLastAxis(NnOps.LOG_SOFTMAX, logits, axis); }

    private static Tensor alongLastAxis(OpDef op, Tensor logits, int axis) {
        Shape s = logits.shape();
        if (axis == -1) return apply1(op, Attrs.EMPTY, logits);
        if (!s.hasRank()) throw new TfException(op.name() + ": the rank of logits must be known to use axis " + axis);
        int rank = s.rank();
        if (rank == 0) return apply1(op, Attrs.EMPTY, logits); // the op reports TF's error
        if (axis < -rank || axis >= rank) {
            throw new dev.tfjit.ir.InvalidArgumentError(op.name() + ": `axis` must be in the range [" + -rank + ", " + rank
                    + ") where " + rank + " is the number of dimensions in the input. Received: axis=" + axis);
        }
        int a = axis < 0 ? axis + rank : axis;
        if (a == rank - 1) return apply1(op, Attrs.EMPTY, logits);
        int[] swap = swapWithLast(rank, a);
        return transpose(apply1(op, Attrs.EMPTY, transpose(logits, swap)), swap);
    }

    /** {@code tf.nn.dropout(x, rate)} with a nondeterministic op seed. */
    public static Tensor dropout(Tensor x, double rate) { return dropout(x, rate, null); }

    /**
     * {@code tf.nn.dropout(x, rate, seed=seed)}: each element is kept with probability
     * {@code 1 - rate} and scaled by {@code 1 / (1 - rate)}, else zeroed, composed as TF's Python
     * composes it ({@code x * scale * cast(uniform(shape(x)) >= rate)}), so dims known only at
     * run time are fine. A rate of 0 returns {@code x} itself.
     */
    public static Tensor dropout(Tensor x, double rate, Integer seed) {
        if (!(rate >= 0 && rate < 1)) {
            throw new dev.tfjit.ir.InvalidArgumentError("`rate` must be a scalar tensor or a float in the range [0, 1). Received: rate=" + rate);
        }
        if (!x.dtype().isFloating()) {
            throw new dev.tfjit.ir.DTypeError("`x.dtype` must be a floating point tensor as `x` will be scaled. Received: x_dtype=" + x.dtype());
        }
        if (rate == 0) return x;
        Tensor scaled = multiply(x, scalar(1 / (1 - rate), x.dtype()));
        Tensor u = random.uniform(shape(x), 0, 1, x.dtype(), seed);
        return multiply(scaled, cast(greaterEqual(u, scalar(rate, x.dtype())), x.dtype()));
    }

    // ------------------------------------------------------------ losses

    /** Keras's fuzz factor for losses on probabilities. */
    private static final double EPSILON = 1e-7;

    /** {@code sum(t * t) / 2}. */
    public static Tensor l2Loss(Tensor t) { return apply1(NnOps.L2_LOSS, Attrs.EMPTY, t); }

    /**
     * Elementwise logistic loss, the stable {@code relu(x) - x*z + log1p(exp(-|x|))} built with
     * Selects exactly as nn_impl.py does.
     */
    public static Tensor sigmoidCrossEntropyWithLogits(Tensor labels, Tensor logits) {
        Shape a = labels.shape(), b = logits.shape();
        if (a.hasRank() && b.hasRank() && !compatible(a, b)) {
            throw new dev.tfjit.ir.ShapeError("sigmoid_cross_entropy_with_logits: logits and labels must have the same shape ("
                    + b + " vs " + a + ")");
        }
        Tensor zeros = scalarLike(logits, 0);
        Tensor cond = greaterEqual(logits, zeros);
        Tensor reluLogits = where(cond, logits, zeros);
        Tensor negAbsLogits = where(cond, negative(logits), logits);
        return add(subtract(reluLogits, multiply(logits, labels)), log1p(exp(negAbsLogits)));
    }

    /** Softmax cross-entropy along the last axis (see the axis form). */
    public static Tensor softmaxCrossEntropyWithLogits(Tensor labels, Tensor logits) {
        return softmaxCrossEntropyWithLogits(labels, logits, -1);
    }

    /**
     * Cross-entropy of softmax(logits) against the label distribution along {@code axis}, as
     * nn_ops.softmax_cross_entropy_with_logits_v2: move the axis last, flatten the outer dims,
     * run the fused kernel (labels broadcast against logits), reshape the loss back.
     */
    public static Tensor softmaxCrossEntropyWithLogits(Tensor labels, Tensor logits, int axis) {
        Shape s = logits.shape();
        if (!s.hasRank()) throw new TfException("softmax_cross_entropy_with_logits: the rank of logits must be known");
        int rank = s.rank();
        if (rank == 0) throw new dev.tfjit.ir.InvalidArgumentError("softmax_cross_entropy_with_logits: logits must have >= 1 dimension, got []");
        int a = sortAxis(axis, rank);
        if (a != rank - 1) {
            int[] perm = moveToEnd(rank, a);
            logits = transpose(logits, perm);
            labels = transpose(labels, perm);
        }
        if (rank == 2 && labels.shape().hasRank() && labels.rank() == 2) {
            return apply(NnOps.SOFTMAX_XENT, Attrs.EMPTY, logits, labels).get(0);
        }
        Shape ls = logits.shape();
        int classes = ls.dim(-1);
        if (classes == Shape.UNKNOWN) throw new TfException("softmax_cross_entropy_with_logits: the class dim must be known, logits have shape " + ls);
        Tensor cost = apply(NnOps.SOFTMAX_XENT, Attrs.EMPTY, flattenOuter(logits), flattenOuter(labels)).get(0);
        int[] outer = Arrays.copyOf(ls.dims(), rank - 1);
        for (int d : outer) {
            if (d == Shape.UNKNOWN) throw new TfException("softmax_cross_entropy_with_logits: the outer dims must be known, logits have shape " + ls);
        }
        return reshape(cost, outer);
    }

    private static Tensor flattenOuter(Tensor t) {
        int last = t.shape().hasRank() && t.rank() > 0 ? t.shape().dim(-1) : Shape.UNKNOWN;
        if (last == Shape.UNKNOWN) throw new TfException("softmax_cross_entropy_with_logits: the last dim must be known, got shape " + t.shape());
        return reshape(t, -1, last);
    }

    /** The permutation that moves {@code axis} to the end, keeping the others in order. */
    private static int[] moveToEnd(int rank, int axis) {
        int[] perm = new int[rank];
        for (int i = 0, j = 0; i < rank; i++) if (i != axis) perm[j++] = i;
        perm[rank - 1] = axis;
        return perm;
    }

    /**
     * Cross-entropy against int32/int64 class ids (labels have logits' shape without the last
     * dim); higher ranks are flattened to the rank-2 kernel and back, as nn_ops.py does. A label
     * outside {@code [0, classes)} is an error.
     */
    public static Tensor sparseSoftmaxCrossEntropyWithLogits(Tensor labels, Tensor logits) {
        Shape ls = logits.shape(), bs = labels.shape();
        if (ls.hasRank() && ls.rank() == 0) {
            throw new dev.tfjit.ir.InvalidArgumentError("sparse_softmax_cross_entropy_with_logits: Logits cannot be scalars - received shape "
                    + ls + ".");
        }
        if (ls.hasRank() && bs.hasRank() && bs.rank() != ls.rank() - 1) {
            throw new dev.tfjit.ir.InvalidArgumentError("sparse_softmax_cross_entropy_with_logits: Rank mismatch: Rank of labels (received "
                    + bs.rank() + ") should equal rank of logits minus 1 (received " + ls.rank() + ").");
        }
        if (ls.hasRank() && ls.rank() == 2) return apply(NnOps.SPARSE_SOFTMAX_XENT, Attrs.EMPTY, logits, labels).get(0);
        Tensor cost = apply(NnOps.SPARSE_SOFTMAX_XENT, Attrs.EMPTY, flattenOuter(logits), reshape(labels, -1)).get(0);
        return reshape(cost, shape(labels));
    }

    /** Keras's {@code mean_squared_error}: {@code mean(square(y_true - y_pred), axis=-1)} per sample. */
    public static Tensor meanSquaredError(Tensor yTrue, Tensor yPred) {
        return reduceMean(square(subtract(yTrue, yPred)), new int[] {-1}, false);
    }

    /**
     * Keras's default loss reduction, "sum_over_batch_size": the sum of the per-sample losses
     * divided by their count, with DivNoNan so an empty batch gives 0.
     */
    public static Tensor sumOverBatchSize(Tensor losses) {
        return divideNoNan(reduceSum(losses), cast(size(losses), losses.dtype()));
    }

    /**
     * Keras's {@code categorical_crossentropy} along the last axis: from logits it is the softmax
     * cross-entropy; from probabilities, they are renormalized, clipped to {@code [eps, 1-eps]}
     * and {@code -sum(y_true * log(p))} is taken.
     */
    public static Tensor categoricalCrossentropy(Tensor yTrue, Tensor yPred, boolean fromLogits) {
        if (fromLogits) return softmaxCrossEntropyWithLogits(yTrue, yPred);
        Tensor p = divide(yPred, reduceSum(yPred, new int[] {-1}, true));
        p = clipByValue(p, EPSILON, 1.0 - EPSILON);
        return negative(reduceSum(multiply(yTrue, log(p)), -1));
    }

    /**
     * Keras's {@code sparse_categorical_crossentropy}: int class ids (a trailing dim of 1 is
     * squeezed), probabilities clipped and logged, then the sparse softmax cross-entropy.
     */
    public static Tensor sparseCategoricalCrossentropy(Tensor yTrue, Tensor yPred, boolean fromLogits) {
        Tensor target = cast(yTrue, DType.INT64);
        if (target.shape().hasRank() && yPred.shape().hasRank() && target.rank() == yPred.rank() && target.rank() > 0
                && target.shape().dim(-1) == 1) {
            target = squeeze(target, -1);
        }
        Tensor logits = fromLogits ? yPred : log(clipByValue(yPred, EPSILON, 1.0 - EPSILON));
        return sparseSoftmaxCrossEntropyWithLogits(target, logits);
    }

    /**
     * Keras's {@code binary_crossentropy}, averaged over the last axis: from logits via the
     * stable sigmoid cross-entropy; from probabilities as
     * {@code -(y log p + (1-y) log(1-p))} with p clipped to {@code [eps, 1-eps]}.
     */
    public static Tensor binaryCrossentropy(Tensor yTrue, Tensor yPred, boolean fromLogits) {
        Tensor elementwise;
        if (fromLogits) {
            elementwise = sigmoidCrossEntropyWithLogits(yTrue, yPred);
        } else {
            Tensor p = clipByValue(yPred, EPSILON, 1.0 - EPSILON);
            Tensor one = scalarLike(p, 1);
            Tensor bce = multiply(yTrue, log(p));
            bce = add(bce, multiply(subtract(one, yTrue), log(subtract(one, p))));
            elementwise = negative(bce);
        }
        return reduceMean(elementwise, new int[] {-1}, false);
    }

    // ------------------------------------------------------------ random

    /** {@code tf.random}: {@code Tf.random.normal(2, 3)}, {@code Tf.random.setSeed(42)}. */
    public static final TfRandom random = new TfRandom();

    // ------------------------------------------------------------ strings

    /** {@code tf.strings}: {@code Tf.strings.length(s)}, {@code Tf.strings.upper(s)}. */
    public static final TfStrings strings = new TfStrings();

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
     * {@code for i in tf.range(start, limit, delta)} carrying {@code loopVars}: the body maps
     * (i, vars) to the next vars. Eagerly a Java loop; while tracing one staged {@code while}
     * node, whatever the trip count (a Java {@code for} over Java ints unrolls instead).
     */
    public static List<Tensor> forRange(Tensor start, Tensor limit, Tensor delta, List<Tensor> loopVars,
                                        java.util.function.BiFunction<Tensor, List<Tensor>, List<Tensor>> body) {
        List<Tensor> init = new ArrayList<>();
        init.add(start);
        init.addAll(loopVars);
        Tensor zero = zerosLike(delta);
        List<Tensor> out = whileLoop(
                vars -> where(greater(delta, zero), less(vars.get(0), limit), greater(vars.get(0), limit)),
                vars -> {
                    List<Tensor> next = new ArrayList<>();
                    next.add(add(vars.get(0), delta));
                    next.addAll(body.apply(vars.get(0), vars.subList(1, vars.size())));
                    return next;
                },
                init);
        return out.subList(1, out.size());
    }

    /** {@code for i in tf.range(limit)} carrying one tensor. */
    public static Tensor forRange(Tensor limit, Tensor loopVar, java.util.function.BinaryOperator<Tensor> body) {
        Tensor zero = zerosLike(limit);
        return forRange(zero, limit, onesLike(limit), List.of(loopVar), (i, v) -> List.of(body.apply(i, v.get(0)))).get(0);
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
    /**
     * Writes an eager tensor as a NumPy {@code .npy} file. Saving needs the value, so a
     * symbolic tensor (while tracing) is an error: save the function's result instead.
     */
    public static void save(Path file, Tensor t) { Npy.write(file, t.buffer()); }

    public static void save(String file, Tensor t) { save(Path.of(file), t); }

    /** Reads a NumPy {@code .npy} file (bool, int8/16/32/64, uint8, float16/32/64) as a constant. */
    public static Tensor load(Path file) { return fromBuffer(Npy.read(file)); }

    public static Tensor load(String file) { return load(Path.of(file)); }

    // ---- sparse, ragged, sets and TensorArray

    /** {@code tf.sparse}: {@code Tf.sparse.toDense(sp)}, {@code Tf.sparse.add(a, b)}. */
    public static final TfSparse sparse = new TfSparse();

    /** {@code tf.ragged}: {@code Tf.ragged.constant(new int[][] {{1, 2}, {3}})}. */
    public static final TfRagged ragged = new TfRagged();

    /** {@code tf.sets}: {@code Tf.sets.union(a, b)}, {@code Tf.sets.size(sp)}. */
    public static final TfSets sets = new TfSets();

    // ---- gradients

    /** The input, but no gradient flows back through it ({@code tf.stop_gradient}). */
    public static Tensor stopGradient(Tensor x) { return apply1(ArrayOps.STOP_GRADIENT, Attrs.EMPTY, x); }

    /**
     * {@code @tf.custom_gradient} for a one-input function: {@code f} returns its value and the
     * gradient function (see {@link CustomGradient#result}); the returned function runs it so
     * that tapes use that gradient instead of differentiating the value's ops.
     */
    public static java.util.function.UnaryOperator<Tensor> customGradient(java.util.function.Function<Tensor, CustomGradient.Result> f) {
        return x -> CustomGradient.call(in -> f.apply(in.get(0)), List.of(x));
    }

    /** {@code @tf.custom_gradient} for several inputs; the gradient function returns one gradient per input. */
    public static java.util.function.Function<List<Tensor>, Tensor> customGradientN(
            java.util.function.Function<List<Tensor>, CustomGradient.Result> f) {
        return xs -> CustomGradient.call(f, List.copyOf(xs));
    }

    // ---- datasets and java functions

    /** {@code tf.executing_eagerly()}: false while a Function is being traced. */
    public static boolean executingEagerly() { return !(ExecutionContext.current() instanceof TraceContext); }

    /**
     * {@code tf.py_function}: runs {@code fn} on eager tensors. Eagerly it runs at once; inside a
     * traced Function it is staged as a {@code java_function} node, a side effect, so it runs on
     * every call of the compiled function (not just while tracing), the compiler cannot optimize
     * across it, and an ahead-of-time artifact refuses it. Results have unknown shapes.
     */
    public static List<Tensor> javaFunction(java.util.function.Function<List<Tensor>, List<Tensor>> fn, List<Tensor> inputs,
                                            List<DType> outputDTypes) {
        List<Shape> unknown = new ArrayList<>();
        for (int i = 0; i < outputDTypes.size(); i++) unknown.add(Shape.unknownRank());
        return javaFunction(fn, inputs, outputDTypes, unknown);
    }

    /** {@link #javaFunction} with declared result shapes (unknown dims allowed), checked on every call. */
    public static List<Tensor> javaFunction(java.util.function.Function<List<Tensor>, List<Tensor>> fn, List<Tensor> inputs,
                                            List<DType> outputDTypes, List<Shape> outputShapes) {
        if (outputDTypes.size() != outputShapes.size()) {
            throw new TfException("Tf.javaFunction: " + outputDTypes.size() + " output dtypes but " + outputShapes.size() + " output shapes");
        }
        dev.tfjit.ir.kernels.JavaCallbacks.Callback callback = buffers -> {
            List<Tensor> args = new ArrayList<>(buffers.size());
            for (Buffer b : buffers) args.add(new Tensor(b));
            List<Tensor> results;
            // The graph may run while a trace is open on this thread; the Java code sees eager tensors.
            try (var scope = Contexts.push(EagerContext.INSTANCE)) {
                results = fn.apply(args);
            }
            List<Buffer> out = new ArrayList<>(results == null ? 0 : results.size());
            if (results != null) for (Tensor t : results) out.add(t.buffer());
            return out;
        };
        long token = dev.tfjit.ir.kernels.JavaCallbacks.register(callback);
        Attrs attrs = dev.tfjit.ir.ops.JavaCallOps.attrs(token, outputDTypes, outputShapes);
        boolean eager = executingEagerly();
        try {
            return apply(dev.tfjit.ir.ops.JavaCallOps.JAVA_FUNCTION, attrs, inputs.toArray(Tensor[]::new));
        } finally {
            // A staged node keeps calling its token; an eager call is done with it.
            if (eager) dev.tfjit.ir.kernels.JavaCallbacks.unregister(token);
        }
    }

    /** {@link #javaFunction} for a Java function with one result of the given dtype. */
    public static Tensor javaFunction1(java.util.function.Function<List<Tensor>, Tensor> fn, List<Tensor> inputs, DType outputDType) {
        return javaFunction(args -> List.of(fn.apply(args)), inputs, List.of(outputDType)).get(0);
    }

    // ------------------------------------------------------------ convolution and pooling (tf.nn)

    /**
     * {@code tf.nn.conv2d(input, filters, strides, padding)}: NHWC input, HWIO filters;
     * {@code strides} (and {@code dilations}) of 1, 2 or 4 ints as in Python, {@code padding}
     * {@code "SAME"} or {@code "VALID"}.
     */
    public static Tensor conv2d(Tensor input, Tensor filters, int[] strides, String padding) {
        return conv2d(input, filters, strides, padding, new int[] {1});
    }

    public static Tensor conv2d(Tensor input, Tensor filters, int[] strides, String padding, int[] dilations) {
        Attrs a = Attrs.of("strides", window4("strides", strides), "padding", padding, "dilations", window4("dilations", dilations));
        return apply1(dev.tfjit.ir.ops.ConvOps.CONV2D, a, input, filters);
    }

    /** {@code tf.nn.max_pool2d(input, ksize, strides, padding)} over NHWC input. */
    public static Tensor maxPool2d(Tensor input, int[] ksize, int[] strides, String padding) {
        return apply1(dev.tfjit.ir.ops.ConvOps.MAX_POOL, poolAttrs(ksize, strides, padding), input);
    }

    /** {@code tf.nn.avg_pool2d(input, ksize, strides, padding)}: the mean of the window's elements inside the input. */
    public static Tensor avgPool2d(Tensor input, int[] ksize, int[] strides, String padding) {
        return apply1(dev.tfjit.ir.ops.ConvOps.AVG_POOL, poolAttrs(ksize, strides, padding), input);
    }

    private static Attrs poolAttrs(int[] ksize, int[] strides, String padding) {
        return Attrs.of("ksize", window4("ksize", ksize), "strides", window4("strides", strides), "padding", padding);
    }

    /** Python's {@code _get_sequence} for NHWC: one int for both spatial dims, two for (h, w), or all four. */
    private static int[] window4(String name, int[] v) {
        return switch (v.length) {
            case 1 -> new int[] {1, v[0], v[0], 1};
            case 2 -> new int[] {1, v[0], v[1], 1};
            case 4 -> v.clone();
            default -> throw new TfException(name + " should be of length 1, 2 or 4 but was " + v.length);
        };
    }
}
