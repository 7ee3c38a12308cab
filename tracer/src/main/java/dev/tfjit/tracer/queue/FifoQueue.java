package dev.tfjit.tracer.queue;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.tracer.Tensor;

import java.util.ArrayDeque;
import java.util.List;

/** {@code tf.queue.FIFOQueue}: elements leave in the order they came. */
public class FifoQueue extends TensorQueue {
    private final ArrayDeque<List<Tensor>> elements = new ArrayDeque<>();

    public FifoQueue(int capacity, List<DType> dtypes) { this(capacity, dtypes, null, "fifo_queue"); }

    /** With fixed component shapes (null: any). */
    public FifoQueue(int capacity, List<DType> dtypes, List<Shape> shapes, String name) { super(name, capacity, dtypes, shapes); }

    @Override
    int storedSize() { return elements.size(); }

    @Override
    void store(List<Tensor> element) { elements.addLast(element); }

    @Override
    List<Tensor> removeNext() { return elements.removeFirst(); }

    @Override
    String kind() { return "FIFOQueue"; }
}
