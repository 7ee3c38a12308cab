package dev.tfjit.tracer;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.TfException;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/** Conversions between buffers and (nested) Java arrays or boxed scalars. */
final class JavaArrays {
    private JavaArrays() {}

    /** The dtype a Java value maps to: float→float32, double→float64, int→int32, ... */
    static DType dtypeOf(Object value) {
        Class<?> c = value.getClass();
        while (c.isArray()) c = c.getComponentType();
        if (c == float.class || c == Float.class) return DType.FLOAT32;
        if (c == double.class || c == Double.class) return DType.FLOAT64;
        if (c == int.class || c == Integer.class) return DType.INT32;
        if (c == long.class || c == Long.class) return DType.INT64;
        if (c == short.class || c == Short.class) return DType.INT16;
        if (c == byte.class || c == Byte.class) return DType.INT8;
        if (c == boolean.class || c == Boolean.class) return DType.BOOL;
        if (c == String.class) return DType.STRING;
        throw new TfException("cannot make a tensor from a " + value.getClass().getSimpleName());
    }

    /** The shape of a rectangular nested array (a scalar has shape ()). */
    static Shape shapeOf(Object value) {
        List<Integer> dims = new ArrayList<>();
        Object cur = value;
        while (cur.getClass().isArray()) {
            int n = Array.getLength(cur);
            dims.add(n);
            if (n == 0) {
                // The remaining dims of an empty array are those of its component type's rank, with size 0.
                Class<?> c = cur.getClass().getComponentType();
                while (c.isArray()) {
                    dims.add(0);
                    c = c.getComponentType();
                }
                break;
            }
            cur = Array.get(cur, 0);
        }
        return Shape.of(dims.stream().mapToInt(Integer::intValue).toArray());
    }

    /** A buffer of dtype {@code dtype} from a scalar or rectangular nested array, converting values. */
    static Buffer toBuffer(Object value, DType dtype) {
        Shape shape = shapeOf(value);
        Buffer b = Buffer.allocate(dtype, shape);
        long[] next = {0};
        fill(value, b, shape, 0, next);
        return b;
    }

    private static void fill(Object v, Buffer b, Shape shape, int depth, long[] next) {
        if (depth == shape.rank()) {
            store(b, next[0]++, v);
            return;
        }
        if (!v.getClass().isArray() || Array.getLength(v) != shape.dim(depth)) {
            throw new ShapeError("nested arrays are not rectangular: expected length " + shape.dim(depth) + " at depth " + depth);
        }
        int n = Array.getLength(v);
        for (int i = 0; i < n; i++) fill(Array.get(v, i), b, shape, depth + 1, next);
    }

    private static void store(Buffer b, long i, Object v) {
        switch (v) {
            case String s -> {
                if (b.dtype() != DType.STRING) throw new TfException("cannot convert the string \"" + s + "\" to " + b.dtype());
                b.strings()[(int) i] = s;
            }
            case Boolean z -> b.setLong(i, z ? 1 : 0);
            case Float f -> storeFloating(b, i, f);
            case Double d -> storeFloating(b, i, d);
            case Number n -> b.setLong(i, n.longValue());
            default -> throw new TfException("cannot convert " + v.getClass().getSimpleName() + " to a tensor element");
        }
    }

    private static void storeFloating(Buffer b, long i, double d) {
        if (b.dtype().isInteger() && d != Math.rint(d)) {
            throw new TfException("cannot convert " + d + " to a tensor of dtype " + b.dtype() + " without losing its fraction; use Tf.cast");
        }
        if (b.dtype() == DType.STRING) throw new TfException("cannot convert " + d + " to a string tensor");
        b.setDouble(i, d);
    }

    /** The buffer as nested Java arrays of its natural element type (a boxed scalar for rank 0). */
    static Object toNested(Buffer b) {
        int[] dims = b.shape().dims();
        long[] next = {0};
        return build(b, dims, 0, next);
    }

    private static Object build(Buffer b, int[] dims, int depth, long[] next) {
        if (depth == dims.length) return element(b, next[0]++);
        Class<?> leaf = switch (b.dtype()) {
            case FLOAT32, FLOAT16, BFLOAT16 -> float.class;
            case FLOAT64 -> double.class;
            case INT64 -> long.class;
            case BOOL -> boolean.class;
            case STRING -> String.class;
            default -> int.class;
        };
        int[] rest = java.util.Arrays.copyOfRange(dims, depth, dims.length);
        Object arr = Array.newInstance(leaf, rest);
        fillNested(arr, b, dims, depth, next);
        return arr;
    }

    private static void fillNested(Object arr, Buffer b, int[] dims, int depth, long[] next) {
        int n = dims[depth];
        for (int i = 0; i < n; i++) {
            if (depth == dims.length - 1) Array.set(arr, i, element(b, next[0]++));
            else fillNested(Array.get(arr, i), b, dims, depth + 1, next);
        }
    }

    private static Object element(Buffer b, long i) {
        return switch (b.dtype()) {
            case FLOAT32, FLOAT16, BFLOAT16 -> (float) b.getDouble(i);
            case FLOAT64 -> b.getDouble(i);
            case INT64 -> b.getLong(i);
            case BOOL -> b.getBoolean(i);
            case STRING -> b.getString(i);
            default -> (int) b.getLong(i);
        };
    }
}
