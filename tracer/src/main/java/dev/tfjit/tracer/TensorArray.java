package dev.tfjit.tracer;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.ops.TensorArrayOps;

/**
 * {@code tf.TensorArray}: a list of tensors of one dtype and shape, fixed-size unless
 * {@code dynamicSize}. As in TF2, writes return a new array (keep the result).
 *
 * <p>Design: the array is its stacked tensor {@code [size, element...]}, the {@link #flow()}.
 * That is what TF threads through a staged loop, made concrete: inside {@link Tf#whileLoop}
 * carry {@code ta.flow()} as a loop var and rebuild with {@link #withFlow}; the graph then
 * holds an ordinary loop-carried tensor and {@code tensor_array_write/read} ops, which every
 * backend that runs {@code while} can run. A dynamically sized array grows, so its loop var needs
 * {@link #flowShapeInvariant()} as its shape invariant. Unwritten elements read as zeros (TF2
 * stacks them as zeros too); writing an index twice replaces the element.
 *
 * <p>Until the element shape is known (given, or taken from the first write) the array has no
 * flow; a loop var needs one, so give {@code elementShape} for arrays created outside loops.
 */
public final class TensorArray {
    private final DType dtype;
    private final int initialSize;
    private final boolean dynamicSize;
    private final Tensor flow; // [size, element...], or null until the element shape is known

    private TensorArray(DType dtype, int initialSize, boolean dynamicSize, Tensor flow) {
        this.dtype = dtype;
        this.initialSize = initialSize;
        this.dynamicSize = dynamicSize;
        this.flow = flow;
    }

    /** {@code tf.TensorArray(dtype, size)}: fixed size, element shape taken from the first write. */
    public static TensorArray of(DType dtype, int size) { return of(dtype, size, false); }

    public static TensorArray of(DType dtype, int size, boolean dynamicSize) {
        if (size < 0) throw new TfException("TensorArray size must be non-negative, got " + size);
        return new TensorArray(dtype, size, dynamicSize, null);
    }

    /** With a known element shape the array has its flow at once, so it can be a loop var. */
    public static TensorArray of(DType dtype, int size, boolean dynamicSize, Shape elementShape) {
        if (!elementShape.isFullyKnown()) return of(dtype, size, dynamicSize);
        int[] dims = new int[elementShape.rank() + 1];
        dims[0] = size;
        System.arraycopy(elementShape.dims(), 0, dims, 1, elementShape.rank());
        return new TensorArray(dtype, size, dynamicSize, Tf.zeros(dims, dtype));
    }

    public DType dtype() { return dtype; }

    public boolean dynamicSize() { return dynamicSize; }

    /** The stacked tensor that carries this array through loops. */
    public Tensor flow() {
        if (flow == null) {
            throw new TfException("TensorArray: the element shape is not known yet, so the array has no flow to carry;"
                    + " write an element first or create it with TensorArray.of(dtype, size, dynamicSize, elementShape)");
        }
        return flow;
    }

    /** This array with the flow a loop body received. */
    public TensorArray withFlow(Tensor newFlow) {
        if (newFlow.dtype() != dtype) throw new TfException("TensorArray dtype is " + dtype + " but the flow has dtype " + newFlow.dtype());
        return new TensorArray(dtype, initialSize, dynamicSize, newFlow);
    }

    /** The shape invariant for the flow in {@link Tf#whileLoop}: an unknown size when the array grows, else null (keep). */
    public Shape flowShapeInvariant() {
        return dynamicSize ? flow().shape().withDim(0, Shape.UNKNOWN) : null;
    }

    /** {@code ta.write(index, value)}: a new array with element {@code index} set. */
    public TensorArray write(int index, Tensor value) { return write(Tf.constant(index), value); }

    public TensorArray write(Tensor index, Tensor value) {
        if (value.dtype() != dtype) {
            throw new TfException("TensorArray dtype is " + dtype + " but Op is trying to write dtype " + value.dtype());
        }
        Tensor base = flow != null ? flow : zerosFor(value);
        return withFlow(Tf.apply1(TensorArrayOps.TENSOR_ARRAY_WRITE, Attrs.of("dynamic_size", dynamicSize), base, index, value));
    }

    /** {@code ta.read(index)}. */
    public Tensor read(int index) { return read(Tf.constant(index)); }

    public Tensor read(Tensor index) {
        if (flow == null) {
            throw new InvalidArgumentError("Could not read from TensorArray index " + (index.isSymbolic() ? "?" : index.longValue())
                    + ". Furthermore, the element shape is not fully defined: <unknown>");
        }
        return Tf.apply1(TensorArrayOps.TENSOR_ARRAY_READ, Attrs.EMPTY, flow, index);
    }

    /** {@code ta.stack()}: every element along a new leading axis. */
    public Tensor stack() {
        if (flow == null) {
            throw new InvalidArgumentError("Tried to stack elements of an empty list with non-fully-defined element_shape: <unknown>");
        }
        return flow;
    }

    /** {@code ta.gather(indices)}: the selected elements, stacked. */
    public Tensor gather(Tensor indices) { return Tf.gather(stack(), indices); }

    /** {@code ta.unstack(value)}: an array whose elements are {@code value}'s rows. */
    public TensorArray unstack(Tensor value) {
        if (value.dtype() != dtype) {
            throw new TfException("TensorArray dtype is " + dtype + " but Op is trying to write dtype " + value.dtype());
        }
        if (value.shape().hasRank() && value.rank() == 0) throw new TfException("TensorArray.unstack: the value must have rank at least 1");
        int n = value.shape().hasRank() ? value.shape().dim(0) : Shape.UNKNOWN;
        int current = flow != null && flow.shape().dim(0) >= 0 ? flow.shape().dim(0) : flow == null ? initialSize : Shape.UNKNOWN;
        if (!dynamicSize && n >= 0 && current >= 0 && n != current) {
            throw new InvalidArgumentError("Cannot unstack " + n + " tensors into a TensorArray of static size " + current);
        }
        return withFlow(value);
    }

    /** {@code ta.size()}: an int32 scalar. */
    public Tensor size() {
        return flow == null ? Tf.constant(initialSize) : Tf.getItem(Tf.shape(flow), "0");
    }

    /** Zeros {@code [initialSize, value.shape...]} built from the value's type, so unknown dims work while tracing. */
    private Tensor zerosFor(Tensor value) {
        Tensor one = Tf.zerosLike(Tf.expandDims(value, 0));
        int[] multiples = new int[value.rank() + 1];
        java.util.Arrays.fill(multiples, 1);
        multiples[0] = initialSize;
        return Tf.tile(one, multiples);
    }

    @Override
    public String toString() {
        return "TensorArray(dtype=" + dtype + ", size=" + (flow == null ? initialSize : flow.shape().dim(0) < 0 ? "None" : flow.shape().dim(0))
                + ", dynamic_size=" + (dynamicSize ? "True" : "False") + ", element_shape="
                + (flow == null ? "<unknown>" : dev.tfjit.ir.kernels.TensorArrays.elementShape(flow.shape())) + ")";
    }
}
