package dev.tfjit.nn;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.tracer.Tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model built with the functional API, like {@code keras.Model(inputs, outputs)}: a graph of
 * layer calls from {@link KerasTensor.Input}s to one output. Layers called twice share weights.
 */
public final class Functional extends Model {
    private final List<KerasTensor.Input> inputs;
    private final KerasTensor output;
    private final List<KerasTensor.Node> order = new ArrayList<>();

    public Functional(KerasTensor.Input input, KerasTensor output) { this(List.of(input), output, null); }

    public Functional(List<KerasTensor.Input> inputs, KerasTensor output, String name) {
        super(name);
        this.inputs = List.copyOf(inputs);
        this.output = output;
        visit(output, new LinkedHashSet<>());
        ensureBuilt(inputs.get(0).shape());
    }

    /** Orders the nodes so each comes after its inputs; every path must start at one of the model's inputs. */
    private void visit(KerasTensor t, Set<KerasTensor> done) {
        if (done.contains(t)) return;
        switch (t) {
            case KerasTensor.Input in -> {
                if (!inputs.contains(in)) throw new InvalidArgumentError("Functional model: the output depends on input '" + in.name()
                        + "' " + in.shape() + " that is not among the model's inputs");
            }
            case KerasTensor.Node n -> {
                for (KerasTensor i : n.inputs()) visit(i, done);
                order.add(n);
            }
        }
        done.add(t);
    }

    @Override
    public List<Layer> layers() {
        Set<Layer> seen = new LinkedHashSet<>();
        for (KerasTensor.Node n : order) seen.add(n.layer());
        return new ArrayList<>(seen);
    }

    @Override
    protected Tensor call(Tensor x) {
        if (inputs.size() != 1) throw new InvalidArgumentError(name() + " has " + inputs.size() + " inputs; call it with callMany");
        return callMany(List.of(x));
    }

    /** Runs the layer graph on one tensor per input, in the order the inputs were given. */
    public Tensor callMany(List<Tensor> values) {
        if (values.size() != inputs.size()) throw new InvalidArgumentError(name() + " expects " + inputs.size() + " inputs, got " + values.size());
        Map<KerasTensor, Tensor> computed = new IdentityHashMap<>();
        for (int i = 0; i < inputs.size(); i++) computed.put(inputs.get(i), values.get(i));
        for (KerasTensor.Node n : order) {
            List<Tensor> args = new ArrayList<>();
            for (KerasTensor in : n.inputs()) args.add(computed.get(in));
            Tensor out = n.layer() instanceof MergeLayer m ? m.apply(args) : n.layer().apply(args.get(0));
            computed.put(n, out);
        }
        return computed.get(output);
    }

    @Override
    public String summary() {
        List<Layer> ls = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        Set<Layer> seen = new LinkedHashSet<>();
        for (KerasTensor.Node n : order) {
            if (!seen.add(n.layer())) continue;
            ls.add(n.layer());
            shapes.add(n.shape());
        }
        long trainable = 0;
        for (var v : trainableWeights()) trainable += v.shape().numElements();
        return Summary.of(name(), ls, shapes, trainable, countParams() - trainable);
    }
}
