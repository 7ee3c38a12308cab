package dev.tfjit.tracer.queue;

import dev.tfjit.ir.CancelledError;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DeadlineExceededError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.OutOfRangeError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TfException;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded, thread-safe queue of elements (tuples of tensors with fixed dtypes), like
 * {@code tf.queue.QueueBase}. Enqueue blocks while the queue is full, dequeue while it has too
 * few elements; both take an optional timeout ({@link DeadlineExceededError} when it passes).
 * After {@link #close}: enqueues fail with {@link CancelledError}, dequeues drain what is left and
 * then fail with {@link OutOfRangeError}, and {@code dequeueUpTo} returns a short final batch.
 * Subclasses decide the order elements leave in.
 */
public abstract class TensorQueue {
    private static final long FOREVER = Long.MAX_VALUE;

    private final String name;
    private final int capacity;
    private final List<DType> dtypes;
    private final List<Shape> shapes; // null: any shapes
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private boolean closed;
    private boolean cancelPendingEnqueues;

    TensorQueue(String name, int capacity, List<DType> dtypes, List<Shape> shapes) {
        if (capacity < 1) throw new InvalidArgumentError(name + ": capacity must be at least 1, got " + capacity);
        if (dtypes.isEmpty()) throw new InvalidArgumentError(name + ": a queue needs at least one component dtype");
        if (shapes != null && shapes.size() != dtypes.size()) {
            throw new InvalidArgumentError(name + ": " + shapes.size() + " shapes for " + dtypes.size() + " dtypes");
        }
        this.name = name;
        this.capacity = capacity;
        this.dtypes = List.copyOf(dtypes);
        this.shapes = shapes == null ? null : List.copyOf(shapes);
    }

    public String name() { return name; }

    public int capacity() { return capacity; }

    /** The component dtypes of each element, as dequeued. */
    public List<DType> dtypes() { return dtypes; }

    /** The component shapes, or null when any shapes are accepted. */
    public List<Shape> shapes() { return shapes; }

    // ------------------------------------------------------------ what subclasses decide

    /** Elements held now. Called with the lock held. */
    abstract int storedSize();

    /** Stores an element. Called with the lock held and room available. */
    abstract void store(List<Tensor> element);

    /** Removes the next element. Called with the lock held and {@link #available} positive. */
    abstract List<Tensor> removeNext();

    /** Elements a dequeue may take now (a shuffle queue keeps a minimum back until closed). */
    int available(boolean isClosed) { return storedSize(); }

    /** Combines dequeued elements into one batched element (stacked components). */
    List<Tensor> combine(List<List<Tensor>> elements) {
        List<Tensor> out = new ArrayList<>();
        for (int c = 0; c < elements.getFirst().size(); c++) {
            List<Tensor> parts = new ArrayList<>(elements.size());
            for (List<Tensor> e : elements) {
                if (!e.get(c).shape().equals(elements.getFirst().get(c).shape())) {
                    throw new InvalidArgumentError(name + ": dequeueMany needs elements of one shape, but component " + c + " has shapes "
                            + elements.getFirst().get(c).shape() + " and " + e.get(c).shape() + "; use a PaddingFifoQueue");
                }
                parts.add(e.get(c));
            }
            out.add(Tf.stack(parts));
        }
        return out;
    }

    /** Checks an element's arity, dtypes and shapes; {@code first} is the component index where the queue's dtypes start. */
    void check(List<Tensor> element, int first) {
        if (element.size() - first != dtypes.size()) {
            throw new InvalidArgumentError(name + ": an element has " + dtypes.size() + " components " + dtypes + ", got " + (element.size() - first));
        }
        for (int i = 0; i < dtypes.size(); i++) {
            Tensor t = element.get(first + i);
            if (t.dtype() != dtypes.get(i)) {
                throw new InvalidArgumentError(name + ": component " + i + " must be " + dtypes.get(i) + ", got " + t.dtype());
            }
            if (shapes != null && !shapes.get(i).accepts(t.shape())) {
                throw new InvalidArgumentError(name + ": Shape mismatch in tuple component " + i + ". Expected " + shapes.get(i)
                        + ", got " + t.shape());
            }
        }
    }

    // ------------------------------------------------------------ enqueue

    /** Adds one element, waiting while the queue is full. */
    public void enqueue(Tensor... components) { enqueue(List.of(components), null); }

    public void enqueue(List<Tensor> element, Duration timeout) { enqueueAll(List.of(element), deadline(timeout)); }

    /** Adds the slices of {@code batched} along the first dim of every component, in order. */
    public void enqueueMany(Tensor... batched) { enqueueMany(List.of(batched), null); }

    public void enqueueMany(List<Tensor> batched, Duration timeout) {
        if (batched.isEmpty()) throw new InvalidArgumentError(name + ": enqueueMany needs components");
        int n = -1;
        for (Tensor t : batched) {
            if (t.rank() == 0) throw new InvalidArgumentError(name + ": enqueueMany needs components of rank >= 1, got a scalar");
            if (n >= 0 && t.shape().dim(0) != n) {
                throw new InvalidArgumentError(name + ": enqueueMany components must have the same first dim, got "
                        + batched.stream().map(x -> x.shape().toString()).toList());
            }
            n = t.shape().dim(0);
        }
        List<List<Tensor>> elements = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<Tensor> e = new ArrayList<>(batched.size());
            for (Tensor t : batched) e.add(t.get(i));
            elements.add(e);
        }
        enqueueAll(elements, deadline(timeout));
    }

    private void enqueueAll(List<List<Tensor>> elements, long deadline) {
        for (List<Tensor> e : elements) checkElement(e);
        lock.lock();
        try {
            if (closed) throw new CancelledError(kind() + " '" + name + "' is closed.");
            for (List<Tensor> e : elements) {
                while (storedSize() >= capacity) {
                    if (closed && cancelPendingEnqueues) throw new CancelledError(kind() + " '" + name + "' is closed.");
                    await(notFull, deadline);
                }
                if (closed && cancelPendingEnqueues) throw new CancelledError(kind() + " '" + name + "' is closed.");
                store(List.copyOf(e));
                notEmpty.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Checks an element about to be enqueued. */
    void checkElement(List<Tensor> element) { check(element, 0); }

    // ------------------------------------------------------------ dequeue

    /** Removes one element, waiting while there is none. */
    public List<Tensor> dequeue() { return dequeue(null); }

    public List<Tensor> dequeue(Duration timeout) { return take(1, false, deadline(timeout)).getFirst(); }

    /** Removes {@code n} elements, stacked; waits until there are {@code n}, even after close. */
    public List<Tensor> dequeueMany(int n) { return dequeueMany(n, null); }

    public List<Tensor> dequeueMany(int n, Duration timeout) { return combine(take(n, false, deadline(timeout))); }

    /** Like dequeueMany, but once the queue is closed it returns the fewer elements left. */
    public List<Tensor> dequeueUpTo(int n) { return dequeueUpTo(n, null); }

    public List<Tensor> dequeueUpTo(int n, Duration timeout) { return combine(take(n, true, deadline(timeout))); }

    private List<List<Tensor>> take(int n, boolean upTo, long deadline) {
        if (n < 1) throw new InvalidArgumentError(name + ": must dequeue at least one element, got " + n);
        lock.lock();
        try {
            while (available(closed) < n) {
                if (closed) {
                    if (upTo && available(true) > 0) {
                        n = available(true);
                        break;
                    }
                    throw new OutOfRangeError(kind() + " '" + name + "' is closed and has insufficient elements (requested " + n
                            + ", current size " + storedSize() + ")");
                }
                await(notEmpty, deadline);
            }
            List<List<Tensor>> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) out.add(removeNext());
            notFull.signalAll();
            return out;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------ closing and size

    /** Closes the queue: no more enqueues; pending enqueues may still finish. */
    public void close() { close(false); }

    /** Closes the queue; with {@code cancelPendingEnqueues} the enqueues waiting for room fail. */
    public void close(boolean cancelPendingEnqueues) {
        lock.lock();
        try {
            closed = true;
            this.cancelPendingEnqueues |= cancelPendingEnqueues;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** The number of elements in the queue now. */
    public int size() {
        lock.lock();
        try {
            return storedSize();
        } finally {
            lock.unlock();
        }
    }

    /** TensorFlow's class name for this kind of queue, used in its error messages. */
    abstract String kind();

    private static long deadline(Duration timeout) {
        if (timeout == null) return FOREVER;
        long now = System.nanoTime();
        long t = timeout.toNanos();
        return t >= FOREVER - now ? FOREVER : now + t;
    }

    private void await(Condition c, long deadline) {
        try {
            if (deadline == FOREVER) {
                c.await();
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !c.await(left, TimeUnit.NANOSECONDS) && deadline - System.nanoTime() <= 0) {
                throw new DeadlineExceededError(name + ": Timed out waiting for notification");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TfException(name + ": interrupted while waiting on the queue", e);
        }
    }
}
