package dev.tfjit.tracer.queue;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.tracer.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code tf.queue.RandomShuffleQueue}: each dequeue takes a uniformly random element, and while
 * the queue is open at least {@code minAfterDequeue} elements stay behind (so the mix stays
 * good); after close the rest drains. The seed fixes the order for a fixed enqueue order.
 */
public final class RandomShuffleQueue extends TensorQueue {
    private final int minAfterDequeue;
    private final SplittableRandom random;
    private final List<List<Tensor>> elements = new ArrayList<>();

    public RandomShuffleQueue(int capacity, int minAfterDequeue, List<DType> dtypes, long seed) {
        this(capacity, minAfterDequeue, dtypes, null, seed, "random_shuffle_queue");
    }

    public RandomShuffleQueue(int capacity, int minAfterDequeue, List<DType> dtypes, List<Shape> shapes, long seed, String name) {
        super(name, capacity, dtypes, shapes);
        if (minAfterDequeue < 0 || minAfterDequeue >= capacity) {
            throw new InvalidArgumentError(name + ": min_after_dequeue must be in [0, capacity), got " + minAfterDequeue + " for capacity " + capacity);
        }
        this.minAfterDequeue = minAfterDequeue;
        this.random = new SplittableRandom(seed);
    }

    @Override
    int available(boolean isClosed) { return isClosed ? elements.size() : Math.max(0, elements.size() - minAfterDequeue); }

    @Override
    int storedSize() { return elements.size(); }

    @Override
    void store(List<Tensor> element) { elements.add(element); }

    @Override
    List<Tensor> removeNext() {
        int i = random.nextInt(elements.size());
        List<Tensor> out = elements.get(i);
        List<Tensor> last = elements.removeLast();
        if (i < elements.size()) elements.set(i, last);
        return out;
    }

    @Override
    String kind() { return "RandomShuffleQueue"; }
}
