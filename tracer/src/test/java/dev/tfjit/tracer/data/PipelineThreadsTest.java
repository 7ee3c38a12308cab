package dev.tfjit.tracer.data;

import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import static dev.tfjit.tracer.data.DatasetSourcesTest.longs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** prefetch and parallel map run on background threads that stop with their pass, however it ends. */
class PipelineThreadsTest {

    /** Live pipeline threads (prefetch and map pools), waiting up to 5 s for stopping ones to end. */
    static long pipelineThreads() throws InterruptedException {
        long n = 0;
        for (int i = 0; i < 100; i++) {
            n = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.isAlive() && (t.getName().startsWith("tfjit-data-prefetch") || t.getName().startsWith("tfjit-data-map")))
                    .count();
            if (n == 0) return 0;
            Thread.sleep(50);
        }
        return n;
    }

    static Dataset<Tensor> pipeline() { return Dataset.range(100).map(x -> x.mul(2L), 3).batch(8).prefetch(2); }

    @Test
    void prefetchGivesTheSameElementsInOrder() throws InterruptedException {
        long[] expected = new long[50];
        for (int i = 0; i < 50; i++) expected[i] = i * 3L;
        assertArrayEquals(expected, longs(Dataset.range(50).map(x -> x.mul(3L)).prefetch(4)));
        assertArrayEquals(expected, longs(Dataset.range(50).prefetch(1).map(x -> x.mul(3L), 2).prefetch(1)));
        assertEquals(0, pipelineThreads());
    }

    @Test
    void aFinishedPassLeavesNoThreads() throws InterruptedException {
        List<Tensor> batches = pipeline().toList();
        assertEquals(13, batches.size());
        assertArrayEquals(new long[] {192, 194, 196, 198}, batches.get(12).toLongArray());
        assertEquals(0, pipelineThreads());
    }

    @Test
    void closingAPassPartWayStopsItsThreads() throws InterruptedException {
        DatasetIterator<Tensor> it = pipeline().repeat().iterator();
        it.next();
        it.next();
        it.close();
        assertEquals(0, pipelineThreads());
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }

    @Test
    void anAbandonedLoopStopsItsThreadsOnceCollected() throws InterruptedException {
        abandon();
        long left = 1;
        for (int i = 0; i < 50 && left > 0; i++) {
            System.gc();
            left = pipelineThreads();
        }
        assertEquals(0, left, "the cleaner closed the dropped pass");
    }

    private static void abandon() {
        for (Tensor batch : pipeline().repeat()) {
            if (batch.toLongArray()[0] > 100) break; // early stop: the iterator is dropped unclosed
        }
    }

    @Test
    void manyEpochsDoNotLeakThreads() throws InterruptedException {
        Dataset<Tensor> ds = Dataset.range(64).shuffle(16, 1).map(x -> x.add(1L), 2).batch(16).prefetch(2);
        for (int epoch = 0; epoch < 30; epoch++) {
            long sum = 0;
            for (Tensor b : ds) for (long v : b.toLongArray()) sum += v;
            assertEquals(64 * 65 / 2, sum);
        }
        assertEquals(0, pipelineThreads());
    }

    @Test
    void anErrorUpstreamReachesTheConsumerAndStopsTheThreads() throws InterruptedException {
        Dataset<Tensor> failing = Dataset.range(10).mapEagerly(x -> {
            if (x.longValue() == 5) throw new IllegalStateException("bad element 5");
            return x;
        }, 2).prefetch(2);
        Iterator<Tensor> it = failing.iterator();
        for (int i = 0; i < 5; i++) assertEquals(i, it.next().longValue());
        IllegalStateException e = assertThrows(IllegalStateException.class, it::next);
        assertEquals("bad element 5", e.getMessage());
        assertFalse(it.hasNext());
        assertEquals(0, pipelineThreads());
    }

    @Test
    void aTracedMapCanRunOnSeveralThreadsAtOnce() throws InterruptedException {
        Tensor w = Tf.constant(new float[][] {{1, 2}, {3, 4}});
        Dataset<Tensor> ds = Dataset.fromTensorSlices(Tf.constant(new float[][] {{1, 0}, {0, 1}, {1, 1}})).repeat(20)
                .map(x -> Tf.matmul(Tf.expandDims(x, 0), w), 4);
        List<Tensor> out = ds.toList();
        assertEquals(60, out.size());
        assertArrayEquals(new float[] {4, 6}, out.get(59).toFloatArray());
        assertArrayEquals(new float[] {3, 4}, out.get(31).toFloatArray());
        assertEquals(0, pipelineThreads());
    }
}
