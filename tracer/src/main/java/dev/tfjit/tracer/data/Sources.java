package dev.tfjit.tracer.data;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TfException;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorSpec;
import dev.tfjit.tracer.Tf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/** Where elements come from: tensors, ranges, Java iterables and generators, text files. */
final class Sources {
    private Sources() {}

    static <E> Dataset<E> tensors(E element) {
        Structure s = Structure.of(element);
        List<Tensor> flat = s.flatten(element);
        ElementSpec spec = new ElementSpec(s, flat.stream().map(TensorSpec::of).toList());
        return new Dataset<>(spec, o -> new ElementIterator() {
            boolean done;

            @Override
            public List<Tensor> next() {
                if (done) return null;
                done = true;
                return flat;
            }
        });
    }

    static <E> Dataset<E> tensorSlices(E element) {
        Structure s = Structure.of(element);
        List<Tensor> flat = s.flatten(element);
        if (flat.isEmpty()) throw new TfException("Dataset.fromTensorSlices needs at least one tensor");
        long n = -1;
        List<TensorSpec> specs = new ArrayList<>();
        for (Tensor t : flat) {
            if (t.isSymbolic()) throw new TfException("Dataset.fromTensorSlices needs eager tensors, got a symbolic one while tracing");
            if (t.rank() == 0) {
                throw new InvalidArgumentError("Dataset.fromTensorSlices: Unbatching a tensor is only supported for rank >= 1, got a scalar "
                        + t.dtype() + " tensor");
            }
            int d0 = t.shape().dim(0);
            if (n >= 0 && d0 != n) {
                throw new InvalidArgumentError("Dataset.fromTensorSlices: Dimensions " + n + " and " + d0 + " are not compatible: all "
                        + "tensors must have the same size in their first dim, got shapes "
                        + flat.stream().map(x -> x.shape().toString()).toList());
            }
            n = d0;
            int[] rest = java.util.Arrays.copyOfRange(t.shape().dims(), 1, t.rank());
            specs.add(new TensorSpec(t.dtype(), Shape.of(rest)));
        }
        long count = n;
        return new Dataset<>(new ElementSpec(s, specs), o -> new ElementIterator() {
            int i;

            @Override
            public List<Tensor> next() {
                if (i >= count) return null;
                List<Tensor> out = new ArrayList<>(flat.size());
                for (Tensor t : flat) out.add(Rows.row(t, i));
                i++;
                return out;
            }
        });
    }

    static Dataset<Tensor> range(long start, long stop, long step) {
        if (step == 0) throw new InvalidArgumentError("Dataset.range: step must not be 0");
        return new Dataset<>(ElementSpec.of(DType.INT64), o -> new ElementIterator() {
            long next = start;

            @Override
            public List<Tensor> next() {
                if (step > 0 ? next >= stop : next <= stop) return null;
                Tensor t = Tf.constant(next);
                next += step;
                return List.of(t);
            }
        });
    }

    static <E> Dataset<E> iterable(Supplier<? extends Iterator<?>> elements, ElementSpec spec) {
        return new Dataset<>(spec, o -> new ElementIterator() {
            final Iterator<?> it = elements.get();
            long index;

            @Override
            public List<Tensor> next() {
                if (!it.hasNext()) return null;
                Object e = it.next();
                long i = index++;
                List<Tensor> flat = new ArrayList<>(spec.components().size());
                try {
                    spec.structure().flattenInto(e, (k, leaf) -> toTensor(leaf, spec.components().get(k)), flat);
                    spec.check(flat, "element " + i);
                } catch (TfException ex) {
                    throw new TfException("Dataset.fromIterable/fromGenerator: element " + i + " does not match the element spec "
                            + spec + ": " + ex.getMessage(), ex);
                }
                return flat;
            }

            @Override
            public void close() {
                if (it instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception ex) {
                        throw new TfException("closing a generator failed: " + ex.getMessage(), ex);
                    }
                }
            }
        });
    }

    /** A tensor from a Java leaf: a tensor as it is, anything else converted to the spec's dtype. */
    private static Tensor toTensor(Object leaf, TensorSpec spec) {
        if (leaf instanceof Tensor t) return t;
        if (leaf == null) throw new TfException("a component is null");
        return Tf.constant(leaf, spec.dtype());
    }

    static Dataset<Tensor> textLines(List<Path> files) {
        return new Dataset<>(ElementSpec.of(DType.STRING), o -> new ElementIterator() {
            int file = -1;
            BufferedReader reader;

            @Override
            public List<Tensor> next() {
                try {
                    while (true) {
                        if (reader == null) {
                            if (++file >= files.size()) return null;
                            reader = Files.newBufferedReader(files.get(file), StandardCharsets.UTF_8);
                        }
                        String line = reader.readLine();
                        if (line != null) return List.of(Tf.constant(line));
                        reader.close();
                        reader = null;
                    }
                } catch (IOException e) {
                    throw new TfException("Dataset.textLines: cannot read " + files.get(file) + ": " + e, e);
                }
            }

            @Override
            public void close() {
                if (reader == null) return;
                try {
                    reader.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
    }
}
