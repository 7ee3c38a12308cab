package dev.tfjit.nn.metrics;

import dev.tfjit.ir.DType;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;

/** {@code keras.metrics.Sum}: the running sum of every value passed to {@link #updateState(Tensor)}. */
public final class Sum extends Metric {
    private final Variable total = addVariable("total");

    public Sum() { this("sum"); }

    public Sum(String name) { super(name); }

    public void updateState(Tensor values) { total.assignAdd(Tf.reduceSum(Tf.cast(values, DType.FLOAT32))); }

    @Override
    public Tensor result() { return total.read(); }
}
