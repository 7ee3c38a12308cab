package dev.tfjit.nn.optimizers;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.tracer.GlobalNormClip;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code keras.optimizers.Optimizer}: turns gradients into variable updates. Everything it
 * does is tensor ops and variable assignments, so {@link #applyGradients} traced into a Function
 * becomes part of the compiled train step. Slot variables (momenta, ...) are made the first time
 * a variable is updated, which is eagerly or on the first trace, as tf.function allows.
 */
public abstract class Optimizer {
    private final String name;
    private final LearningRateSchedule learningRate;
    private final Variable iterations;
    private final Map<Variable, Variable[]> slots = new IdentityHashMap<>();
    private Double clipnorm;
    private Double clipvalue;
    private Double globalClipnorm;

    protected Optimizer(String name, LearningRateSchedule learningRate) {
        this.name = name;
        this.learningRate = learningRate;
        this.iterations = new Variable(Tf.constant(0L), name + "/iterations", false);
    }

    public String name() { return name; }

    /** How many times {@link #applyGradients} has run. */
    public Variable iterations() { return iterations; }

    /** Clips each gradient to this L2 norm before the update. */
    public Optimizer withClipnorm(double norm) { clipnorm = norm; return this; }

    /** Clips each gradient's elements to {@code [-value, value]}. */
    public Optimizer withClipvalue(double value) { clipvalue = value; return this; }

    /** Scales all gradients together so their global norm is at most {@code norm}. */
    public Optimizer withGlobalClipnorm(double norm) { globalClipnorm = norm; return this; }

    /** The learning rate at the current step. */
    public Tensor learningRate() { return learningRate.apply(Tf.cast(iterations.read(), DType.FLOAT32)); }

    /** The slots each variable needs, by name, in the order {@link #updateStep} receives them. */
    protected abstract String[] slotNames();

    /** The initial value of a slot (zeros unless an optimizer says otherwise). */
    protected Tensor slotInitialValue(String slot, Variable v) { return Tf.zeros(v.shape().dims(), v.dtype()); }

    /** Updates one variable from its gradient; {@code step} is the 1-based step count as float32. */
    protected abstract void updateStep(Tensor gradient, Variable variable, Variable[] slots, Tensor lr, Tensor step);

    /** Applies one update; a null gradient (an unconnected variable) leaves its variable alone. */
    public void applyGradients(List<Tensor> gradients, List<Variable> variables) {
        if (gradients.size() != variables.size()) {
            throw new InvalidArgumentError(name + ": " + gradients.size() + " gradients for " + variables.size() + " variables");
        }
        List<Tensor> grads = clip(gradients);
        Tensor lr = learningRate();
        Tensor step = Tf.cast(iterations.read(), DType.FLOAT32).add(1.0);
        for (int i = 0; i < grads.size(); i++) {
            Tensor g = grads.get(i);
            if (g == null) continue;
            Variable v = variables.get(i);
            if (g.dtype() != v.dtype()) {
                throw new InvalidArgumentError(name + ": gradient dtype " + g.dtype() + " does not match variable " + v.name() + " dtype " + v.dtype());
            }
            updateStep(g, v, slotsFor(v), Tf.cast(lr, v.dtype()), Tf.cast(step, v.dtype()));
        }
        iterations.assignAdd(Tf.constant(1L));
    }

    /** The variables {@link #applyGradients} created for {@code v}, by slot name order (empty before its first update). */
    public List<Variable> slots(Variable v) { return slots.containsKey(v) ? List.of(slots.get(v)) : List.of(); }

    private Variable[] slotsFor(Variable v) {
        return slots.computeIfAbsent(v, key -> {
            String[] names = slotNames();
            Variable[] made = new Variable[names.length];
            for (int i = 0; i < names.length; i++) made[i] = new Variable(slotInitialValue(names[i], key), key.name() + "/" + names[i], false);
            return made;
        });
    }

    private List<Tensor> clip(List<Tensor> gradients) {
        List<Tensor> out = new ArrayList<>(gradients);
        if (globalClipnorm != null) {
            List<Integer> present = new ArrayList<>();
            List<Tensor> nonNull = new ArrayList<>();
            for (int i = 0; i < out.size(); i++) if (out.get(i) != null) { present.add(i); nonNull.add(out.get(i)); }
            if (!nonNull.isEmpty()) {
                GlobalNormClip clipped = Tf.clipByGlobalNorm(nonNull, globalClipnorm);
                for (int j = 0; j < present.size(); j++) out.set(present.get(j), clipped.clipped().get(j));
            }
        }
        for (int i = 0; i < out.size(); i++) {
            Tensor g = out.get(i);
            if (g == null) continue;
            if (clipnorm != null) g = Tf.clipByNorm(g, clipnorm);
            if (clipvalue != null) g = Tf.clipByValue(g, -clipvalue, clipvalue);
            out.set(i, g);
        }
        return out;
    }

    @Override
    public String toString() { return getClass().getSimpleName() + "(" + name + ")"; }
}
