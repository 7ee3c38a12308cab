package dev.tfjit.nn.optimizers;

import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;

/**
 * {@code keras.optimizers.Adam} as Keras 3 computes it: with {@code t} the 1-based step,
 * {@code alpha = lr*sqrt(1-beta2^t)/(1-beta1^t)}, {@code m += (g-m)(1-beta1)},
 * {@code v += (g^2-v)(1-beta2)}, {@code var -= alpha*m/(sqrt(v)+epsilon)}.
 */
public class Adam extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double epsilon;

    public Adam() { this(0.001); }

    public Adam(double learningRate) { this(LearningRateSchedule.constant(learningRate), 0.9, 0.999, 1e-7); }

    public Adam(LearningRateSchedule learningRate, double beta1, double beta2, double epsilon) {
        super("Adam", learningRate);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    @Override
    protected String[] slotNames() { return new String[] {"m", "v"}; }

    @Override
    protected void updateStep(Tensor g, Variable var, Variable[] slots, Tensor lr, Tensor step) {
        Tensor beta1Power = Tf.pow(Tf.constant(beta1, g.dtype()), step);
        Tensor beta2Power = Tf.pow(Tf.constant(beta2, g.dtype()), step);
        Tensor alpha = lr.mul(Tf.sqrt(beta2Power.neg().add(1.0))).div(beta1Power.neg().add(1.0));
        Variable m = slots[0], v = slots[1];
        Tensor mNew = m.read().add(g.sub(m.read()).mul(1 - beta1));
        Tensor vNew = v.read().add(Tf.square(g).sub(v.read()).mul(1 - beta2));
        m.assign(mNew);
        v.assign(vNew);
        var.assignSub(mNew.mul(alpha).div(Tf.sqrt(vNew).add(epsilon)));
    }
}
