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

    // ------------------------------------------------------------ shape, indexing and slicing

    // ------------------------------------------------------------ reductions

    // ------------------------------------------------------------ sorting and top-k

    // ------------------------------------------------------------ linear algebra

    // ------------------------------------------------------------ activations (elementwise)

    // ------------------------------------------------------------ softmax and nn

    // ------------------------------------------------------------ losses

    // ------------------------------------------------------------ random

    /** {@code tf.random}: {@code Tf.random.normal(2, 3)}, {@code Tf.random.setSeed(42)}. */
    public static final TfRandom random = new TfRandom();

    // ------------------------------------------------------------ strings

    /** {@code tf.strings}: {@code Tf.strings.length(s)}, {@code Tf.strings.upper(s)}. */
    public static final TfStrings strings = new TfStrings();

    // ------------------------------------------------------------ files (.npy)

    /**
     * Writes an eager tensor as a NumPy {@code .npy} file. Saving needs the value, so a
     * symbolic tensor (while tracing) is an error: save the function's result instead.
     */
    public static void save(Path file, Tensor t) { Npy.write(file, t.buffer()); }

    public static void save(String file, Tensor t) { save(Path.of(file), t); }

    /** Reads a NumPy {@code .npy} file (bool, int8/16/32/64, uint8, float16/32/64) as a constant. */
    public static Tensor load(Path file) { return fromBuffer(Npy.read(file)); }

    public static Tensor load(String file) { return load(Path.of(file)); }
}
