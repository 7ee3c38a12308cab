package dev.tfjit.tracer;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.Value;

import java.util.List;

/**
 * An immutable tensor. Eager tensors hold a value ({@link Buffer}); symbolic tensors, made
 * while a function is traced, hold only a type and the graph value that will compute them.
 * Every method works in both modes except those that read values, which explain why they
 * cannot while tracing.
 *
 * <p>Fluent methods mirror {@link Tf}: {@code a.add(b)} is {@code Tf.add(a, b)}.
 */
public final class Tensor {
    private final TensorType type;
    private final Buffer buffer; // eager value, or null when symbolic
    private final Value value;   // graph value when symbolic, else null

    Tensor(Buffer buffer) {
        this.type = buffer.type();
        this.buffer = buffer;
        this.value = null;
    }

    Tensor(Value value) {
        this.type = value.type();
        this.buffer = null;
        this.value = value;
    }

    /** Wraps a buffer as an eager tensor. */
    public static Tensor of(Buffer buffer) { return new Tensor(buffer); }

    public TensorType type() { return type; }

    public DType dtype() { return type.dtype(); }

    /** The static shape; while tracing it may have unknown dims. */
    public Shape shape() { return type.shape(); }

    public int rank() { return type.shape().rank(); }

    public boolean isSymbolic() { return buffer == null; }

    /** The graph value of a symbolic tensor, or null for an eager one. */
    Value symbolicValue() { return value; }

    /** The value of an eager tensor. */
    public Buffer buffer() {
        if (buffer == null) {
            throw new TfException("this tensor is symbolic: it has no value while the function is being traced. "
                    + "Return it from the function, or use Tf.print to see it at run time");
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

    /** TensorFlow's printed form: {@code tf.Tensor([1. 2.], shape=(2,), dtype=float32)}. */
    @Override
    public String toString() {
        if (buffer == null) return "Tensor(\"" + (value.nameHint() == null ? "symbolic" : value.nameHint())
                + "\", shape=" + shape() + ", dtype=" + dtype() + ")";
        return TensorFormatter.format(buffer);
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

    public Tensor cast(DType dtype) { return Tf.cast(this, dtype); }

    // ---- elementwise math (fluent) ----

    // ---- comparison and logic (fluent) ----

    // ---- shape, indexing and slicing (fluent) ----

    // ---- reductions (fluent) ----

    // ---- linear algebra (fluent) ----

    // ---- activations and nn (fluent) ----

    // ---- strings (fluent) ----
}
