package dev.tfjit.nn.optimizers;

import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;

/**
 * {@code keras.optimizers.Nadam}: Adam with Nesterov momentum and Dozat's momentum schedule
 * {@code u_t = beta1*(1 - 0.5*0.96^t)}; the running product of the {@code u_t} lives in a
 * per-variable slot so the update stays a pure function of the step inside a compiled step.
 */
public class Nadam extends Optimizer {
    private static final double DECAY = 0.96;
    private final double beta1;
    private final double beta2;
    private final double epsilon;

    public Nadam() { this(0.001); }

    public Nadam(double learningRate) { this(LearningRateSchedule.constant(learningRate), 0.9, 0.999, 1e-7); }

    public Nadam(LearningRateSchedule learningRate, double beta1, double beta2, double epsilon) {
        super("Nadam", learningRate);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    @Override
    protected String[] slotNames() { return new String[] {"m", "v", "u_product"}; }

    @Override
    protected Tensor slotInitialValue(String slot, Variable v) {
        return slot.equals("u_product") ? Tf.constant(1.0, v.dtype()) : super.slotInitialValue(slot, v);
    }

    @Override
    protected void updateStep(Tensor g, Variable var, Variable[] slots, Tensor lr, Tensor step) {
        Tensor decay = Tf.constant(DECAY, g.dtype());
        Tensor uT = Tf.pow(decay, step).mul(-0.5).add(1.0).mul(beta1);
        Tensor uT1 = Tf.pow(decay, step.add(1.0)).mul(-0.5).add(1.0).mul(beta1);
        Variable m = slots[0], v = slots[1], uProduct = slots[2];
        Tensor uProductT = uProduct.read().mul(uT);
        Tensor uProductT1 = uProductT.mul(uT1);
        Tensor beta2Power = Tf.pow(Tf.constant(beta2, g.dtype()), step);
        Tensor mNew = m.read().add(g.sub(m.read()).mul(1 - beta1));
        Tensor vNew = v.read().add(Tf.square(g).sub(v.read()).mul(1 - beta2));
        m.assign(mNew);
        v.assign(vNew);
        uProduct.assign(uProductT);
        Tensor mHat = uT1.mul(mNew).div(uProductT1.neg().add(1.0)).add(uT.neg().add(1.0).mul(g).div(uProductT.neg().add(1.0)));
        Tensor vHat = vNew.div(beta2Power.neg().add(1.0));
        var.assignSub(mHat.mul(lr).div(Tf.sqrt(vHat).add(epsilon)));
    }
}
