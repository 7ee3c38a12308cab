package dev.tfjit.tracer.data;

import dev.tfjit.tracer.Tensor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * cache in memory: the first pass that reaches the end keeps its elements, and later passes read
 * them instead of running the upstream pipeline. A pass stopped early keeps nothing, so the cache
 * never holds a partial epoch.
 */
final class Caching {
    private Caching() {}

    static <E> Dataset<E> cache(Dataset<E> in) {
        AtomicReference<List<List<Tensor>>> cached = new AtomicReference<>();
        return new Dataset<>(in::elementSpec, o -> {
            List<List<Tensor>> done = cached.get();
            if (done != null) {
                Iterator<List<Tensor>> it = done.iterator();
                return () -> it.hasNext() ? it.next() : null;
            }
            ElementIterator up = in.open(o);
            return new ElementIterator() {
                final List<List<Tensor>> recorded = new ArrayList<>();

                @Override
                public List<Tensor> next() {
                    List<Tensor> e = up.next();
                    if (e == null) cached.compareAndSet(null, List.copyOf(recorded));
                    else recorded.add(e);
                    return e;
                }

                @Override
                public void close() { up.close(); }
            };
        });
    }
}
