package dev.tfjit.autograph;

import dev.tfjit.tracer.Tensor;

import java.util.Iterator;
import java.util.List;

/**
 * The iterator of a for-each loop in converted code: over a tensor's rows
 * ({@link TensorIteration}) or a dataset's elements ({@link DatasetIteration}). Over eager values
 * it is a Java iteration. While tracing, its state is tensors and its {@code hasNext} a bool
 * tensor, so the loop is staged as a {@code while} node that carries the state
 * ({@link #carried}, {@link #at}) like any loop value. Public because converted code, in the
 * user's package, holds one in a local.
 */
public abstract sealed class StagedIteration implements Iterator<Object> permits TensorIteration, DatasetIteration {
    StagedIteration() {}

    /** Whether the loop over it is staged (its state is symbolic tensors). */
    abstract boolean symbolic();

    /** Whether another element follows: an eager bool for a Java iteration, else a symbolic one. */
    abstract Tensor predicate();

    /** The state a staged loop carries. */
    abstract List<Tensor> carried();

    /** This iteration at another state (a staged loop's values for {@link #carried}). */
    abstract StagedIteration at(List<Tensor> state);

    /** Stages what ends the iteration, after the staged loop over it has left (by its test, a break or a return). */
    void finish() {}

    /** Whether {@code state} can stand for this iteration's state (same number of tensors, same dtypes). */
    boolean accepts(List<Tensor> state) {
        List<Tensor> mine = carried();
        if (mine.size() != state.size()) return false;
        for (int i = 0; i < mine.size(); i++) if (mine.get(i).dtype() != state.get(i).dtype()) return false;
        return true;
    }
}
