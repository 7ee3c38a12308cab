package dev.tfjit.tracer.data;

import dev.tfjit.ir.TfException;
import dev.tfjit.tracer.Tensor;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Applies a function to each element, {@code n} at a time on a pool of daemon threads that lives
 * as long as the pass. Deterministic: elements come out in input order; otherwise in the order
 * they finish. The consumer thread alone pulls from upstream, which need not be thread-safe.
 */
final class ParallelMap {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private ParallelMap() {}

    static ElementIterator over(ElementIterator up, UnaryOperator<List<Tensor>> fn, int n, boolean deterministic) {
        if (n == 1) {
            return new ElementIterator() {
                @Override
                public List<Tensor> next() {
                    List<Tensor> e = up.next();
                    return e == null ? null : fn.apply(e);
                }

                @Override
                public void close() { up.close(); }
            };
        }
        int pool = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "tfjit-data-map-" + pool + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        return deterministic ? new Ordered(up, fn, n, executor) : new Unordered(up, fn, n, executor);
    }

    private abstract static class Pooled implements ElementIterator {
        final ElementIterator up;
        final UnaryOperator<List<Tensor>> fn;
        final int n;
        final ExecutorService executor;
        boolean upstreamDone;

        Pooled(ElementIterator up, UnaryOperator<List<Tensor>> fn, int n, ExecutorService executor) {
            this.up = up;
            this.fn = fn;
            this.n = n;
            this.executor = executor;
        }

        /** The next input element, or null once upstream has ended. */
        List<Tensor> pull() {
            if (upstreamDone) return null;
            List<Tensor> e = up.next();
            if (e == null) upstreamDone = true;
            return e;
        }

        static List<Tensor> result(Future<List<Tensor>> f) {
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TfException("interrupted while waiting for a parallel map", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                throw new TfException("the map function failed: " + e.getCause(), e.getCause());
            }
        }

        @Override
        public void close() {
            executor.shutdownNow();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            up.close();
        }
    }

    private static final class Ordered extends Pooled {
        private final ArrayDeque<Future<List<Tensor>>> window = new ArrayDeque<>();

        Ordered(ElementIterator up, UnaryOperator<List<Tensor>> fn, int n, ExecutorService executor) { super(up, fn, n, executor); }

        @Override
        public List<Tensor> next() {
            while (window.size() < n) {
                List<Tensor> e = pull();
                if (e == null) break;
                window.add(executor.submit(() -> fn.apply(e)));
            }
            Future<List<Tensor>> f = window.poll();
            return f == null ? null : result(f);
        }
    }

    private static final class Unordered extends Pooled {
        private final CompletionService<List<Tensor>> done;
        private int inFlight;

        Unordered(ElementIterator up, UnaryOperator<List<Tensor>> fn, int n, ExecutorService executor) {
            super(up, fn, n, executor);
            this.done = new ExecutorCompletionService<>(executor);
        }

        @Override
        public List<Tensor> next() {
            while (inFlight < n) {
                List<Tensor> e = pull();
                if (e == null) break;
                done.submit(() -> fn.apply(e));
                inFlight++;
            }
            if (inFlight == 0) return null;
            try {
                Future<List<Tensor>> f = done.take();
                inFlight--;
                return result(f);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TfException("interrupted while waiting for a parallel map", e);
            }
        }
    }
}
