package dev.tfjit.tracer.data;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorSpec;
import dev.tfjit.tracer.Tf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * {@code Dataset.reduce} inside a traced Function, as tf.function stages a loop over a dataset:
 * one {@code while} node whose body is the reduce function traced once, fed by
 * {@code java_function} nodes that open a fresh pass over the pipeline on every call and pull
 * its next element. Elements are never baked into the graph, and the trace does not depend on
 * how many elements there are.
 *
 * <p>The graph calls back into the JVM per element, so such a Function runs where
 * {@code java_function} runs (the interpreter); compiling it natively or ahead of time is
 * refused, as XLA refuses tf.data ops.
 */
final class StagedReduce {
    /** Passes opened by running graphs, by handle; a pass leaves when it is exhausted. */
    private static final Map<Long, ElementIterator> OPEN = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT_HANDLE = new AtomicLong(1);

    private StagedReduce() {}

    static Object reduce(Dataset<?> in, Object initial, BiFunction<Object, Object, Object> fn) {
        Structure stateStructure = Structure.of(initial);
        ElementSpec spec = in.elementSpec();
        List<Tensor> state = stateStructure.flatten(initial);
        int n = state.size();

        Tensor handle = Tf.javaFunction(args -> {
            long h = NEXT_HANDLE.getAndIncrement();
            OPEN.put(h, in.open(Options.DEFAULT));
            return List.of(Tf.constant(h));
        }, List.of(), List.of(DType.INT64), List.of(Shape.SCALAR)).get(0);

        List<Tensor> vars = new ArrayList<>(pull(handle, spec));
        vars.addAll(1, state);
        // Loop vars: [has element, state..., element components...].
        List<Tensor> out = Tf.whileLoop(v -> v.get(0), v -> {
            Object next = fn.apply(stateStructure.unflatten(v.subList(1, 1 + n)),
                    spec.structure().unflatten(v.subList(1 + n, v.size())));
            if (!Structure.of(next).equals(stateStructure)) {
                throw new InvalidArgumentError("Dataset.reduce: the reduce function returned a state of structure "
                        + Structure.of(next) + " but the initial state has structure " + stateStructure);
            }
            List<Tensor> nextState = stateStructure.flatten(next);
            for (int i = 0; i < n; i++) {
                if (nextState.get(i).dtype() != state.get(i).dtype()) {
                    throw new InvalidArgumentError("Dataset.reduce: state component " + i + " changed dtype from "
                            + state.get(i).dtype() + " to " + nextState.get(i).dtype());
                }
            }
            List<Tensor> body = new ArrayList<>(pull(handle, spec));
            body.addAll(1, nextState);
            return body;
        }, vars);
        return stateStructure.unflatten(out.subList(1, 1 + n));
    }

    /**
     * [has element, components...]: the pass's next element, or false and placeholders of the
     * spec's dtypes (unknown dims 0) once it is exhausted, when the pass is closed.
     */
    private static List<Tensor> pull(Tensor handle, ElementSpec spec) {
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
                OPEN.remove(h);
                it.close();
                result.add(Tf.constant(false));
                for (TensorSpec c : spec.components()) result.add(placeholder(c));
            } else {
                result.add(Tf.constant(true));
                result.addAll(element);
            }
            return result;
        }, List.of(handle), dtypes, shapes);
    }

    private static Tensor placeholder(TensorSpec c) {
        if (!c.shape().hasRank()) return Tf.zeros(new int[0], c.dtype());
        int[] dims = new int[c.shape().rank()];
        for (int i = 0; i < dims.length; i++) dims[i] = Math.max(0, c.shape().dim(i));
        return Tf.zeros(dims, c.dtype());
    }

    /** Passes still open (for leak tests). */
    static int openPasses() { return OPEN.size(); }
}
