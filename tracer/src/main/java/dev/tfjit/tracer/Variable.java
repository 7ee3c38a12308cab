package dev.tfjit.tracer;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.format.TensorFormatter;
import dev.tfjit.runtime.DeviceBackend;
import dev.tfjit.runtime.DeviceValue;

/**
 * Mutable state that outlives a call, like {@code tf.Variable}: a fixed dtype and shape and a
 * current value. Reads are tensors. Inside a traced function a variable is captured by
 * reference: reads see its value at call time and assignments are staged, taking effect when
 * the call runs, in program order.
 *
 * <p>A variable used by functions running on a GPU keeps a copy in the device's memory, so a
 * training step does not upload every weight on every call: the copy is made on the first call
 * and again only after the variable is assigned on the host. Assignments made by a call on the
 * device replace the device copy, and the host value is read back only when it is needed (a
 * read, a host call, printing), so the host always sees the latest value.
 */
public final class Variable {
    private final String name;
    private final TensorType type;
    private final boolean trainable;
    // The value is in `value`, or only in `device` (assigned by a call on the device) when
    // `value` is null; `device` is a current copy on one device, or null. Guarded by `this`.
    private Buffer value;
    private DeviceHandle device;

    /**
     * A variable holding {@code initial}'s value. Inside a trace the initial value must not
     * depend on the function's arguments (it is computed once, when the variable is created).
     */
    public Variable(Tensor initial, String name, boolean trainable) {
        ExecutionContext ctx = ExecutionContext.current();
        this.value = initial.isSymbolic() ? initial.trace().evaluateWithoutArguments(initial, "a variable's initial value") : initial.buffer();
        this.type = value.type();
        this.name = name == null ? "Variable" : name;
        this.trainable = trainable;
        ctx.onVariableCreated(this);
    }

    public Variable(Tensor initial) { this(initial, null, true); }

    public Variable(Tensor initial, String name) { this(initial, name, true); }

    /** A variable from a Java scalar or nested array, like {@code tf.Variable([1., 2.])}. */
    public static Variable of(Object initial) { return new Variable(Tf.constant(initial)); }

    public String name() { return name; }

    public DType dtype() { return type.dtype(); }

    public Shape shape() { return type.shape(); }

    public boolean trainable() { return trainable; }

    /** The current value (a symbolic tensor while tracing). */
    public Tensor read() { return ExecutionContext.current().readVariable(this); }

    /** Same as {@link #read()}, named like TensorFlow's {@code v.value()}. */
    public Tensor value() { return read(); }

    public Variable assign(Tensor v) {
        checkFits(v, "assign");
        ExecutionContext.current().assignVariable(this, v);
        return this;
    }

    public Variable assign(Object javaValue) { return assign(Tf.constant(javaValue, dtype())); }

    public Variable assignAdd(Tensor delta) { return assign(Tf.add(read(), delta)); }

    public Variable assignSub(Tensor delta) { return assign(Tf.subtract(read(), delta)); }

    /** {@code v.scatter_nd_update(indices, updates)}: replaces the elements or slices at {@code indices}. */
    public Variable scatterNdUpdate(Tensor indices, Tensor updates) {
        return assign(Tf.tensorScatterNdUpdate(read(), indices, updates));
    }

    /** {@code v[index].assign(value)} with Python index syntax, e.g. {@code v.assignSlice("1:3, 0", x)}. */
    public Variable assignSlice(String index, Tensor value) {
        return assign(Tf.tensorStridedSliceUpdate(read(), index, value));
    }

    /** {@code v[index]}: a slice of the current value. */
    public Tensor get(String index) { return Tf.getItem(read(), index); }

    /** The current value, eagerly, read back from the device when a call there assigned it last; only valid outside traces. */
    synchronized Buffer buffer() {
        if (value == null) {
            DeviceValue v = device.beginUse(); // never null: only this variable releases it, under this lock
            try {
                value = v.toHost();
            } finally {
                device.endUse();
            }
        }
        return value;
    }

    /** Replaces the value (eager assignment and write-back after a host call); a device copy is stale now. */
    synchronized void store(Buffer b) {
        checkType(b.type());
        value = b;
        dropDeviceCopy();
    }

    /** Replaces the value with one a call on the device computed (the variable takes it over); the host value is stale now. */
    synchronized void storeOnDevice(DeviceValue v) {
        checkType(v.type());
        dropDeviceCopy();
        device = new DeviceHandle(v);
        value = null;
    }

    /**
     * The value on {@code backend}'s device for one call, which must end the use with
     * {@link DeviceHandle#endUse}: the kept copy when there is one, else a new upload kept for
     * later calls.
     */
    synchronized DeviceHandle beginDeviceUse(DeviceBackend backend) {
        if (device != null && !device.peek().device().equals(backend.device())) {
            buffer(); // the value is kept on one device at a time: bring it home before it moves
            dropDeviceCopy();
        }
        if (device == null) device = new DeviceHandle(backend.upload(value));
        if (device.beginUse() == null) throw new IllegalStateException("variable " + name + ": its device copy was released");
        return device;
    }

    private void dropDeviceCopy() {
        if (device == null) return;
        device.release(); // freed now, or when a call using it on another thread ends
        device = null;
    }

    private void checkType(TensorType t) {
        if (t.dtype() != type.dtype() || !t.shape().equals(type.shape())) {
            throw new IllegalStateException("variable " + name + " is " + type + ", cannot store " + t);
        }
    }

    void checkFits(Tensor v, String op) {
        if (v.dtype() != dtype()) {
            throw new DTypeError(op + ": variable '" + name + "' is " + dtype() + " but the value is " + v.dtype());
        }
        if (!fits(v.shape())) {
            throw new ShapeError(op + ": variable '" + name + "' has shape " + shape() + " but the value has shape " + v.shape());
        }
    }

    /** A value fits when every dim it knows matches; unknown dims are checked when the call runs. */
    private boolean fits(Shape s) {
        if (!s.hasRank()) return true;
        if (s.rank() != shape().rank()) return false;
        for (int i = 0; i < s.rank(); i++) {
            if (s.dim(i) != Shape.UNKNOWN && s.dim(i) != shape().dim(i)) return false;
        }
        return true;
    }

    @Override
    public String toString() {
        Buffer b = buffer();
        return "<tf.Variable '" + name + ":0' shape=" + shape() + " dtype=" + dtype() + ", numpy=" + TensorFormatter.numpyRepr(b) + ">";
    }
}
