package dev.tfjit.tracer.data;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.TfException;
import dev.tfjit.tracer.Tensor;

import java.util.List;

/**
 * interleave as TensorFlow's InterleaveDataset runs it: a cycle of {@code cycleLength} open
 * inner iterators; {@code blockLength} elements from one, then on to the next slot; a slot whose
 * iterator ends is closed and the cycle moves on, refilling empty slots from the input.
 */
final class Interleaving {
    private Interleaving() {}

    @SuppressWarnings("unchecked")
    static <E, R> Dataset<R> interleave(Dataset<E> in, java.util.function.Function<E, Dataset<R>> fn, int cycleLength, int blockLength) {
        if (cycleLength < 1) throw new InvalidArgumentError("Dataset.interleave: cycle_length must be at least 1, got " + cycleLength);
        if (blockLength < 1) throw new InvalidArgumentError("Dataset.interleave: block_length must be at least 1, got " + blockLength);
        Structure inStructure = in.elementSpec().structure();
        java.util.function.Function<List<Tensor>, Dataset<R>> inner = flat -> {
            Dataset<R> d = fn.apply((E) inStructure.unflatten(flat));
            if (d == null) throw new TfException("Dataset.interleave: the function returned null instead of a Dataset");
            return d;
        };
        java.util.function.Supplier<ElementSpec> spec = Dataset.memoize(() -> {
            // The function returns datasets built in Java, so the spec is that of the first one.
            try (ElementIterator it = in.open(Options.DEFAULT)) {
                List<Tensor> first = it.next();
                if (first == null) throw new TfException("Dataset.interleave over an empty dataset: its element spec cannot be known");
                return inner.apply(first).elementSpec();
            }
        });
        return new Dataset<>(spec, o -> new ElementIterator() {
            final ElementIterator up = in.open(o);
            final ElementIterator[] slots = new ElementIterator[cycleLength];
            int cycleIndex;
            int blockIndex;
            int open;
            boolean inputDone;

            @Override
            public List<Tensor> next() {
                while (!inputDone || open > 0) {
                    ElementIterator slot = slots[cycleIndex];
                    if (slot != null) {
                        List<Tensor> e = slot.next();
                        if (e != null) {
                            if (++blockIndex == blockLength) advance();
                            return e;
                        }
                        slot.close();
                        slots[cycleIndex] = null;
                        open--;
                        advance();
                    } else if (!inputDone) {
                        List<Tensor> x = up.next();
                        if (x == null) {
                            inputDone = true;
                        } else {
                            Dataset<R> d = inner.apply(x);
                            spec.get().mostSpecificCommon(d.elementSpec(), "Dataset.interleave");
                            slots[cycleIndex] = d.open(o);
                            open++;
                        }
                    } else {
                        advance();
                    }
                }
                return null;
            }

            private void advance() {
                blockIndex = 0;
                cycleIndex = (cycleIndex + 1) % cycleLength;
            }

            @Override
            public void close() {
                for (int i = 0; i < slots.length; i++) {
                    if (slots[i] != null) slots[i].close();
                    slots[i] = null;
                }
                up.close();
            }
        });
    }
}
