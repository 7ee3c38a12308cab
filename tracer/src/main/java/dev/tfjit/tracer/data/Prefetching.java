package dev.tfjit.tracer.data;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.TfException;
import dev.tfjit.tracer.Tensor;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * prefetch: a daemon thread runs the upstream pipeline and keeps up to {@code n} elements ready,
 * so producing batch k+1 overlaps consuming batch k. The thread alone touches upstream, and
 * closes it; closing the pass interrupts and joins the thread.
 */
final class Prefetching {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private Prefetching() {}

    /** What the producer hands over. */
    private sealed interface Item {
        record Element(List<Tensor> tensors) implements Item {}

        record End() implements Item {}

        record Failure(RuntimeException error) implements Item {}
    }

    static <E> Dataset<E> prefetch(Dataset<E> in, int n) {
        if (n < 1) throw new InvalidArgumentError("Dataset.prefetch: buffer_size must be at least 1, got " + n);
        return new Dataset<>(in::elementSpec, o -> new Prefetcher(in, o, n));
    }

    private static final class Prefetcher implements ElementIterator {
        private final BlockingQueue<Item> queue;
        private final Thread producer;
        private boolean ended;

        Prefetcher(Dataset<?> in, Options options, int n) {
            this.queue = new ArrayBlockingQueue<>(n + 1); // + 1: the end marker never blocks on a full buffer of elements
            this.producer = new Thread(() -> produce(in, options), "tfjit-data-prefetch-" + THREADS.incrementAndGet());
            producer.setDaemon(true);
            producer.start();
        }

        private void produce(Dataset<?> in, Options options) {
            try (ElementIterator up = in.open(options)) {
                while (!Thread.currentThread().isInterrupted()) {
                    List<Tensor> e = up.next();
                    if (e == null) {
                        queue.put(new Item.End());
                        return;
                    }
                    queue.put(new Item.Element(e));
                }
            } catch (InterruptedException e) {
                // closed by the consumer
            } catch (RuntimeException e) {
                handOver(new Item.Failure(e));
            } catch (Error e) { // the consumer must still learn that no more elements come
                handOver(new Item.Failure(new TfException("the prefetch thread failed: " + e, e)));
                throw e;
            }
        }

        /**
         * Waits for room rather than offering: with a full buffer an offered failure would be
         * dropped and the consumer would wait forever after taking the buffered elements.
         */
        private void handOver(Item.Failure failure) {
            try {
                if (!Thread.currentThread().isInterrupted()) queue.put(failure);
            } catch (InterruptedException e) {
                // closed by the consumer while waiting: nobody is left to tell
            }
        }

        @Override
        public List<Tensor> next() {
            if (ended) return null;
            Item item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TfException("interrupted while waiting for a prefetched element", e);
            }
            return switch (item) {
                case Item.Element el -> el.tensors();
                case Item.End end -> {
                    ended = true;
                    yield null;
                }
                case Item.Failure f -> {
                    ended = true;
                    throw f.error();
                }
            };
        }

        @Override
        public void close() {
            ended = true;
            producer.interrupt();
            try {
                producer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            queue.clear();
        }
    }
}
