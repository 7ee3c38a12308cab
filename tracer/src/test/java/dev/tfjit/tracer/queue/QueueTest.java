package dev.tfjit.tracer.queue;

import dev.tfjit.ir.CancelledError;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DeadlineExceededError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.OutOfRangeError;
import dev.tfjit.ir.Shape;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tf.queue semantics: order, capacity, blocking with timeouts, close, and many threads at once. */
class QueueTest {
    static final Duration SHORT = Duration.ofMillis(50);

    static Tensor i64(long v) { return Tf.constant(v); }

    static long first(List<Tensor> element) { return element.get(0).longValue(); }

    @Test
    void fifoHandsOutElementsInArrivalOrder() {
        FifoQueue q = new FifoQueue(10, List.of(DType.INT64, DType.STRING));
        q.enqueue(i64(1), Tf.constant("a"));
        q.enqueue(i64(2), Tf.constant("b"));
        assertEquals(2, q.size());
        List<Tensor> e = q.dequeue();
        assertEquals(1L, e.get(0).longValue());
        assertEquals("a", e.get(1).stringValue());
        assertEquals(2L, first(q.dequeue()));
        assertEquals(0, q.size());
    }

    @Test
    void enqueueManySlicesAndDequeueManyStacks() {
        FifoQueue q = new FifoQueue(10, List.of(DType.INT32));
        q.enqueueMany(Tf.constant(new int[] {1, 2, 3, 4, 5}));
        assertArrayEquals(new int[] {1, 2}, q.dequeueMany(2).get(0).toIntArray());
        assertArrayEquals(new int[] {3}, q.dequeue().get(0).toIntArray());
        q.close();
        assertArrayEquals(new int[] {4, 5}, q.dequeueUpTo(3).get(0).toIntArray(), "after close, up-to returns what is left");
        OutOfRangeError e = assertThrows(OutOfRangeError.class, () -> q.dequeueUpTo(3));
        assertTrue(e.getMessage().contains("is closed and has insufficient elements (requested 3, current size 0)"), e.getMessage());
    }

    @Test
    void aFullQueueBlocksEnqueueAndAnEmptyOneBlocksDequeueUntilTheTimeout() {
        FifoQueue q = new FifoQueue(1, List.of(DType.INT64));
        q.enqueue(i64(1));
        DeadlineExceededError full = assertThrows(DeadlineExceededError.class, () -> q.enqueue(List.of(i64(2)), SHORT));
        assertTrue(full.getMessage().contains("Timed out waiting for notification"), full.getMessage());
        q.dequeue();
        assertThrows(DeadlineExceededError.class, () -> q.dequeue(SHORT));
        assertThrows(DeadlineExceededError.class, () -> q.dequeueMany(1, Duration.ZERO));
    }

    @Test
    void closeRefusesEnqueuesAndEndsConsumersOnceDrained() {
        FifoQueue q = new FifoQueue(5, List.of(DType.INT64));
        q.enqueue(i64(7));
        q.close();
        assertTrue(q.isClosed());
        CancelledError c = assertThrows(CancelledError.class, () -> q.enqueue(i64(8)));
        assertEquals("FIFOQueue 'fifo_queue' is closed.", c.getMessage());
        assertEquals(7L, first(q.dequeue()), "elements already in the queue can still be dequeued");
        OutOfRangeError e = assertThrows(OutOfRangeError.class, q::dequeue);
        assertEquals("FIFOQueue 'fifo_queue' is closed and has insufficient elements (requested 1, current size 0)", e.getMessage());
    }

    @Test
    void dequeueManyOnAClosedQueueWithTooFewElementsFails() {
        FifoQueue q = new FifoQueue(5, List.of(DType.INT64));
        q.enqueue(i64(1));
        q.close();
        assertThrows(OutOfRangeError.class, () -> q.dequeueMany(2));
        assertEquals(1, q.size(), "a failed dequeueMany takes nothing");
    }

    @Test
    void closingWakesABlockedConsumer() throws Exception {
        FifoQueue q = new FifoQueue(5, List.of(DType.INT64));
        CompletableFuture<Throwable> consumer = CompletableFuture.supplyAsync(() -> {
            try {
                q.dequeue();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Thread.sleep(50);
        assertFalse(consumer.isDone(), "the consumer waits for an element");
        q.close();
        assertTrue(consumer.get(5, TimeUnit.SECONDS) instanceof OutOfRangeError);
    }

    @Test
    void pendingEnqueuesFinishAfterCloseUnlessCancelled() throws Exception {
        FifoQueue q = new FifoQueue(1, List.of(DType.INT64));
        q.enqueue(i64(1));
        CompletableFuture<Throwable> pending = CompletableFuture.supplyAsync(() -> {
            try {
                q.enqueue(i64(2));
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Thread.sleep(50);
        q.close();
        Thread.sleep(20);
        assertFalse(pending.isDone(), "still waiting for room");
        assertEquals(1L, first(q.dequeue()));
        assertEquals(null, pending.get(5, TimeUnit.SECONDS));
        assertEquals(2L, first(q.dequeue()));

        FifoQueue r = new FifoQueue(1, List.of(DType.INT64));
        r.enqueue(i64(1));
        CompletableFuture<Throwable> cancelled = CompletableFuture.supplyAsync(() -> {
            try {
                r.enqueue(i64(2));
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Thread.sleep(50);
        r.close(true);
        assertTrue(cancelled.get(5, TimeUnit.SECONDS) instanceof CancelledError);
        assertEquals(1, r.size());
    }

    @Test
    void wrongComponentsAreRefusedBeforeAnythingIsEnqueued() {
        FifoQueue q = new FifoQueue(5, List.of(DType.FLOAT32), List.of(Shape.of(2)), "q");
        InvalidArgumentError d = assertThrows(InvalidArgumentError.class, () -> q.enqueue(Tf.constant(new int[] {1, 2})));
        assertTrue(d.getMessage().contains("component 0 must be float32, got int32"), d.getMessage());
        InvalidArgumentError s = assertThrows(InvalidArgumentError.class, () -> q.enqueue(Tf.constant(new float[] {1, 2, 3})));
        assertTrue(s.getMessage().contains("Shape mismatch in tuple component 0. Expected (2,), got (3,)"), s.getMessage());
        assertThrows(InvalidArgumentError.class, () -> q.enqueue(Tf.constant(new float[] {1, 2}), Tf.constant(1f)));
        assertEquals(0, q.size());
        assertThrows(InvalidArgumentError.class, () -> new FifoQueue(0, List.of(DType.FLOAT32)));
    }

    @Test
    void manyProducersAndConsumersLoseAndDuplicateNothing() throws Exception {
        FifoQueue q = new FifoQueue(8, List.of(DType.INT64));
        int producers = 4, perProducer = 250, consumers = 3;
        ExecutorService pool = Executors.newFixedThreadPool(producers + consumers);
        try {
            List<Future<List<Long>>> got = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                got.add(pool.submit(() -> {
                    List<Long> mine = new ArrayList<>();
                    try {
                        while (true) mine.add(first(q.dequeue()));
                    } catch (OutOfRangeError end) {
                        return mine;
                    }
                }));
            }
            List<Future<?>> made = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int base = p * perProducer;
                made.add(pool.submit(() -> {
                    for (int i = 0; i < perProducer; i++) q.enqueue(i64(base + i));
                }));
            }
            for (Future<?> f : made) f.get(30, TimeUnit.SECONDS);
            q.close();
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : got) {
                List<Long> mine = f.get(30, TimeUnit.SECONDS);
                for (int p = 0; p < producers; p++) {
                    long lo = (long) p * perProducer, hi = lo + perProducer;
                    List<Long> fromP = mine.stream().filter(v -> v >= lo && v < hi).toList();
                    List<Long> sorted = new ArrayList<>(fromP);
                    Collections.sort(sorted);
                    assertEquals(sorted, fromP, "FIFO: one consumer sees one producer's elements in order");
                }
                all.addAll(mine);
            }
            Collections.sort(all);
            List<Long> expected = new ArrayList<>();
            for (long i = 0; i < producers * perProducer; i++) expected.add(i);
            assertEquals(expected, all);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void priorityQueueHandsOutTheLowestPriorityFirstTiesInArrivalOrder() {
        PriorityQueue q = new PriorityQueue(10, List.of(DType.STRING));
        q.enqueue(i64(5), Tf.constant("e"));
        q.enqueue(i64(1), Tf.constant("a1"));
        q.enqueue(i64(3), Tf.constant("c"));
        q.enqueue(i64(1), Tf.constant("a2"));
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            List<Tensor> e = q.dequeue();
            order.add(e.get(0).longValue() + e.get(1).stringValue());
        }
        assertEquals(List.of("1a1", "1a2", "3c", "5e"), order);
        InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> q.enqueue(Tf.constant(1), Tf.constant("x")));
        assertTrue(e.getMessage().contains("starts with an int64 scalar priority"), e.getMessage());
    }

    @Test
    void priorityQueueDequeueManyStacksPrioritiesToo() {
        PriorityQueue q = new PriorityQueue(10, List.of(DType.FLOAT32));
        q.enqueueMany(Tf.constant(new long[] {3, 1, 2}), Tf.constant(new float[] {30, 10, 20}));
        List<Tensor> b = q.dequeueMany(3);
        assertArrayEquals(new long[] {1, 2, 3}, b.get(0).toLongArray());
        assertArrayEquals(new float[] {10, 20, 30}, b.get(1).toFloatArray());
    }

    @Test
    void randomShuffleQueueKeepsMinAfterDequeueBackUntilClosed() {
        RandomShuffleQueue q = new RandomShuffleQueue(10, 2, List.of(DType.INT64), 1);
        q.enqueueMany(Tf.constant(new long[] {0, 1, 2}));
        q.dequeue();
        DeadlineExceededError e = assertThrows(DeadlineExceededError.class, () -> q.dequeue(SHORT));
        assertTrue(e.getMessage().contains("Timed out"), e.getMessage());
        q.close();
        q.dequeue();
        q.dequeue();
        assertThrows(OutOfRangeError.class, q::dequeue);
        assertThrows(InvalidArgumentError.class, () -> new RandomShuffleQueue(3, 3, List.of(DType.INT64), 1));
    }

    @Test
    void randomShuffleQueueShufflesReproduciblyWithItsSeed() {
        long[] a = drain(new RandomShuffleQueue(100, 0, List.of(DType.INT64), 5));
        long[] b = drain(new RandomShuffleQueue(100, 0, List.of(DType.INT64), 5));
        assertArrayEquals(a, b);
        long[] sorted = a.clone();
        java.util.Arrays.sort(sorted);
        long[] expected = new long[30];
        for (int i = 0; i < 30; i++) expected[i] = i;
        assertArrayEquals(expected, sorted, "a permutation");
        assertFalse(java.util.Arrays.equals(expected, a), "not the arrival order");
    }

    private static long[] drain(RandomShuffleQueue q) {
        long[] in = new long[30];
        for (int i = 0; i < 30; i++) in[i] = i;
        q.enqueueMany(Tf.constant(in));
        q.close();
        return q.dequeueMany(30).get(0).toLongArray();
    }

    @Test
    void paddingFifoQueuePadsEachBatchToItsLongestElement() {
        PaddingFifoQueue q = new PaddingFifoQueue(10, List.of(DType.INT32, DType.STRING), List.of(Shape.of(Shape.UNKNOWN), Shape.SCALAR));
        q.enqueue(Tf.constant(new int[] {1}), Tf.constant("a"));
        q.enqueue(Tf.constant(new int[] {2, 2}), Tf.constant("b"));
        q.enqueue(Tf.constant(new int[] {3, 3, 3}), Tf.constant("c"));
        List<Tensor> b = q.dequeueMany(2);
        assertArrayEquals(new int[][] {{1, 0}, {2, 2}}, (int[][]) b.get(0).toArray());
        assertArrayEquals(new String[] {"a", "b"}, b.get(1).toStringArray());
        assertEquals(Shape.of(1, 3), q.dequeueMany(1).get(0).shape());
        assertThrows(InvalidArgumentError.class, () -> new PaddingFifoQueue(3, List.of(DType.INT32), null));
        assertThrows(InvalidArgumentError.class, () -> q.enqueue(Tf.constant(new int[][] {{1}}), Tf.constant("x")), "rank must match");
    }

    @Test
    void fifoDequeueManyOfDifferentShapesPointsToThePaddingQueue() {
        FifoQueue q = new FifoQueue(10, List.of(DType.INT32));
        q.enqueue(Tf.constant(new int[] {1}));
        q.enqueue(Tf.constant(new int[] {1, 2}));
        InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> q.dequeueMany(2));
        assertTrue(e.getMessage().contains("PaddingFifoQueue"), e.getMessage());
    }
}
