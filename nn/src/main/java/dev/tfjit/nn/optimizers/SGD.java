package dev.tfjit.nn.optimizers;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Variable;

/**
 * {@code keras.optimizers.SGD}: {@code v -= lr*g}; with momentum,
 * {@code m = momentum*m - lr*g; v += m}, and with Nesterov {@code v += momentum*m - lr*g}
 * (the gradient is applied as if looked ahead along the momentum).
 */
public class SGD extends Optimizer {
    private final double momentum;
    private final boolean nesterov;

    public SGD(double learningRate) { this(LearningRateSchedule.constant(learningRate), 0, false); }

    public SGD(double learningRate, double momentum, boolean nesterov) { this(LearningRateSchedule.constant(learningRate), momentum, nesterov); }

    public SGD(LearningRateSchedule learningRate, double momentum, boolean nesterov) {
        super("SGD", learningRate);
        if (momentum < 0 || momentum > 1) throw new InvalidArgumentError("SGD: momentum must be in [0, 1], got " + momentum);
        this.momentum = momentum;
        this.nesterov = nesterov;
    }

    @Override
    protected String[] slotNames() { return momentum == 0 ? new String[0] : new String[] {"momentum"}; }

    @Override
    protected void updateStep(Tensor g, Variable v, Variable[] slots, Tensor lr, Tensor step) {
        Tensor lrG = g.mul(lr);
        if (momentum == 0) {
            v.assignSub(lrG);
            return;
        }
        Variable m = slots[0];
        Tensor mNew = m.read().mul(momentum).sub(lrG);
        m.assign(mNew);
        v.assignAdd(nesterov ? mNew.mul(momentum).sub(lrG) : mNew);
    }
}
