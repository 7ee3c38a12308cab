package dev.tfjit.nn.optimizers;

import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

/**
 * The learning rate as a function of the optimizer's step count (a float32 scalar tensor, so a
 * schedule runs inside a compiled train step), like {@code keras.optimizers.schedules}.
 */
@FunctionalInterface
public interface LearningRateSchedule {
    Tensor apply(Tensor step);

    static LearningRateSchedule constant(double lr) { return step -> Tf.constant((float) lr); }

    /** {@code lr * rate^(step / decaySteps)}, with the exponent floored when {@code staircase}. */
    static LearningRateSchedule exponentialDecay(double initial, double decaySteps, double decayRate, boolean staircase) {
        return step -> {
            Tensor p = step.div(decaySteps);
            if (staircase) p = Tf.floor(p);
            return Tf.pow(Tf.constant((float) decayRate), p).mul(initial);
        };
    }

    /** {@code lr / (1 + rate * step / decaySteps)}, with the ratio floored when {@code staircase}. */
    static LearningRateSchedule inverseTimeDecay(double initial, double decaySteps, double decayRate, boolean staircase) {
        return step -> {
            Tensor p = step.div(decaySteps);
            if (staircase) p = Tf.floor(p);
            return Tf.constant((float) initial).div(p.mul(decayRate).add(1.0));
        };
    }
}
