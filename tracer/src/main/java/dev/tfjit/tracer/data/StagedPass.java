package dev.tfjit.tracer.data;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorSpec;
import dev.tfjit.tracer.Tf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pass over a dataset staged in a traced graph, as tf.function stages a loop over a dataset:
 * {@code java_function} nodes that open a fresh pass over the pipeline each time the graph runs
 * ({@link #open}), pull its next element ({@link #pull}) and drop it ({@link #close}). Elements are
 * never baked into the graph, and the trace does not depend on how many there are.
 * {@code Dataset.reduce} and AutoGraph's {@code for (var element : dataset)} stage their
 * {@code while} loops with it.
 *
 * <p>The graph calls back into the JVM per element, so such a function runs where
 * {@code java_function} runs (the interpreter); compiling it natively or ahead of time is
 * refused, as XLA refuses tf.data ops.
 */
public final class StagedPass {
    /** Passes opened by running graphs, by handle; a pass leaves when it is exhausted or closed. */
    private static final Map<Long, ElementIterator> OPEN = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT_HANDLE = new AtomicLong(1);

    private final Tensor handle;
    private final ElementSpec spec;

    private StagedPass(Tensor handle, ElementSpec spec) {
        this.handle = handle;
        this.spec = spec;
    }

    /** Stages the opening of a pass over {@code in}: each run of the graph starts from its first element. */
    public static StagedPass open(Dataset<?> in) {
        Tensor handle = Tf.javaFunction(args -> {
            long h = NEXT_HANDLE.getAndIncrement();
            OPEN.put(h, in.open(Options.DEFAULT));
            return List.of(Tf.constant(h));
        }, List.of(), List.of(DType.INT64), List.of(Shape.SCALAR)).get(0);
        return new StagedPass(handle, in.elementSpec());
    }

    public ElementSpec elementSpec() { return spec; }

    /**
     * Stages a pull of the next element: [has element, components...], the components typed by the
     * element spec. Once the pass is exhausted it is closed and the result is false with
     * placeholders (zeros, unknown dims 0).
     */
    public List<Tensor> pull() {
        List<DType> dtypes = new ArrayList<>(List.of(DType.BOOL));
        List<Shape> shapes = new ArrayList<>(List.of(Shape.SCALAR));
        for (TensorSpec c : spec.components()) {
            dtypes.add(c.dtype());
            shapes.add(c.shape());
        }
        return Tf.javaFunction(args -> {
            long h = args.get(0).longValue();
            ElementIterator it = OPEN.get(h);
            if (it == null) throw new IllegalStateException("dataset pass " + h + " is not open");
            List<Tensor> element = it.next();
            List<Tensor> result = new ArrayList<>();
            if (element == null) {
                close(h);
                result.add(Tf.constant(false));
                for (TensorSpec c : spec.components()) result.add(placeholder(c));
            } else {
                result.add(Tf.constant(true));
                result.addAll(element);
            }
            return result;
        }, List.of(handle), dtypes, shapes);
    }

    /**
     * Stages the end of the pass (a loop left by {@code break} before the last element): it stops the
     * pipeline's threads and frees its buffers. {@code after} orders it after the loop that pulls.
     */
    public void close(Tensor after) {
        Tf.javaFunction(args -> {
            close(args.get(0).longValue());
            return List.of();
        }, List.of(handle, after), List.of(), List.of());
    }

    /** The element a flat list of components stands for (a tensor, a list, a map). */
    public Object element(List<Tensor> components) { return spec.structure().unflatten(components); }

    private static void close(long h) {
        ElementIterator it = OPEN.remove(h);
        if (it != null) it.close();
    }

    private static Tensor placeholder(TensorSpec c) {
        if (!c.shape().hasRank()) return Tf.zeros(new int[0], c.dtype());
        int[] dims = new int[c.shape().rank()];
        for (int i = 0; i < dims.length; i++) dims[i] = Math.max(0, c.shape().dim(i));
        return Tf.zeros(dims, c.dtype());
    }

    /** Passes still open (for leak tests). */
    public static int openPasses() { return OPEN.size(); }
}
