package dev.tfjit.nn.optimizers;

import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;

/**
 * {@code keras.optimizers.Adagrad}: the accumulator starts at {@code initialAccumulatorValue}
 * (0.1), {@code acc += g^2}, {@code var -= lr*g/sqrt(acc+epsilon)}.
 */
public class Adagrad extends Optimizer {
    private final double initialAccumulatorValue;
    private final double epsilon;

    public Adagrad() { this(0.001); }

    public Adagrad(double learningRate) { this(LearningRateSchedule.constant(learningRate), 0.1, 1e-7); }

    public Adagrad(LearningRateSchedule learningRate, double initialAccumulatorValue, double epsilon) {
        super("Adagrad", learningRate);
        this.initialAccumulatorValue = initialAccumulatorValue;
        this.epsilon = epsilon;
    }

    @Override
    protected String[] slotNames() { return new String[] {"accumulator"}; }

    @Override
    protected Tensor slotInitialValue(String slot, Variable v) { return Tf.fill(v.shape().dims(), Tf.constant(initialAccumulatorValue, v.dtype())); }

    @Override
    protected void updateStep(Tensor g, Variable var, Variable[] slots, Tensor lr, Tensor step) {
        Variable acc = slots[0];
        Tensor accNew = acc.read().add(Tf.square(g));
        acc.assign(accNew);
        var.assignSub(g.mul(lr).div(Tf.sqrt(accNew.add(epsilon))));
    }
}
