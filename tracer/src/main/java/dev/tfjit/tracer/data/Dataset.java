package dev.tfjit.tracer.data;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TfException;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorSpec;
import dev.tfjit.tracer.Tf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * An input pipeline like {@code tf.data.Dataset}: a source of elements (a tensor, a list of
 * tensors or a map of named tensors) and transformations, run lazily when iterated. A dataset
 * is immutable and may be iterated any number of times; each pass runs the pipeline anew.
 *
 * <pre>{@code
 * Dataset<List<Tensor>> train = Dataset.fromTensorSlices(images, labels)
 *         .shuffle(10_000, 42).batch(256).prefetch(2);
 * for (List<Tensor> batch : train) step.call(batch.get(0), batch.get(1));
 * }</pre>
 *
 * Functions given to {@link #map} and {@link #filter} are traced once into a graph, as tf.data
 * does; {@link #mapEagerly} runs plain Java per element instead.
 */
public final class Dataset<E> implements Iterable<E> {
    private final Supplier<ElementSpec> spec;
    private final Source source;

    Dataset(ElementSpec spec, Source source) { this(() -> spec, source); }

    Dataset(Supplier<ElementSpec> lazySpec, Source source) {
        this.spec = memoize(lazySpec);
        this.source = source;
    }

    // ------------------------------------------------------------ sources

    /** Slices a tensor along its first dim: {@code tf.data.Dataset.from_tensor_slices(t)}. */
    public static Dataset<Tensor> fromTensorSlices(Tensor t) { return Sources.tensorSlices(t); }

    /** Slices several tensors together into tuples; their first dims must be equal. */
    public static Dataset<List<Tensor>> fromTensorSlices(Tensor first, Tensor... rest) {
        List<Tensor> all = new ArrayList<>();
        all.add(first);
        all.addAll(List.of(rest));
        return Sources.tensorSlices(all);
    }

    /** Slices a nested element (lists and maps of tensors) along the first dim of every tensor. */
    public static <E> Dataset<E> fromTensorSlices(E element) { return Sources.tensorSlices(element); }

    /** One element: {@code from_tensors}. */
    public static <E> Dataset<E> fromTensors(E element) { return Sources.tensors(element); }

    /** int64 scalars {@code 0, 1, ..., stop-1}: {@code Dataset.range(stop)}. */
    public static Dataset<Tensor> range(long stop) { return range(0, stop, 1); }

    public static Dataset<Tensor> range(long start, long stop) { return range(start, stop, 1); }

    public static Dataset<Tensor> range(long start, long stop, long step) { return Sources.range(start, stop, step); }

    /**
     * Elements from a Java collection (or any Iterable, iterated once per pass), each a tensor or
     * a Java number/array converted to the spec's dtype, nested as the spec says. Elements that do
     * not fit the spec are errors naming the element and component.
     */
    public static <E> Dataset<E> fromIterable(Iterable<?> elements, ElementSpec spec) { return Sources.iterable(elements::iterator, spec); }

    /** Elements from a generator: each pass calls {@code generator} for a fresh iterator, like {@code from_generator}. */
    public static <E> Dataset<E> fromGenerator(Supplier<? extends Iterator<?>> generator, ElementSpec spec) {
        return Sources.iterable(generator, spec);
    }

    /** The lines of text files as string scalars, without line endings: {@code tf.data.TextLineDataset}. */
    public static Dataset<Tensor> textLines(Path... files) { return Sources.textLines(List.of(files)); }

    /** The rows (first-dim slices) of a NumPy {@code .npy} file. */
    public static Dataset<Tensor> fromNpy(Path file) { return fromTensorSlices(Tf.load(file)); }

    /** Each {@code .npy} file as one element, read when the pass reaches it; all must have the spec's dtype and shape. */
    public static Dataset<Tensor> fromNpyFiles(List<Path> files, TensorSpec spec) {
        return Sources.iterable(() -> files.stream().map(p -> (Object) Tf.load(p)).iterator(), ElementSpec.of(spec));
    }

    /** Elements of several datasets side by side, as tuples; ends with the shortest: {@code Dataset.zip}. */
    public static Dataset<List<Object>> zip(Dataset<?>... datasets) { return Combining.zip(List.of(datasets)); }

    // ------------------------------------------------------------ the element spec and iteration

    /** Each element's nesting, dtypes and shapes (batch dims may be unknown), known without running the pipeline. */
    public ElementSpec elementSpec() { return spec.get(); }

    /**
     * A new pass over the elements. Inside a traced Function this is refused: the elements would be
     * baked into the graph as constants. AutoGraph stages a {@code for} loop over a dataset instead
     * (see {@link StagedPass}).
     */
    @Override
    public DatasetIterator<E> iterator() { return iterator(Options.DEFAULT); }

    DatasetIterator<E> iterator(Options options) {
        if (!Tf.executingEagerly()) {
            throw new TfException("a Dataset cannot be iterated with a Java loop in code that AutoGraph did not convert, while a "
                    + "Function is traced: its elements would be baked into the graph as constants. AutoGraph stages "
                    + "for (var element : dataset) in the code of a Function.of lambda (with the autograph module on the class path), "
                    + "Autograph.function or a @TfFunction method, not in the methods they call; else use "
                    + "dataset.reduce(initialState, fn), which stages the loop too, or iterate in eager code and pass each batch to "
                    + "the Function as arguments");
        }
        return new DatasetIterator<>(elementSpec().structure(), source.open(options));
    }

    ElementIterator open(Options options) { return source.open(options); }

    /** All elements in a list (for small datasets and tests). */
    public List<E> toList() {
        List<E> out = new ArrayList<>();
        try (DatasetIterator<E> it = iterator()) {
            while (it.hasNext()) out.add(it.next());
        }
        return out;
    }

    /** The same pipeline with pipeline-wide options (determinism of parallel map). */
    public Dataset<E> withOptions(Options options) { return new Dataset<>(spec, o -> source.open(options)); }

    // ------------------------------------------------------------ element-wise transformations

    /** {@code map}: {@code fn} is traced once for the element spec and its graph runs for each element. */
    public <R> Dataset<R> map(java.util.function.Function<E, R> fn) { return map(fn, 1); }

    /** {@code map(fn, num_parallel_calls=n)}: {@code n} elements are computed at once on a small pool. */
    @SuppressWarnings("unchecked")
    public <R> Dataset<R> map(java.util.function.Function<E, R> fn, int numParallelCalls) {
        return Mapping.traced(this, (java.util.function.Function<Object, Object>) fn, numParallelCalls);
    }

    /**
     * Like {@link #map}, but {@code fn} runs as plain Java on eager tensors for every element (it may
     * read values). Its element spec comes from running the pipeline for one element.
     */
    @SuppressWarnings("unchecked")
    public <R> Dataset<R> mapEagerly(java.util.function.Function<E, R> fn, int numParallelCalls) {
        return Mapping.eager(this, (java.util.function.Function<Object, Object>) fn, numParallelCalls);
    }

    public <R> Dataset<R> mapEagerly(java.util.function.Function<E, R> fn) { return mapEagerly(fn, 1); }

    /** Keeps the elements for which the traced {@code predicate} gives a true bool scalar. */
    @SuppressWarnings("unchecked")
    public Dataset<E> filter(java.util.function.Function<E, Tensor> predicate) {
        return Mapping.filter(this, (java.util.function.Function<Object, Object>) (Object) predicate);
    }

    /** Pairs each element with its int64 index: {@code (i, element)}. */
    public Dataset<List<Object>> enumerate() { return enumerate(0); }

    public Dataset<List<Object>> enumerate(long start) { return Combining.enumerate(this, start); }

    // ------------------------------------------------------------ batching

    /** Stacks {@code n} consecutive elements; the last batch may be smaller unless {@code dropRemainder}. */
    public Dataset<E> batch(int n) { return batch(n, false); }

    public Dataset<E> batch(int n, boolean dropRemainder) { return Batching.batch(this, n, dropRemainder); }

    /** Batches elements of different shapes, padding each component with zeros ("" for strings) to the largest in the batch. */
    public Dataset<E> paddedBatch(int n) { return paddedBatch(n, null, null, false); }

    /**
     * {@code padded_batch}: {@code paddedShapes} (null, or one shape per component whose unknown dims
     * pad to the batch's largest) and {@code paddingValues} (null, or one number/string per component).
     */
    public Dataset<E> paddedBatch(int n, List<Shape> paddedShapes, List<Object> paddingValues, boolean dropRemainder) {
        return Batching.paddedBatch(this, n, paddedShapes, paddingValues, dropRemainder);
    }

    /** Splits each element along its first dim: the inverse of batch. */
    public Dataset<E> unbatch() { return Batching.unbatch(this); }

    // ------------------------------------------------------------ order and count

    /**
     * {@code shuffle(buffer_size, seed)}: fills a buffer with the first {@code bufferSize} elements,
     * then repeatedly hands out a random buffered element and puts the next input in its place. Each
     * pass reshuffles, and the same seed gives the same sequence of orders.
     */
    public Dataset<E> shuffle(int bufferSize, long seed) { return Shuffling.shuffle(this, bufferSize, seed, true); }

    public Dataset<E> shuffle(int bufferSize, long seed, boolean reshuffleEachIteration) {
        return Shuffling.shuffle(this, bufferSize, seed, reshuffleEachIteration);
    }

    /** Shuffles with a seed drawn from the clock (not reproducible). */
    public Dataset<E> shuffle(int bufferSize) { return shuffle(bufferSize, System.nanoTime(), true); }

    /** Repeats the dataset {@code count} times; -1 repeats forever. */
    public Dataset<E> repeat(long count) { return Combining.repeat(this, count); }

    public Dataset<E> repeat() { return repeat(-1); }

    /** The first {@code n} elements (all of them for -1). */
    public Dataset<E> take(long n) { return Combining.take(this, n); }

    /** All but the first {@code n} elements (none for -1). */
    public Dataset<E> skip(long n) { return Combining.skip(this, n); }

    /** This dataset's elements, then {@code other}'s; dims that differ become unknown in the spec. */
    public Dataset<E> concatenate(Dataset<E> other) { return Combining.concatenate(this, other); }

    /**
     * {@code interleave}: maps {@code cycleLength} input elements to datasets and takes
     * {@code blockLength} elements from each in turn, opening the next input's dataset when one
     * ends. The element spec comes from the first input element's dataset.
     */
    public <R> Dataset<R> interleave(java.util.function.Function<E, Dataset<R>> fn, int cycleLength, int blockLength) {
        return Interleaving.interleave(this, fn, cycleLength, blockLength);
    }

    // ------------------------------------------------------------ performance

    /** Computes up to {@code n} elements ahead on a background thread. */
    public Dataset<E> prefetch(int n) { return Prefetching.prefetch(this, n); }

    /** Keeps the elements of the first complete pass in memory; later passes read them from there. */
    public Dataset<E> cache() { return Caching.cache(this); }

    // ------------------------------------------------------------ consuming

    /**
     * {@code reduce(initial_state, reduce_func)}: folds the elements into a state; {@code fn} is
     * traced (per state signature) and its graph runs for each element. Inside a traced Function
     * the loop is staged (one {@code while} node that pulls a fresh pass over the pipeline on
     * every call), the way tf.function stages a loop over a dataset.
     */
    @SuppressWarnings("unchecked")
    public <S> S reduce(S initial, BiFunction<S, E, S> fn) {
        return (S) Combining.reduce(this, initial, (BiFunction<Object, Object, Object>) (BiFunction<?, ?, ?>) fn);
    }

    // ------------------------------------------------------------ helpers

    static <T> Supplier<T> memoize(Supplier<T> s) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public T get() {
                T v = value;
                if (v == null) {
                    synchronized (this) {
                        if (value == null) value = s.get();
                        v = value;
                    }
                }
                return v;
            }
        };
    }

    @Override
    public String toString() { return "Dataset(element_spec=" + elementSpec() + ")"; }
}
