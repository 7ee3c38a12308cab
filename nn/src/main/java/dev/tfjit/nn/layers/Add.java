package dev.tfjit.nn.layers;

import dev.tfjit.ir.Shape;
import dev.tfjit.nn.MergeLayer;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

import java.util.List;

/** {@code keras.layers.Add}: the elementwise sum of its inputs (a residual connection). */
public class Add extends MergeLayer {
    public Add() { super(null); }

    @Override
    protected Tensor merge(List<Tensor> inputs) { return inputs.size() == 1 ? inputs.get(0) : Tf.addN(inputs.toArray(Tensor[]::new)); }

    @Override
    public Shape computeOutputShape(List<Shape> shapes) { return shapes.get(0); }
}
