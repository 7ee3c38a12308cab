package dev.tfjit.tracer.data;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.TfException;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorSpec;
import dev.tfjit.tracer.Tf;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** Transformations that reorder, count or join whole elements: take, skip, repeat, zip, concatenate, enumerate, reduce. */
final class Combining {
    private Combining() {}

    static <E> Dataset<E> take(Dataset<E> in, long n) {
        return new Dataset<>(in::elementSpec, o -> new ElementIterator() {
            final ElementIterator up = in.open(o);
            long taken;

            @Override
            public List<Tensor> next() {
                if (n >= 0 && taken >= n) return null;
                taken++;
                return up.next();
            }

            @Override
            public void close() { up.close(); }
        });
    }

    static <E> Dataset<E> skip(Dataset<E> in, long n) {
        return new Dataset<>(in::elementSpec, o -> new ElementIterator() {
            final ElementIterator up = in.open(o);
            boolean skipped;

            @Override
            public List<Tensor> next() {
                if (!skipped) {
                    skipped = true;
                    for (long i = 0; n < 0 || i < n; i++) if (up.next() == null) return null;
                }
                return up.next();
            }

            @Override
            public void close() { up.close(); }
        });
    }

    static <E> Dataset<E> repeat(Dataset<E> in, long count) {
        return new Dataset<>(in::elementSpec, o -> new ElementIterator() {
            ElementIterator up;
            long pass;
            boolean passHadElements;

            @Override
            public List<Tensor> next() {
                while (count < 0 || pass < count) {
                    if (up == null) {
                        up = in.open(o);
                        passHadElements = false;
                    }
                    List<Tensor> e = up.next();
                    if (e != null) {
                        passHadElements = true;
                        return e;
                    }
                    up.close();
                    up = null;
                    pass++;
                    // An empty input repeated forever would spin: it ends, as in TensorFlow.
                    if (!passHadElements) return null;
                }
                return null;
            }

            @Override
            public void close() { if (up != null) up.close(); }
        });
    }

    static Dataset<List<Object>> zip(List<Dataset<?>> datasets) {
        if (datasets.isEmpty()) throw new TfException("Dataset.zip needs at least one dataset");
        return new Dataset<>(() -> {
            List<Structure> structures = new ArrayList<>();
            List<TensorSpec> specs = new ArrayList<>();
            for (Dataset<?> d : datasets) {
                structures.add(d.elementSpec().structure());
                specs.addAll(d.elementSpec().components());
            }
            return new ElementSpec(new Structure.Tuple(structures), specs);
        }, o -> new ElementIterator() {
            final List<ElementIterator> ups = new ArrayList<>();

            {
                for (Dataset<?> d : datasets) ups.add(d.open(o));
            }

            @Override
            public List<Tensor> next() {
                List<Tensor> out = new ArrayList<>();
                for (ElementIterator up : ups) {
                    List<Tensor> e = up.next();
                    if (e == null) return null;
                    out.addAll(e);
                }
                return out;
            }

            @Override
            public void close() { for (ElementIterator up : ups) up.close(); }
        });
    }

    static <E> Dataset<E> concatenate(Dataset<E> a, Dataset<E> b) {
        return new Dataset<>(() -> a.elementSpec().mostSpecificCommon(b.elementSpec(), "Dataset.concatenate"), o -> new ElementIterator() {
            ElementIterator up = a.open(o);
            boolean second;

            @Override
            public List<Tensor> next() {
                List<Tensor> e = up.next();
                if (e != null || second) return e;
                up.close();
                up = b.open(o);
                second = true;
                return up.next();
            }

            @Override
            public void close() { up.close(); }
        });
    }

    static Dataset<List<Object>> enumerate(Dataset<?> in, long start) {
        return new Dataset<>(() -> {
            ElementSpec s = in.elementSpec();
            List<TensorSpec> specs = new ArrayList<>();
            specs.add(TensorSpec.of(DType.INT64));
            specs.addAll(s.components());
            return new ElementSpec(new Structure.Tuple(List.of(Structure.LEAF, s.structure())), specs);
        }, o -> new ElementIterator() {
            final ElementIterator up = in.open(o);
            long i = start;

            @Override
            public List<Tensor> next() {
                List<Tensor> e = up.next();
                if (e == null) return null;
                List<Tensor> out = new ArrayList<>(e.size() + 1);
                out.add(Tf.constant(i++));
                out.addAll(e);
                return out;
            }

            @Override
            public void close() { up.close(); }
        });
    }

    static Object reduce(Dataset<?> in, Object initial, BiFunction<Object, Object, Object> fn) {
        if (!Tf.executingEagerly()) return StagedReduce.reduce(in, initial, fn);
        Structure stateStructure = Structure.of(initial);
        Structure elementStructure = in.elementSpec().structure();
        Function step = Function.of((List<Tensor> state, List<Tensor> element) -> {
            Object next = fn.apply(stateStructure.unflatten(state), elementStructure.unflatten(element));
            if (!Structure.of(next).equals(stateStructure)) {
                throw new InvalidArgumentError("Dataset.reduce: the reduce function returned a state of structure "
                        + Structure.of(next) + " but the initial state has structure " + stateStructure);
            }
            return stateStructure.flatten(next);
        }).named("reduce_func");
        List<Tensor> state = stateStructure.flatten(initial);
        try (ElementIterator it = in.open(Options.DEFAULT)) {
            for (List<Tensor> e = it.next(); e != null; e = it.next()) {
                List<Tensor> next = step.callAll(state, e);
                for (int i = 0; i < next.size(); i++) {
                    if (next.get(i).dtype() != state.get(i).dtype()) {
                        throw new InvalidArgumentError("Dataset.reduce: state component " + i + " changed dtype from "
                                + state.get(i).dtype() + " to " + next.get(i).dtype());
                    }
                }
                state = next;
            }
        }
        return stateStructure.unflatten(state);
    }
}
