package dev.tfjit.tracer.data;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorSpec;
import dev.tfjit.tracer.Tf;

import java.util.ArrayList;
import java.util.List;

/** batch, padded_batch and unbatch. */
final class Batching {
    private Batching() {}

    static <E> Dataset<E> batch(Dataset<E> in, int n, boolean dropRemainder) {
        checkBatchSize(n);
        return new Dataset<>(() -> in.elementSpec().batched(dropRemainder ? n : Shape.UNKNOWN), o -> new Batches(in.open(o), n, dropRemainder) {
            @Override
            List<Tensor> combine(List<List<Tensor>> elements) {
                List<Tensor> out = new ArrayList<>();
                for (int c = 0; c < elements.get(0).size(); c++) {
                    List<Tensor> parts = new ArrayList<>(elements.size());
                    Tensor first = elements.get(0).get(c);
                    for (int i = 0; i < elements.size(); i++) {
                        Tensor t = elements.get(i).get(c);
                        if (!t.shape().equals(first.shape())) {
                            throw new InvalidArgumentError("Dataset.batch: Cannot batch tensors with different shapes in component " + c
                                    + ". First element had shape " + first.shape() + " and element " + i + " had shape " + t.shape()
                                    + ". Use paddedBatch to pad them to a common shape");
                        }
                        parts.add(t);
                    }
                    out.add(Tf.stack(parts));
                }
                return out;
            }
        });
    }

    static <E> Dataset<E> paddedBatch(Dataset<E> in, int n, List<Shape> paddedShapes, List<Object> paddingValues, boolean dropRemainder) {
        checkBatchSize(n);
        java.util.function.Supplier<ElementSpec> spec = () -> {
            ElementSpec s = in.elementSpec();
            int k = s.components().size();
            if (paddedShapes != null && paddedShapes.size() != k) {
                throw new InvalidArgumentError("Dataset.paddedBatch: " + paddedShapes.size() + " padded shapes for " + k + " components");
            }
            if (paddingValues != null && paddingValues.size() != k) {
                throw new InvalidArgumentError("Dataset.paddedBatch: " + paddingValues.size() + " padding values for " + k + " components");
            }
            List<TensorSpec> out = new ArrayList<>();
            for (int c = 0; c < k; c++) {
                TensorSpec cs = s.components().get(c);
                Shape target = paddedShapes == null ? Shape.unknownDims(cs.shape().rank()) : paddedShapes.get(c);
                if (target.hasRank() && cs.shape().hasRank() && target.rank() != cs.shape().rank()) {
                    throw new InvalidArgumentError("Dataset.paddedBatch: the padded shape " + target + " of component " + c
                            + " must have the rank of its elements, " + cs.shape());
                }
                out.add(new TensorSpec(cs.dtype(), target));
            }
            return s.withComponents(out).batched(dropRemainder ? n : Shape.UNKNOWN);
        };
        return new Dataset<>(spec, o -> {
            ElementSpec inSpec = in.elementSpec();
            ElementSpec outSpec = spec.get();
            return new Batches(in.open(o), n, dropRemainder) {
                @Override
                List<Tensor> combine(List<List<Tensor>> elements) {
                    List<Tensor> out = new ArrayList<>();
                    for (int c = 0; c < elements.get(0).size(); c++) {
                        DType dtype = inSpec.components().get(c).dtype();
                        Shape declared = outSpec.components().get(c).shape();
                        int rank = elements.get(0).get(c).rank();
                        int[] target = new int[rank];
                        for (Tensor t : column(elements, c)) {
                            for (int d = 0; d < rank; d++) target[d] = Math.max(target[d], t.shape().dim(d));
                        }
                        for (int d = 0; d < rank; d++) {
                            int want = declared.hasRank() ? declared.dim(d + 1) : Shape.UNKNOWN;
                            if (want == Shape.UNKNOWN) continue;
                            if (target[d] > want) {
                                throw new InvalidArgumentError("Dataset.paddedBatch: Attempted to pad to a smaller size than the input "
                                        + "element: component " + c + " dim " + d + " has size " + target[d] + " but the padded shape says " + want);
                            }
                            target[d] = want;
                        }
                        Tensor pad = paddingValue(paddingValues == null ? null : paddingValues.get(c), dtype);
                        List<Tensor> padded = new ArrayList<>();
                        for (Tensor t : column(elements, c)) {
                            int[][] p = new int[rank][2];
                            for (int d = 0; d < rank; d++) p[d][1] = target[d] - t.shape().dim(d);
                            padded.add(rank == 0 ? t : Tf.pad(t, p, "CONSTANT", pad));
                        }
                        out.add(Tf.stack(padded));
                    }
                    return out;
                }
            };
        });
    }

    private static List<Tensor> column(List<List<Tensor>> elements, int c) {
        List<Tensor> out = new ArrayList<>(elements.size());
        for (List<Tensor> e : elements) out.add(e.get(c));
        return out;
    }

    private static Tensor paddingValue(Object v, DType dtype) {
        if (v instanceof Tensor t) return t;
        if (v == null) return dtype == DType.STRING ? Tf.constant("") : Tf.cast(Tf.constant(0), dtype);
        return Tf.constant(v, dtype);
    }

    static <E> Dataset<E> unbatch(Dataset<E> in) {
        java.util.function.Supplier<ElementSpec> spec = () -> {
            ElementSpec s = in.elementSpec();
            List<TensorSpec> out = new ArrayList<>();
            for (TensorSpec c : s.components()) {
                if (c.shape().hasRank() && c.shape().rank() == 0) {
                    throw new InvalidArgumentError("Dataset.unbatch: Unbatching a dataset is only supported for rank >= 1, got " + c);
                }
                out.add(new TensorSpec(c.dtype(), c.shape().hasRank()
                        ? Shape.of(java.util.Arrays.copyOfRange(c.shape().dims(), 1, c.shape().rank())) : Shape.unknownRank()));
            }
            return s.withComponents(out);
        };
        return new Dataset<>(spec, o -> {
            spec.get();
            ElementIterator up = in.open(o);
            return new ElementIterator() {
                List<Tensor> current;
                int index;
                int size;

                @Override
                public List<Tensor> next() {
                    while (current == null || index >= size) {
                        current = up.next();
                        if (current == null) return null;
                        index = 0;
                        size = current.get(0).shape().dim(0);
                        for (Tensor t : current) {
                            if (t.rank() == 0 || t.shape().dim(0) != size) {
                                throw new InvalidArgumentError("Dataset.unbatch: all components of an element must have the same "
                                        + "first dim, got shapes " + current.stream().map(x -> x.shape().toString()).toList());
                            }
                        }
                    }
                    List<Tensor> out = new ArrayList<>(current.size());
                    for (Tensor t : current) out.add(Rows.row(t, index));
                    index++;
                    return out;
                }

                @Override
                public void close() { up.close(); }
            };
        });
    }

    private static void checkBatchSize(int n) {
        if (n < 1) throw new InvalidArgumentError("batch_size must be greater than zero, got " + n);
    }

    /** Collects {@code n} elements at a time and combines them into one. */
    private abstract static class Batches implements ElementIterator {
        private final ElementIterator up;
        private final int n;
        private final boolean dropRemainder;

        Batches(ElementIterator up, int n, boolean dropRemainder) {
            this.up = up;
            this.n = n;
            this.dropRemainder = dropRemainder;
        }

        abstract List<Tensor> combine(List<List<Tensor>> elements);

        @Override
        public List<Tensor> next() {
            List<List<Tensor>> elements = new ArrayList<>(n);
            while (elements.size() < n) {
                List<Tensor> e = up.next();
                if (e == null) break;
                elements.add(e);
            }
            if (elements.isEmpty() || (dropRemainder && elements.size() < n)) return null;
            return combine(elements);
        }

        @Override
        public void close() { up.close(); }
    }
}
