package dev.tfjit.autograph;

import dev.tfjit.ir.TfException;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.data.Dataset;
import dev.tfjit.tracer.data.DatasetIterator;
import dev.tfjit.tracer.data.StagedPass;

import java.util.List;

/**
 * {@code for (var element : dataset)} in converted code, as tf.function stages a loop over a
 * {@code tf.data.Dataset}. Run eagerly it is the dataset's Java iterator. While tracing it is a
 * {@link StagedPass}: the pass is opened where the loop starts, the loop carries the element
 * pulled ahead ([has element, components...], the same machinery {@code Dataset.reduce} stages),
 * each {@code next()} hands that element to the body and pulls the following one, and after the
 * loop the pass is closed, so a {@code break} does not leave the pipeline running.
 */
public final class DatasetIteration extends StagedIteration {
    private final DatasetIterator<?> eager; // eager: the Java iteration
    private final StagedPass pass;          // symbolic: the staged pass
    private List<Tensor> lookahead;         // symbolic: [has element, components...]

    private DatasetIteration(DatasetIterator<?> eager, StagedPass pass, List<Tensor> lookahead) {
        this.eager = eager;
        this.pass = pass;
        this.lookahead = lookahead;
    }

    static DatasetIteration over(Dataset<?> dataset) {
        if (Tf.executingEagerly()) return new DatasetIteration(dataset.iterator(), null, null);
        StagedPass pass = StagedPass.open(dataset);
        return new DatasetIteration(null, pass, pass.pull());
    }

    @Override
    boolean symbolic() { return pass != null; }

    @Override
    Tensor predicate() {
        if (symbolic()) return lookahead.get(0);
        return eager.hasNext() ? Staging.TRUE : Staging.FALSE;
    }

    @Override
    List<Tensor> carried() { return lookahead; }

    @Override
    DatasetIteration at(List<Tensor> state) {
        if (!accepts(state)) throw new IllegalStateException("a dataset loop state of " + state + " for " + lookahead);
        return new DatasetIteration(null, pass, List.copyOf(state));
    }

    @Override
    void finish() { pass.close(lookahead.get(0)); }

    @Override
    public boolean hasNext() {
        if (symbolic()) {
            throw new TfException("whether a dataset has another element is not known while tracing; AutoGraph stages a loop over"
                    + " a dataset only when it is written as for (var element : dataset)");
        }
        return eager.hasNext();
    }

    @Override
    public Object next() {
        if (!symbolic()) return eager.next();
        Object element = pass.element(lookahead.subList(1, lookahead.size()));
        lookahead = pass.pull();
        return element;
    }
}
