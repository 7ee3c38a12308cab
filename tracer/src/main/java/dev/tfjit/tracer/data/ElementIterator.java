package dev.tfjit.tracer.data;

import dev.tfjit.tracer.Tensor;

import java.util.List;

/**
 * One pass over a dataset, on flat element components. Not thread-safe: one consumer pulls.
 * Closing stops background threads and closes the iterators it reads from.
 */
interface ElementIterator extends AutoCloseable {
    /** The next element's component tensors, or null at the end. */
    List<Tensor> next();

    @Override
    default void close() {}
}
