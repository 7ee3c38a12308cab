package dev.tfjit.tracer.queue;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.tracer.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code tf.queue.PriorityQueue}: each element starts with an int64 scalar priority (not listed
 * in the dtypes, as in TensorFlow); the lowest priority leaves first, ties in arrival order.
 * Dequeued elements keep their priority as component 0.
 */
public final class PriorityQueue extends TensorQueue {
    private record Entry(long priority, long arrival, List<Tensor> element) {}

    private final java.util.PriorityQueue<Entry> heap = new java.util.PriorityQueue<>((a, b) -> a.priority != b.priority
            ? Long.compare(a.priority, b.priority) : Long.compare(a.arrival, b.arrival));
    private long arrivals;

    public PriorityQueue(int capacity, List<DType> dtypes) { this(capacity, dtypes, null, "priority_queue"); }

    public PriorityQueue(int capacity, List<DType> dtypes, List<Shape> shapes, String name) { super(name, capacity, dtypes, shapes); }

    @Override
    void checkElement(List<Tensor> element) {
        if (element.isEmpty() || element.getFirst().dtype() != DType.INT64 || element.getFirst().rank() != 0) {
            throw new InvalidArgumentError(name() + ": a PriorityQueue element starts with an int64 scalar priority, got "
                    + (element.isEmpty() ? "nothing" : element.getFirst().dtype() + " of shape " + element.getFirst().shape()));
        }
        check(element, 1);
    }

    @Override
    int storedSize() { return heap.size(); }

    @Override
    void store(List<Tensor> element) { heap.add(new Entry(element.getFirst().longValue(), arrivals++, new ArrayList<>(element))); }

    @Override
    List<Tensor> removeNext() { return List.copyOf(heap.poll().element()); }

    @Override
    String kind() { return "PriorityQueue"; }
}
