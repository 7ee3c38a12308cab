package dev.tfjit.nn;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.tracer.Tensor;

import java.util.List;

/** A layer that combines several tensors (Concatenate, Add), used in functional models with several inputs. */
public abstract class MergeLayer extends Layer {
    protected MergeLayer(String name) { super(name); }

    /** Combines the inputs. */
    protected abstract Tensor merge(List<Tensor> inputs);

    /** The output shape for these input shapes. */
    public abstract Shape computeOutputShape(List<Shape> inputShapes);

    /** Calls the layer on several tensors. */
    public final Tensor apply(List<Tensor> inputs) {
        if (inputs.isEmpty()) throw new InvalidArgumentError(name() + " needs at least one input");
        ensureBuilt(inputs.get(0).shape());
        return merge(inputs);
    }

    @Override
    protected final Tensor call(Tensor inputs) {
        throw new InvalidArgumentError(name() + " merges several inputs; call it with a list");
    }
}
