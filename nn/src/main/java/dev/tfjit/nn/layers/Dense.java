package dev.tfjit.nn.layers;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.nn.Activation;
import dev.tfjit.nn.Activations;
import dev.tfjit.nn.Constraint;
import dev.tfjit.nn.Initializer;
import dev.tfjit.nn.Initializers;
import dev.tfjit.nn.Layer;
import dev.tfjit.nn.Regularizer;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;

import java.util.Map;

/**
 * {@code keras.layers.Dense}: {@code activation(inputs @ kernel + bias)} over the last axis.
 * Options are set fluently before the first call, e.g.
 * {@code new Dense(30, "relu").kernelInitializer(Initializers.heNormal(null))}.
 */
public class Dense extends Layer {
    private final int units;
    private final Activation activation;
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializers.glorotUniform(null);
    private Initializer biasInitializer = Initializers.zeros();
    private Regularizer kernelRegularizer;
    private Regularizer biasRegularizer;
    private Constraint kernelConstraint;
    private Constraint biasConstraint;
    private Variable kernel;
    private Variable bias;

    public Dense(int units) { this(units, (Activation) null, null); }

    public Dense(int units, String activation) { this(units, Activations.get(activation), null); }

    public Dense(int units, Activation activation) { this(units, activation, null); }

    public Dense(int units, Activation activation, String name) {
        super(name);
        if (units <= 0) throw new InvalidArgumentError("Dense: units must be positive, got " + units);
        this.units = units;
        this.activation = activation == null ? Activations.get("linear") : activation;
    }

    public Dense kernelInitializer(Initializer i) { kernelInitializer = i; return this; }

    public Dense kernelInitializer(String name) { return kernelInitializer(Initializers.get(name)); }

    public Dense biasInitializer(Initializer i) { biasInitializer = i; return this; }

    public Dense kernelRegularizer(Regularizer r) { kernelRegularizer = r; return this; }

    public Dense biasRegularizer(Regularizer r) { biasRegularizer = r; return this; }

    public Dense kernelConstraint(Constraint c) { kernelConstraint = c; return this; }

    public Dense biasConstraint(Constraint c) { biasConstraint = c; return this; }

    public Dense useBias(boolean on) { useBias = on; return this; }

    public int units() { return units; }

    public Variable kernel() { return kernel; }

    public Variable bias() { return bias; }

    @Override
    public void build(Shape inputShape) {
        if (!inputShape.hasRank() || inputShape.rank() < 1 || !inputShape.isKnown(-1)) {
            throw new InvalidArgumentError("Dense " + name() + ": the last dimension of the inputs must be known, got shape " + inputShape);
        }
        kernel = addWeight("kernel", new int[] {inputShape.dim(-1), units}, kernelInitializer, kernelRegularizer, kernelConstraint, true);
        if (useBias) bias = addWeight("bias", new int[] {units}, biasInitializer, biasRegularizer, biasConstraint, true);
    }

    @Override
    protected Tensor call(Tensor inputs) {
        Tensor z = inputs.rank() == 2 ? Tf.matmul(inputs, kernel.read()) : Tf.tensordot(inputs, kernel.read(), 1);
        if (useBias) z = Tf.add(z, bias.read());
        return activation.apply(z);
    }

    @Override
    public Shape computeOutputShape(Shape inputShape) {
        return inputShape.hasRank() ? inputShape.withDim(inputShape.rank() - 1, units) : Shape.unknownRank();
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("units", units);
        c.put("activation", Activations.serialize(activation));
        c.put("use_bias", useBias);
        return c;
    }
}
