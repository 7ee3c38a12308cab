package dev.tfjit.nn;

import dev.tfjit.ir.Shape;
import dev.tfjit.tracer.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code keras.Sequential}: layers applied one after the other. Given an input shape (without
 * the batch dim, like {@code keras.Input(shape=...)}) it is built at once, so {@link #summary}
 * works before training.
 */
public class Sequential extends Model {
    private final List<Layer> stack = new ArrayList<>();
    private Shape inputShape;

    public Sequential(Layer... layers) { this(null, layers); }

    /** A model for inputs of {@code inputShape} (per example; the batch dim is added). */
    public Sequential(int[] inputShape, Layer... layers) {
        super();
        for (Layer l : layers) add(l);
        if (inputShape != null) {
            int[] dims = new int[inputShape.length + 1];
            dims[0] = -1;
            System.arraycopy(inputShape, 0, dims, 1, inputShape.length);
            this.inputShape = Shape.of(dims);
            buildAll(this.inputShape);
        }
    }

    public final Sequential add(Layer layer) {
        stack.add(layer);
        return this;
    }

    @Override
    public List<Layer> layers() { return List.copyOf(stack); }

    /** Builds the layers in turn while each one can tell its output shape without running. */
    private void buildAll(Shape shape) {
        for (Layer l : stack) {
            l.ensureBuilt(shape);
            Shape next = l.computeOutputShape(shape);
            if (next == null) return;
            shape = next;
        }
    }

    @Override
    protected Tensor call(Tensor inputs) {
        Tensor x = inputs;
        for (Layer l : stack) x = l.apply(x);
        return x;
    }

    @Override
    public String summary() {
        if (inputShape == null) return super.summary();
        List<Shape> shapes = new ArrayList<>();
        Shape s = inputShape;
        for (Layer l : stack) {
            Shape next = s == null ? null : l.computeOutputShape(s);
            if (next == null && l.lastOutputShape() != null) next = batchUnknown(l.lastOutputShape());
            shapes.add(next);
            s = next;
        }
        return Summary.of(name(), stack, shapes, trainableCount(), countParams() - trainableCount());
    }

    private long trainableCount() {
        long n = 0;
        for (var v : trainableWeights()) n += v.shape().numElements();
        return n;
    }
}
