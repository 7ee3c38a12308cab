package dev.tfjit.nn.optimizers;

import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;

/**
 * {@code keras.optimizers.RMSprop} (not centered, no momentum) as Keras 3 computes it:
 * {@code s = rho*s + (1-rho)*g^2}, {@code var -= lr*g/sqrt(s+epsilon)}.
 */
public class RMSprop extends Optimizer {
    private final double rho;
    private final double epsilon;

    public RMSprop() { this(0.001); }

    public RMSprop(double learningRate) { this(LearningRateSchedule.constant(learningRate), 0.9, 1e-7); }

    public RMSprop(LearningRateSchedule learningRate, double rho, double epsilon) {
        super("RMSprop", learningRate);
        this.rho = rho;
        this.epsilon = epsilon;
    }

    @Override
    protected String[] slotNames() { return new String[] {"velocity"}; }

    @Override
    protected void updateStep(Tensor g, Variable var, Variable[] slots, Tensor lr, Tensor step) {
        Variable s = slots[0];
        Tensor sNew = s.read().mul(rho).add(Tf.square(g).mul(1 - rho));
        s.assign(sNew);
        var.assignSub(g.mul(lr).div(Tf.sqrt(sNew.add(epsilon))));
    }
}
