package dev.tfjit.tracer;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.format.TensorFormatter;

/**
 * Mutable state that outlives a call, like {@code tf.Variable}: a fixed dtype and shape and a
 * current value. Reads are tensors. Inside a traced function a variable is captured by
 * reference: reads see its value at call time and assignments are staged, taking effect when
 * the call runs, in program order.
 */
public final class Variable {
    private final String name;
    private final TensorType type;
    private final boolean trainable;
    private volatile Buffer value;

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

    /** The current value, eagerly; only valid outside traces (the runtime uses it to pass values in). */
    Buffer buffer() { return value; }

    /** Replaces the value (eager assignment and write-back after a compiled call). */
    void store(Buffer b) {
        if (b.dtype() != type.dtype() || !b.shape().equals(type.shape())) {
            throw new IllegalStateException("variable " + name + " is " + type + ", cannot store " + b.type());
        }
        value = b;
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
        Buffer b = value;
        return "<tf.Variable '" + name + ":0' shape=" + shape() + " dtype=" + dtype() + ", numpy=" + TensorFormatter.numpyRepr(b) + ">";
    }
}
