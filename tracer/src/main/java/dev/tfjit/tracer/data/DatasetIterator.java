package dev.tfjit.tracer.data;

import dev.tfjit.tracer.Tensor;

import java.lang.ref.Cleaner;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A Java iterator over a dataset's elements. It closes itself at the end; close it (or use
 * try-with-resources) to stop early. One that is dropped part way is closed once it is
 * garbage collected, so an abandoned {@code for} loop does not leak threads.
 */
public final class DatasetIterator<E> implements Iterator<E>, AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "tfjit-data-cleaner");
        t.setDaemon(true);
        return t;
    });

    /** What the cleaner closes: it must not refer back to the DatasetIterator. */
    private static final class State implements Runnable {
        final ElementIterator elements;
        volatile boolean closed;

        State(ElementIterator elements) { this.elements = elements; }

        @Override
        public void run() {
            if (closed) return;
            closed = true;
            elements.close();
        }
    }

    private final Structure structure;
    private final State state;
    private final Cleaner.Cleanable cleanable;
    private List<Tensor> lookahead;

    DatasetIterator(Structure structure, ElementIterator elements) {
        this.structure = structure;
        this.state = new State(elements);
        this.cleanable = CLEANER.register(this, state);
    }

    @Override
    public boolean hasNext() {
        if (lookahead != null) return true;
        if (state.closed) return false;
        try {
            lookahead = state.elements.next();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        if (lookahead == null) close();
        return lookahead != null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public E next() {
        if (!hasNext()) throw new NoSuchElementException("the dataset has no more elements (TensorFlow: OutOfRangeError: End of sequence)");
        List<Tensor> flat = lookahead;
        lookahead = null;
        return (E) structure.unflatten(flat);
    }

    /** Stops background work and frees what this pass holds; later hasNext() is false. */
    @Override
    public void close() {
        lookahead = null;
        cleanable.clean();
    }
}
