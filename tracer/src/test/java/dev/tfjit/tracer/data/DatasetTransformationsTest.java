package dev.tfjit.tracer.data;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TfException;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorSpec;
import dev.tfjit.tracer.Tf;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.tfjit.tracer.data.DatasetSourcesTest.longs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each transformation against values worked out by hand. */
class DatasetTransformationsTest {

    /** Vectors of different lengths: [1], [2, 2], [3, 3, 3], ... as int64[?]. */
    static Dataset<Tensor> ragged(int n) {
        List<Object> rows = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            long[] r = new long[i];
            Arrays.fill(r, i);
            rows.add(r);
        }
        return Dataset.fromIterable(rows, ElementSpec.of(DType.INT64, "?"));
    }

    static long[][] rows(Tensor t) { return (long[][]) t.toArray(); }

    // ------------------------------------------------------------ map and filter

    @Test
    void mapIsTracedOnceAndRunsItsGraphForEveryElement() {
        AtomicInteger traces = new AtomicInteger();
        Dataset<Tensor> squares = Dataset.range(5).map(x -> {
            traces.incrementAndGet();
            return x.mul(x);
        });
        assertEquals(ElementSpec.of(DType.INT64), squares.elementSpec());
        assertArrayEquals(new long[] {0, 1, 4, 9, 16}, longs(squares));
        assertArrayEquals(new long[] {0, 1, 4, 9, 16}, longs(squares));
        assertEquals(1, traces.get(), "Java side effects in a map function run once, while tracing");
    }

    @Test
    void mapKnowsItsElementSpecWithoutRunningThePipeline() {
        AtomicInteger pulled = new AtomicInteger();
        Dataset<Tensor> in = Dataset.fromGenerator(() -> {
            pulled.incrementAndGet();
            return List.<Object>of(new int[] {1, 2}).iterator();
        }, ElementSpec.of(DType.INT32, "?"));
        Dataset<List<Tensor>> mapped = in.map(x -> List.of(Tf.cast(x, DType.FLOAT32), Tf.reduceSum(x)));
        assertEquals(List.of(TensorSpec.of(DType.FLOAT32, "?"), TensorSpec.of(DType.INT32)), mapped.elementSpec().components());
        assertEquals(0, pulled.get());
    }

    @Test
    void aTracedMapEqualsItsEagerRun() {
        Tensor x = Tf.constant(new float[][] {{0.5f, -1}, {2, 3}, {-4, 0.25f}});
        java.util.function.Function<Tensor, Tensor> f = t -> Tf.tanh(t.mul(t).sub(1f)).add(Tf.reduceMax(t));
        List<Tensor> traced = Dataset.fromTensorSlices(x).map(f).toList();
        List<Tensor> eager = Dataset.fromTensorSlices(x).mapEagerly(f).toList();
        for (int i = 0; i < 3; i++) assertArrayEquals(eager.get(i).toFloatArray(), traced.get(i).toFloatArray(), 0f);
        assertEquals(3, traced.size());
    }

    @Test
    void mapOverTuplesCanSwapAndDropComponents() {
        Dataset<List<Tensor>> ds = Dataset.fromTensorSlices(Tf.constant(new int[] {1, 2}), Tf.constant(new float[] {10, 20}));
        List<List<Tensor>> swapped = ds.map(e -> List.of(e.get(1), e.get(0).mul(3))).toList();
        assertEquals(20f, swapped.get(1).get(0).floatValue());
        assertEquals(6, swapped.get(1).get(1).intValue());
    }

    @Test
    void parallelMapKeepsInputOrderUnlessToldOtherwise() {
        long[] expected = new long[200];
        for (int i = 0; i < 200; i++) expected[i] = 2L * i + 1;
        assertArrayEquals(expected, longs(Dataset.range(200).map(x -> x.mul(2L).add(1L), 4)));

        Dataset<Tensor> any = Dataset.range(200).map(x -> x.mul(2L).add(1L), 4).withOptions(Options.DEFAULT.withDeterministic(false));
        long[] got = longs(any);
        Arrays.sort(got);
        assertArrayEquals(expected, got, "the same elements, in some order");
        assertThrows(InvalidArgumentError.class, () -> Dataset.range(3).map(x -> x, 0));
    }

    @Test
    void eagerMapMayReadValues() {
        Dataset<Tensor> ds = Dataset.range(4).mapEagerly(x -> Tf.constant(x.longValue() % 2 == 0 ? "even" : "odd"), 2);
        assertEquals(ElementSpec.of(DType.STRING), ds.elementSpec());
        List<String> out = ds.toList().stream().map(Tensor::stringValue).toList();
        assertEquals(List.of("even", "odd", "even", "odd"), out);
    }

    @Test
    void filterKeepsElementsWhosePredicateIsTrue() {
        assertArrayEquals(new long[] {0, 3, 6, 9}, longs(Dataset.range(10).filter(x -> x.mod(3L).equal(0L))));
        assertArrayEquals(new long[] {}, longs(Dataset.range(10).filter(x -> x.less(0L))));
        InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> Dataset.range(3).filter(x -> x).toList());
        assertTrue(e.getMessage().contains("must be convertible to a scalar boolean tensor. Was TensorSpec(shape=(), dtype=int64)"),
                e.getMessage());
    }

    // ------------------------------------------------------------ batching

    @Test
    void batchStacksAndKeepsOrDropsTheRemainder() {
        List<Tensor> batches = Dataset.range(7).batch(3).toList();
        assertEquals(3, batches.size());
        assertArrayEquals(new long[] {0, 1, 2}, batches.get(0).toLongArray());
        assertArrayEquals(new long[] {6}, batches.get(2).toLongArray());
        assertEquals(ElementSpec.of(DType.INT64, "?"), Dataset.range(7).batch(3).elementSpec());

        List<Tensor> full = Dataset.range(7).batch(3, true).toList();
        assertEquals(2, full.size());
        assertArrayEquals(new long[] {3, 4, 5}, full.get(1).toLongArray());
        assertEquals(ElementSpec.of(DType.INT64, 3), Dataset.range(7).batch(3, true).elementSpec());

        assertEquals(0, Dataset.range(2).batch(3, true).toList().size());
        assertEquals(1, Dataset.range(3).batch(3).toList().size(), "no empty batch at an exact end");
        assertThrows(InvalidArgumentError.class, () -> Dataset.range(3).batch(0));
    }

    @Test
    void batchingTuplesBatchesEachComponent() {
        Dataset<List<Tensor>> ds = Dataset.fromTensorSlices(Tf.constant(new float[][] {{1, 2}, {3, 4}, {5, 6}}), Tf.constant(new int[] {7, 8, 9}));
        List<List<Tensor>> batches = ds.batch(2).toList();
        assertEquals(Shape.of(2, 2), batches.get(0).get(0).shape());
        assertArrayEquals(new int[] {9}, batches.get(1).get(1).toIntArray());
        assertEquals(List.of(TensorSpec.of(DType.FLOAT32, "?", 2), TensorSpec.of(DType.INT32, "?")), ds.batch(2).elementSpec().components());
    }

    @Test
    void batchingElementsOfDifferentShapesIsAnErrorThatSaysWhichOnes() {
        InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> ragged(3).batch(3).toList());
        assertTrue(e.getMessage().contains("Cannot batch tensors with different shapes in component 0. First element had shape (1,) "
                + "and element 1 had shape (2,)"), e.getMessage());
    }

    @Test
    void paddedBatchPadsToTheLongestInEachBatch() {
        List<Tensor> b = ragged(3).paddedBatch(2).toList();
        assertArrayEquals(new long[][] {{1, 0}, {2, 2}}, rows(b.get(0)));
        assertArrayEquals(new long[][] {{3, 3, 3}}, rows(b.get(1)));
        assertEquals(ElementSpec.of(DType.INT64, "?", "?"), ragged(3).paddedBatch(2).elementSpec());
    }

    @Test
    void paddedBatchWithShapesAndValues() {
        Dataset<Tensor> ds = ragged(3).paddedBatch(2, List.of(Shape.of(4)), List.of(-1), true);
        assertEquals(ElementSpec.of(DType.INT64, 2, 4), ds.elementSpec());
        List<Tensor> b = ds.toList();
        assertEquals(1, b.size(), "the short last batch is dropped");
        assertArrayEquals(new long[][] {{1, -1, -1, -1}, {2, 2, -1, -1}}, rows(b.get(0)));

        InvalidArgumentError e = assertThrows(InvalidArgumentError.class,
                () -> ragged(3).paddedBatch(3, List.of(Shape.of(2)), null, false).toList());
        assertTrue(e.getMessage().contains("Attempted to pad to a smaller size than the input element"), e.getMessage());
    }

    @Test
    void paddedBatchPadsStringsWithEmptyStrings() {
        Dataset<Tensor> words = Dataset.fromIterable(List.of(new String[] {"a"}, new String[] {"b", "c"}), ElementSpec.of(DType.STRING, "?"));
        Tensor b = words.paddedBatch(2).toList().get(0);
        assertArrayEquals(new String[] {"a", "", "b", "c"}, b.toStringArray());
    }

    @Test
    void unbatchUndoesBatch() {
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6}, longs(Dataset.range(7).batch(3).unbatch()));
        assertEquals(ElementSpec.of(DType.INT64), Dataset.range(7).batch(3).unbatch().elementSpec());
        assertThrows(InvalidArgumentError.class, () -> Dataset.range(3).unbatch().elementSpec());
    }

    // ------------------------------------------------------------ counting and combining

    @Test
    void takeSkipAndRepeat() {
        assertArrayEquals(new long[] {3, 4, 5, 6}, longs(Dataset.range(10).skip(3).take(4)));
        assertArrayEquals(new long[] {0, 1, 2}, longs(Dataset.range(3).take(-1)));
        assertArrayEquals(new long[] {}, longs(Dataset.range(3).skip(-1)));
        assertArrayEquals(new long[] {}, longs(Dataset.range(3).take(0)));
        assertArrayEquals(new long[] {}, longs(Dataset.range(3).skip(5)));
        assertArrayEquals(new long[] {0, 1, 2, 0, 1, 2}, longs(Dataset.range(3).repeat(2)));
        assertArrayEquals(new long[] {0, 1, 0, 1, 0, 1, 0}, longs(Dataset.range(2).repeat().take(7)));
        assertArrayEquals(new long[] {}, longs(Dataset.range(0).repeat()), "an empty dataset repeated forever is empty");
        assertArrayEquals(new long[] {}, longs(Dataset.range(3).repeat(0)));
    }

    @Test
    void zipPairsElementsAndEndsWithTheShortest() {
        List<List<Object>> pairs = Dataset.zip(Dataset.range(3), Dataset.range(10, 15)).toList();
        assertEquals(3, pairs.size());
        assertEquals(2L, ((Tensor) pairs.get(2).get(0)).longValue());
        assertEquals(12L, ((Tensor) pairs.get(2).get(1)).longValue());
    }

    @Test
    void zipNestsTupleElements() {
        Dataset<List<Tensor>> xy = Dataset.fromTensorSlices(Tf.constant(new int[] {1, 2}), Tf.constant(new int[] {3, 4}));
        List<List<Object>> nested = Dataset.zip(xy, Dataset.range(2)).toList();
        @SuppressWarnings("unchecked")
        List<Tensor> inner = (List<Tensor>) nested.get(1).get(0);
        assertEquals(4, inner.get(1).intValue());
        assertEquals("[[TensorSpec(shape=(), dtype=int32), TensorSpec(shape=(), dtype=int32)], TensorSpec(shape=(), dtype=int64)]",
                Dataset.zip(xy, Dataset.range(2)).elementSpec().toString());
    }

    @Test
    void concatenateRunsOneAfterTheOtherAndWidensTheSpec() {
        assertArrayEquals(new long[] {0, 1, 2, 10, 11}, longs(Dataset.range(3).concatenate(Dataset.range(10, 12))));
        Dataset<Tensor> a = Dataset.fromTensors(Tf.constant(new float[] {1, 2}));
        Dataset<Tensor> b = Dataset.fromTensors(Tf.constant(new float[] {1, 2, 3}));
        assertEquals(ElementSpec.of(DType.FLOAT32, "?"), a.concatenate(b).elementSpec());
        assertEquals(2, a.concatenate(b).toList().size());
        Dataset<Tensor> ints = Dataset.fromTensors(Tf.constant(new int[] {1, 2}));
        TfException e = assertThrows(TfException.class, () -> a.concatenate(ints).elementSpec());
        assertTrue(e.getMessage().contains("float32") && e.getMessage().contains("int32"), e.getMessage());
    }

    @Test
    void enumeratePairsEachElementWithItsIndex() {
        List<List<Object>> e = Dataset.fromTensorSlices(Tf.constant(new String[] {"a", "b"})).enumerate(5).toList();
        assertEquals(6L, ((Tensor) e.get(1).get(0)).longValue());
        assertEquals("b", ((Tensor) e.get(1).get(1)).stringValue());
    }

    @Test
    void interleaveFollowsTensorFlowsCycleOrder() {
        // The example of tf.data.Dataset.interleave's documentation.
        Dataset<Tensor> ds = Dataset.range(1, 6).interleave(x -> Dataset.fromTensors(x).repeat(6), 2, 4);
        assertArrayEquals(new long[] {1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 3, 3, 4, 4, 5, 5, 5, 5, 5, 5},
                longs(ds));
        // cycle_length 1 is flat_map.
        assertArrayEquals(new long[] {0, 0, 1, 0, 1, 2}, longs(Dataset.range(1, 4).interleave(x -> Dataset.range(x.longValue()), 1, 1)));
    }

    @Test
    void cacheKeepsOnlyACompletePass() {
        AtomicInteger passes = new AtomicInteger();
        Dataset<Tensor> cached = Dataset.<Tensor>fromGenerator(() -> {
            passes.incrementAndGet();
            return List.<Object>of(1L, 2L, 3L).iterator();
        }, ElementSpec.of(DType.INT64)).cache();
        assertArrayEquals(new long[] {1}, longs(cached.take(1)));
        assertArrayEquals(new long[] {1, 2, 3}, longs(cached));
        assertArrayEquals(new long[] {1, 2, 3}, longs(cached));
        assertArrayEquals(new long[] {1, 2, 3, 1, 2, 3}, longs(cached.repeat(2)));
        assertEquals(2, passes.get(), "the partial first pass cached nothing; the second filled the cache");
    }

    @Test
    void reduceFoldsWithATracedFunction() {
        Tensor sum = Dataset.range(5).reduce(Tf.constant(0L), (s, x) -> s.add(x));
        assertEquals(10L, sum.longValue());
        List<Tensor> sumAndCount = Dataset.range(1, 4).reduce(List.of(Tf.constant(0L), Tf.constant(0L)),
                (s, x) -> List.of(s.get(0).add(x.mul(x)), s.get(1).add(1L)));
        assertEquals(14L, sumAndCount.get(0).longValue());
        assertEquals(3L, sumAndCount.get(1).longValue());
        assertEquals(7L, Dataset.range(0).reduce(Tf.constant(7L), (s, x) -> s.add(x)).longValue(), "no elements: the initial state");
    }
}
