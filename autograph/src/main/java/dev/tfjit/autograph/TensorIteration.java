package dev.tfjit.autograph;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.TfException;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Tracing;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * {@code for (Tensor x : t)} in converted code. Over an eager tensor it is a Java loop over the
 * rows. Over a symbolic tensor its position is a scalar tensor, so the loop test is a tensor
 * and the loop is staged, the position being one of the loop's values: a row index gathered
 * from {@code t}, or, when {@code t} is a traced {@code Tf.range}, the current value itself,
 * so the range is never materialized (as AutoGraph does for {@code tf.range}).
 */
public final class TensorIteration extends StagedIteration {
    private final Tensor source;     // eager rows, or the tensor gathered from
    private final Tensor limit;      // symbolic: the length, or the range's limit
    private final Tensor delta;      // symbolic range: the step; null when iterating by index
    private Tensor position;         // symbolic: the row index or the range's current value
    private int next;                // eager: the next row

    private TensorIteration(Tensor source, Tensor position, Tensor limit, Tensor delta) {
        this.source = source;
        this.position = position;
        this.limit = limit;
        this.delta = delta;
    }

    static TensorIteration over(Tensor t) {
        if (t.rank() == 0) throw new TfException("Cannot iterate over a scalar tensor.");
        if (!t.isSymbolic()) return new TensorIteration(t, null, null, null);
        List<Tensor> range = Tracing.rangeArguments(t);
        if (range != null) return new TensorIteration(t, range.get(0), range.get(1), range.get(2));
        int n = t.shape().hasRank() ? t.shape().dim(0) : -1;
        Tensor length = n >= 0 ? Tf.constant(n) : Tf.gather(Tf.shape(t), Tf.constant(0));
        return new TensorIteration(t, Tf.constant(0), length, null);
    }

    @Override
    boolean symbolic() { return position != null; }

    @Override
    Tensor predicate() {
        if (!symbolic()) return next < source.shape().dim(0) ? Staging.TRUE : Staging.FALSE;
        if (delta == null) return Tf.less(position, limit);
        Tensor zero = Tf.zerosLike(delta);
        return Tf.where(Tf.greater(delta, zero), Tf.less(position, limit), Tf.greater(position, limit));
    }

    /** The loop state a staged loop carries: the position. */
    @Override
    List<Tensor> carried() { return List.of(position); }

    @Override
    TensorIteration at(List<Tensor> state) {
        if (!accepts(state)) throw new IllegalStateException("a loop position of " + state + " for " + position.dtype());
        return new TensorIteration(source, state.get(0), limit, delta);
    }

    @Override
    public boolean hasNext() {
        if (symbolic()) {
            throw new TfException("the length of a symbolic tensor is not known while tracing; AutoGraph stages a for loop over it"
                    + " only when the loop is written as for (Tensor x : tensor)");
        }
        return next < source.shape().dim(0);
    }

    @Override
    public Tensor next() {
        if (!symbolic()) {
            if (next >= source.shape().dim(0)) throw new NoSuchElementException();
            return source.get(next++);
        }
        Tensor element;
        if (delta == null) {
            element = Tf.gather(source, position);
            position = Tf.add(position, Tf.constant(1, position.dtype() == DType.INT64 ? DType.INT64 : DType.INT32));
        } else {
            element = position;
            position = Tf.add(position, delta);
        }
        return element;
    }
}
