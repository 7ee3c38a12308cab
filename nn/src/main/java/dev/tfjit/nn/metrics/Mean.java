package dev.tfjit.nn.metrics;

import dev.tfjit.ir.DType;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;

/** {@code keras.metrics.Mean}: the running mean of every value passed to {@link #updateState(Tensor)}. */
public final class Mean extends Metric {
    private final Variable total = addVariable("total");
    private final Variable count = addVariable("count");

    public Mean() { this("mean"); }

    public Mean(String name) { super(name); }

    public void updateState(Tensor values) {
        Tensor v = Tf.cast(values, DType.FLOAT32);
        total.assignAdd(Tf.reduceSum(v));
        count.assignAdd(Tf.cast(Tf.size(v), DType.FLOAT32));
    }

    /** Zero before any update, like Keras (a division with no NaN). */
    @Override
    public Tensor result() { return Tf.divideNoNan(total.read(), count.read()); }
}
