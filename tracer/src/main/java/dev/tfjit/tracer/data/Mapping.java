package dev.tfjit.tracer.data;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.TfException;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorSpec;

import java.util.List;
import java.util.function.UnaryOperator;

/** map (traced or eager, optionally parallel) and filter. */
final class Mapping {
    private Mapping() {}

    static <R> Dataset<R> traced(Dataset<?> in, java.util.function.Function<Object, Object> fn, int numParallelCalls) {
        checkParallelism(numParallelCalls);
        // Traced when the spec is first needed (building a pipeline stays cheap), once per map.
        var traced = new java.util.concurrent.atomic.AtomicReference<TracedFunction>();
        java.util.function.Supplier<TracedFunction> get = () -> {
            TracedFunction t = traced.get();
            if (t == null) {
                synchronized (traced) {
                    if (traced.get() == null) traced.set(TracedFunction.trace("map_func", in.elementSpec(), fn));
                    t = traced.get();
                }
            }
            return t;
        };
        return new Dataset<>(() -> get.get().outputSpec(), o -> {
            TracedFunction f = get.get();
            return ParallelMap.over(in.open(o), f::call, numParallelCalls, o.deterministic());
        });
    }

    static <R> Dataset<R> eager(Dataset<?> in, java.util.function.Function<Object, Object> fn, int numParallelCalls) {
        checkParallelism(numParallelCalls);
        Structure inStructure = in.elementSpec().structure();
        Structure[] outStructure = new Structure[1];
        UnaryOperator<List<Tensor>> apply = flat -> {
            Object r = fn.apply(inStructure.unflatten(flat));
            if (r instanceof Tensor[] arr) r = List.of(arr);
            Structure s = Structure.of(r);
            if (outStructure[0] != null && !outStructure[0].equals(s)) {
                throw new InvalidArgumentError("Dataset.mapEagerly: the function returned elements of different structures: "
                        + outStructure[0] + " and " + s);
            }
            return s.flatten(r);
        };
        java.util.function.Supplier<ElementSpec> spec = () -> {
            // The function is plain Java, so its result's structure is only known by running it once.
            try (ElementIterator it = in.open(Options.DEFAULT)) {
                List<Tensor> first = it.next();
                if (first == null) {
                    throw new TfException("Dataset.mapEagerly over an empty dataset: its element spec cannot be known; use map");
                }
                Object r = fn.apply(inStructure.unflatten(first));
                if (r instanceof Tensor[] arr) r = List.of(arr);
                outStructure[0] = Structure.of(r);
                return ElementSpec.ofElement(r);
            }
        };
        return new Dataset<>(spec, o -> ParallelMap.over(in.open(o), apply, numParallelCalls, o.deterministic()));
    }

    static <E> Dataset<E> filter(Dataset<E> in, java.util.function.Function<Object, Object> predicate) {
        var holder = new java.util.concurrent.atomic.AtomicReference<TracedFunction>();
        java.util.function.Supplier<TracedFunction> get = () -> {
            synchronized (holder) {
                if (holder.get() == null) {
                    TracedFunction t = TracedFunction.trace("predicate", in.elementSpec(), predicate);
                    List<TensorSpec> out = t.outputSpec().components();
                    if (out.size() != 1 || out.get(0).dtype() != DType.BOOL || !out.get(0).shape().hasRank() || out.get(0).shape().rank() != 0) {
                        throw new InvalidArgumentError("Dataset.filter: `predicate` return type must be convertible to a scalar boolean "
                                + "tensor. Was " + t.outputSpec() + ".");
                    }
                    holder.set(t);
                }
                return holder.get();
            }
        };
        return new Dataset<>(in::elementSpec, o -> {
            TracedFunction f = get.get();
            ElementIterator up = in.open(o);
            return new ElementIterator() {
                @Override
                public List<Tensor> next() {
                    for (List<Tensor> e = up.next(); e != null; e = up.next()) {
                        if (f.call(e).get(0).booleanValue()) return e;
                    }
                    return null;
                }

                @Override
                public void close() { up.close(); }
            };
        });
    }

    private static void checkParallelism(int n) {
        if (n < 1) throw new InvalidArgumentError("num_parallel_calls must be at least 1, got " + n);
    }
}
