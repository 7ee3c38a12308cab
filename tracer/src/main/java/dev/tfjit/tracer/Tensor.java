package dev.tfjit.tracer;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.format.TensorFormatter;
import dev.tfjit.runtime.Device;
import dev.tfjit.runtime.DeviceValue;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * An immutable tensor. Eager tensors hold a value ({@link Buffer}); symbolic tensors, made
 * while a function is traced, hold only a type and the graph value that will compute them.
 * Every method works in both modes except those that read values, which explain why they
 * cannot while tracing.
 *
 * <p>An eager tensor lives on the host or on a device (a GPU, see {@link Tf#device}): ops and
 * functions placed on a device leave their results there, {@link #to}/{@link #cpu} copy
 * explicitly, and reading values ({@link #buffer}, {@link #toFloatArray}, printing) copies to
 * the host once.
 *
 * <p>Device memory is given back when a tensor is {@linkplain #release released}, at once and
 * deterministically; a device tensor nobody releases gives it back when it becomes unreachable
 * (the safety net, at the collector's pace). A released tensor cannot be used any more, on any
 * device, so code tested on the host fails the same way on a GPU.
 *
 * <p>Fluent methods mirror {@link Tf}: {@code a.add(b)} is {@code Tf.add(a, b)}.
 */
public final class Tensor implements Iterable<Tensor> {
    private final TensorType type;
    private final Buffer buffer; // eager value on the host, or null when symbolic or on a device
    private final Value value;   // graph value when symbolic, else null
    private final TraceContext trace; // the trace that made a symbolic tensor
    private final DeviceHandle onDevice; // eager value in a device's memory, else null
    private volatile Buffer hostCopy; // a device value read back, once
    private volatile boolean released;

    Tensor(Buffer buffer) {
        this.type = buffer.type();
        this.buffer = buffer;
        this.value = null;
        this.trace = null;
        this.onDevice = null;
    }

    Tensor(Value value, TraceContext trace) {
        this.type = value.type();
        this.buffer = null;
        this.value = value;
        this.trace = trace;
        this.onDevice = null;
    }

    Tensor(DeviceValue onDevice) {
        this.type = onDevice.type();
        this.buffer = null;
        this.value = null;
        this.trace = null;
        this.onDevice = new DeviceHandle(onDevice);
    }

    /** Wraps a buffer as an eager tensor. */
    public static Tensor of(Buffer buffer) { return new Tensor(buffer); }

    public TensorType type() { return type; }

    public DType dtype() { return type.dtype(); }

    /** The static shape; while tracing it may have unknown dims. */
    public Shape shape() { return type.shape(); }

    public int rank() { return type.shape().rank(); }

    public boolean isSymbolic() { return value != null; }

    /** Where the value lives: the CPU (host memory, and symbolic tensors) or a device such as {@code /device:GPU:0}. */
    public Device device() { return onDevice != null ? onDevice.peek().device() : Device.CPU; }

    /**
     * The value in a device's memory, or null for host and symbolic tensors: for where it is and
     * its type; its memory is read only through {@link #deviceHandle}. A released tensor is an error.
     */
    DeviceValue deviceValue() {
        if (onDevice == null) return null;
        checkNotReleased();
        return onDevice.peek();
    }

    /** The ownership of the device value (null for host and symbolic tensors), for a call to use it. */
    DeviceHandle deviceHandle() { return onDevice; }

    /**
     * Gives this tensor's device memory back to the device's pool now, rather than when the
     * tensor becomes unreachable; for host tensors the memory stays with the garbage collector
     * (their buffers may be shared). Either way the tensor cannot be used afterwards: reading or
     * passing it to an op or a function is an error. Releasing twice, or a symbolic tensor while
     * tracing, does nothing. A call already running on this tensor on another thread finishes
     * first: the memory is given back when it is done.
     */
    public void release() {
        if (value != null) return; // symbolic: a trace has nothing to free
        released = true;
        if (onDevice != null) onDevice.release();
        hostCopy = null;
    }

    /** Whether {@link #release} was called. */
    public boolean isReleased() { return released; }

    private void checkNotReleased() {
        if (released) throw new TfException(releasedError().getMessage() + " (at " + dev.tfjit.ir.SourceLocation.ofCaller() + ")");
    }

    /** The error for using a released tensor. */
    TfException releasedError() {
        return new TfException("this " + dtype() + " tensor of shape " + shape() + " on " + device() + " was released (Tensor.release())"
                + " and cannot be used any more");
    }

    /**
     * A copy of this tensor on {@code device} ({@code "gpu:0"}, {@code "cpu"}, see
     * {@link Device#parse}); itself when it is there already. Without a GPU the error names
     * what was looked for.
     */
    public Tensor to(String device) { return DevicePlacement.copy(this, Device.parse(device)); }

    /** A copy of this tensor in host memory (itself when it is there): {@code to("cpu")}. */
    public Tensor cpu() { return DevicePlacement.copy(this, Device.CPU); }

    /** The graph value of a symbolic tensor, or null for an eager one. */
    Value symbolicValue() { return value; }

    /** The trace that made a symbolic tensor, or null for an eager one. */
    TraceContext trace() { return trace; }

    /** The value of an eager tensor (read back once from its device when it lives on one). */
    public Buffer buffer() {
        if (released) checkNotReleased();
        if (onDevice != null) {
            Buffer b = hostCopy;
            if (b == null) {
                DeviceValue v = onDevice.beginUse();
                if (v == null) { released = true; checkNotReleased(); } // released by another thread just now
                try {
                    hostCopy = b = v.toHost();
                } finally {
                    onDevice.endUse();
                }
            }
            return b;
        }
        if (buffer == null) {
            throw new TfException("this tensor is symbolic: it has no value while the function is being traced"
                    + " (at " + dev.tfjit.ir.SourceLocation.ofCaller() + "). Return it from the function,"
                    + " or use Tf.print to see it when the function runs");
        }
        return buffer;
    }

    // ------------------------------------------------------------ values out

    /** The single element as a double; the tensor must have exactly one element. */
    public double item() {
        Buffer b = buffer();
        if (b.size() != 1) throw new TfException("item() needs a tensor with one element, this one has shape " + shape());
        return b.getDouble(0);
    }

    public float floatValue() { return (float) item(); }

    public int intValue() { return (int) buffer().getLong(0); }

    public long longValue() { return buffer().getLong(0); }

    public boolean booleanValue() { return buffer().getBoolean(0); }

    public String stringValue() { return buffer().getString(0); }

    public float[] toFloatArray() { return buffer().toFloatArray(); }

    public double[] toDoubleArray() { return buffer().toDoubleArray(); }

    public int[] toIntArray() { return buffer().toIntArray(); }

    public long[] toLongArray() { return buffer().toLongArray(); }

    public boolean[] toBooleanArray() { return buffer().toBooleanArray(); }

    public String[] toStringArray() { return buffer().strings().clone(); }

    /** The values as nested Java arrays ({@code float[][]} for a 2-D float32 tensor, ...). */
    public Object toArray() { return JavaArrays.toNested(buffer()); }

    /**
     * Iterates over the first dimension, as {@code for x in tensor} does: {@code t[0], t[1], ...}.
     * A symbolic tensor can be iterated only in code converted by AutoGraph, where the loop
     * becomes one staged while loop; anywhere else its length is not known while tracing.
     */
    @Override
    public Iterator<Tensor> iterator() {
        if (rank() == 0) throw new TfException("Cannot iterate over a scalar tensor.");
        if (isSymbolic()) {
            throw new TfException("iterating over a symbolic tensor is only possible in code converted by AutoGraph"
                    + " (Function.of with the autograph module on the class path, Autograph.function or @TfFunction), where the loop becomes a staged while loop; here use"
                    + " Tf.whileLoop or Tf.forRange (at " + dev.tfjit.ir.SourceLocation.ofCaller() + ")");
        }
        int n = shape().dim(0);
        return new Iterator<>() {
            private int next;

            @Override public boolean hasNext() { return next < n; }

            @Override public Tensor next() {
                if (next >= n) throw new NoSuchElementException();
                return get(next++);
            }
        };
    }

    /** TensorFlow's printed form: {@code tf.Tensor([1. 2.], shape=(2,), dtype=float32)}. */
    @Override
    public String toString() {
        if (value != null) return "Tensor(\"" + (value.nameHint() == null ? "symbolic" : value.nameHint())
                + "\", shape=" + shape() + ", dtype=" + dtype() + ")";
        if (released) return "tf.Tensor(<released>, shape=" + shape() + ", dtype=" + dtype() + ", device=" + device() + ")";
        return TensorFormatter.format(buffer());
    }

    /** What Python shows for {@code tensor.numpy()}: {@code array([1., 2.], dtype=float32)}. */
    public String toNumpyString() { return TensorFormatter.numpyRepr(buffer()); }

    // ------------------------------------------------------------ fluent ops (see Tf)

    public Tensor add(Tensor y) { return Tf.add(this, y); }

    public Tensor add(Number y) { return Tf.add(this, Tf.scalarLike(this, y)); }

    public Tensor sub(Tensor y) { return Tf.subtract(this, y); }

    public Tensor sub(Number y) { return Tf.subtract(this, Tf.scalarLike(this, y)); }

    public Tensor mul(Tensor y) { return Tf.multiply(this, y); }

    public Tensor mul(Number y) { return Tf.multiply(this, Tf.scalarLike(this, y)); }

    public Tensor div(Tensor y) { return Tf.divide(this, y); }

    public Tensor div(Number y) { return Tf.divide(this, Tf.scalarLike(this, y)); }

    public Tensor neg() { return Tf.negative(this); }

    /** Python's {@code //}: floor division. */
    public Tensor floordiv(Tensor y) { return Tf.floordiv(this, y); }

    public Tensor floordiv(Number y) { return Tf.floordiv(this, Tf.scalarLike(this, y)); }

    /** Python's {@code %}: floor modulo, with the divisor's sign. */
    public Tensor mod(Tensor y) { return Tf.floormod(this, y); }

    public Tensor mod(Number y) { return Tf.floormod(this, Tf.scalarLike(this, y)); }

    public Tensor pow(Tensor y) { return Tf.pow(this, y); }

    public Tensor pow(Number y) { return Tf.pow(this, Tf.scalarLike(this, y)); }

    public Tensor maximum(Tensor y) { return Tf.maximum(this, y); }

    public Tensor minimum(Tensor y) { return Tf.minimum(this, y); }

    public Tensor cast(DType dtype) { return Tf.cast(this, dtype); }

    // ---- elementwise math (fluent) ----

    public Tensor abs() { return Tf.abs(this); }

    public Tensor sign() { return Tf.sign(this); }

    public Tensor square() { return Tf.square(this); }

    public Tensor sqrt() { return Tf.sqrt(this); }

    public Tensor rsqrt() { return Tf.rsqrt(this); }

    public Tensor reciprocal() { return Tf.reciprocal(this); }

    public Tensor exp() { return Tf.exp(this); }

    public Tensor expm1() { return Tf.expm1(this); }

    public Tensor log() { return Tf.log(this); }

    public Tensor log1p() { return Tf.log1p(this); }

    public Tensor floor() { return Tf.floor(this); }

    public Tensor ceil() { return Tf.ceil(this); }

    public Tensor round() { return Tf.round(this); }

    // ---- comparison and logic (fluent) ----

    public Tensor less(Tensor y) { return Tf.less(this, y); }

    public Tensor less(Number y) { return Tf.less(this, Tf.scalarLike(this, y)); }

    public Tensor lessEqual(Tensor y) { return Tf.lessEqual(this, y); }

    public Tensor lessEqual(Number y) { return Tf.lessEqual(this, Tf.scalarLike(this, y)); }

    public Tensor greater(Tensor y) { return Tf.greater(this, y); }

    public Tensor greater(Number y) { return Tf.greater(this, Tf.scalarLike(this, y)); }

    public Tensor greaterEqual(Tensor y) { return Tf.greaterEqual(this, y); }

    public Tensor greaterEqual(Number y) { return Tf.greaterEqual(this, Tf.scalarLike(this, y)); }

    /** Elementwise {@code ==} as a bool tensor (Java's {@link #equals} stays identity). */
    public Tensor equal(Tensor y) { return Tf.equal(this, y); }

    public Tensor equal(Number y) { return Tf.equal(this, Tf.scalarLike(this, y)); }

    public Tensor notEqual(Tensor y) { return Tf.notEqual(this, y); }

    public Tensor notEqual(Number y) { return Tf.notEqual(this, Tf.scalarLike(this, y)); }

    public Tensor and(Tensor y) { return Tf.logicalAnd(this, y); }

    public Tensor or(Tensor y) { return Tf.logicalOr(this, y); }

    public Tensor xor(Tensor y) { return Tf.logicalXor(this, y); }

    public Tensor not() { return Tf.logicalNot(this); }

    // ---- shape, indexing and slicing (fluent) ----

    /**
     * {@code x[...]} in Python syntax: {@code x.get("..., 1:")}, {@code x.get("1:3, ::-1")},
     * {@code x.get(":, tf.newaxis, 0")}; lowered to strided_slice as TF's {@code __getitem__} does.
     */
    public Tensor get(String index) { return Tf.getItem(this, index); }

    /** {@code x[i, j, ...]} with integer indices (each removes its dim; negative counts from the end). */
    public Tensor get(int... indices) { return Tf.getItem(this, Slice.of(indices)); }

    /** {@code x[...]} with {@link Slice} items: {@code x.get(Slice.ALL, Slice.range(1, 3), Slice.NEW_AXIS)}. */
    public Tensor get(Slice... items) { return Tf.getItem(this, Slice.of(items)); }

    public Tensor reshape(int... shape) { return Tf.reshape(this, shape); }

    public Tensor expandDims(int axis) { return Tf.expandDims(this, axis); }

    public Tensor squeeze(int... axes) { return Tf.squeeze(this, axes); }

    public Tensor transpose(int... perm) { return perm.length == 0 ? Tf.transpose(this) : Tf.transpose(this, perm); }

    public Tensor tile(int... multiples) { return Tf.tile(this, multiples); }

    public Tensor broadcastTo(int... shape) { return Tf.broadcastTo(this, shape); }

    public Tensor reverse(int... axes) { return Tf.reverse(this, axes); }

    public Tensor gather(Tensor indices) { return Tf.gather(this, indices); }

    public Tensor gather(Tensor indices, int axis) { return Tf.gather(this, indices, axis); }

    public Tensor booleanMask(Tensor mask) { return Tf.booleanMask(this, mask); }

    // ---- reductions (fluent) ----

    public Tensor sum() { return Tf.reduceSum(this); }

    public Tensor sum(int... axes) { return Tf.reduceSum(this, axes); }

    public Tensor mean() { return Tf.reduceMean(this); }

    public Tensor mean(int... axes) { return Tf.reduceMean(this, axes); }

    public Tensor max() { return Tf.reduceMax(this); }

    public Tensor max(int... axes) { return Tf.reduceMax(this, axes); }

    public Tensor min() { return Tf.reduceMin(this); }

    public Tensor min(int... axes) { return Tf.reduceMin(this, axes); }

    public Tensor prod() { return Tf.reduceProd(this); }

    public Tensor argmax(int axis) { return Tf.argmax(this, axis); }

    public Tensor argmin(int axis) { return Tf.argmin(this, axis); }

    public Tensor cumsum(int axis) { return Tf.cumsum(this, axis); }

    // ---- linear algebra (fluent) ----

    public Tensor matmul(Tensor b) { return Tf.matmul(this, b); }

    public Tensor norm() { return Tf.norm(this); }

    // ---- activations and nn (fluent) ----

    public Tensor sigmoid() { return Tf.sigmoid(this); }

    public Tensor tanh() { return Tf.tanh(this); }

    public Tensor relu() { return Tf.relu(this); }

    // ---- strings (fluent) ----

    /** {@code tf.strings.length} in bytes. */
    public Tensor stringLength() { return Tf.strings.length(this); }

    public Tensor upper() { return Tf.strings.upper(this); }

    public Tensor lower() { return Tf.strings.lower(this); }

    public Tensor substr(int pos, int len) { return Tf.strings.substr(this, pos, len); }
}
