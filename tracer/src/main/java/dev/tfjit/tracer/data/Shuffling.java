package dev.tfjit.tracer.data;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.tracer.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * shuffle with TensorFlow's buffer semantics: the buffer starts with the first
 * {@code bufferSize} elements; each output is a uniformly chosen buffered element, whose slot is
 * refilled from the input; once the input ends, the chosen slot takes the last buffered element.
 * A buffer of 1 keeps the input order; a buffer at least the dataset's size gives a uniform
 * permutation.
 */
final class Shuffling {
    private Shuffling() {}

    static <E> Dataset<E> shuffle(Dataset<E> in, int bufferSize, long seed, boolean reshuffleEachIteration) {
        if (bufferSize < 1) throw new InvalidArgumentError("Dataset.shuffle: buffer_size must be greater than zero, got " + bufferSize);
        // Counts the passes of this dataset: pass k draws from (seed, k), so the orders differ per
        // epoch and the whole sequence of orders repeats with the seed.
        AtomicLong passes = new AtomicLong();
        return new Dataset<>(in::elementSpec, o -> {
            long pass = reshuffleEachIteration ? passes.getAndIncrement() : 0;
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + pass);
            ElementIterator up = in.open(o);
            return new ElementIterator() {
                final List<List<Tensor>> buffer = new ArrayList<>(Math.min(bufferSize, 1 << 16));
                boolean inputDone;

                @Override
                public List<Tensor> next() {
                    while (!inputDone && buffer.size() < bufferSize) {
                        List<Tensor> e = up.next();
                        if (e == null) inputDone = true;
                        else buffer.add(e);
                    }
                    if (buffer.isEmpty()) return null;
                    int i = random.nextInt(buffer.size());
                    List<Tensor> out = buffer.get(i);
                    List<Tensor> refill = inputDone ? null : up.next();
                    if (refill != null) {
                        buffer.set(i, refill);
                    } else {
                        inputDone = true;
                        List<Tensor> last = buffer.removeLast();
                        if (i < buffer.size()) buffer.set(i, last);
                    }
                    return out;
                }

                @Override
                public void close() {
                    buffer.clear();
                    up.close();
                }
            };
        });
    }
}
