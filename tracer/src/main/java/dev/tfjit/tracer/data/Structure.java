package dev.tfjit.tracer.data;

import dev.tfjit.ir.TfException;
import dev.tfjit.tracer.Tensor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The nesting of a dataset element, like {@code tf.nest}: a single tensor, a tuple (a Java
 * {@link List}) or a dict (a Java {@link Map} with String keys), nested freely. The pipeline
 * works on the flat list of component tensors; this puts the nesting back for the user.
 */
public sealed interface Structure permits Structure.Leaf, Structure.Tuple, Structure.Dict {
    /** One tensor. */
    record Leaf() implements Structure {}

    /** A tuple of elements, seen in Java as a {@code List}. */
    record Tuple(List<Structure> items) implements Structure {
        public Tuple { items = List.copyOf(items); }
    }

    /** Named elements, seen in Java as a {@code Map<String, ...>} that keeps key order. */
    record Dict(List<String> keys, List<Structure> items) implements Structure {
        public Dict { keys = List.copyOf(keys); items = List.copyOf(items); }
    }

    Leaf LEAF = new Leaf();

    /** The structure of a Java element made of tensors, lists and string-keyed maps. */
    static Structure of(Object element) {
        return switch (element) {
            case Tensor t -> LEAF;
            case List<?> l -> new Tuple(l.stream().map(Structure::of).toList());
            case Map<?, ?> m -> {
                List<String> keys = new ArrayList<>();
                List<Structure> items = new ArrayList<>();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!(e.getKey() instanceof String k)) throw new TfException("a dataset element's map keys must be Strings, got " + e.getKey());
                    keys.add(k);
                    items.add(of(e.getValue()));
                }
                yield new Dict(keys, items);
            }
            case null -> throw new TfException("a dataset element cannot be null; use tensors, lists of tensors or maps of tensors");
            default -> throw new TfException("a dataset element is a Tensor, a List or a Map<String, ?> of them, got "
                    + element.getClass().getName());
        };
    }

    /** How many tensors an element of this structure has. */
    default int size() {
        return switch (this) {
            case Leaf l -> 1;
            case Tuple t -> t.items().stream().mapToInt(Structure::size).sum();
            case Dict d -> d.items().stream().mapToInt(Structure::size).sum();
        };
    }

    /** The element's tensors, depth first. */
    default List<Tensor> flatten(Object element) {
        List<Tensor> out = new ArrayList<>(size());
        flattenInto(element, (s, leaf) -> {
            if (leaf instanceof Tensor t) return t;
            throw new TfException("expected a Tensor in a dataset element, got " + (leaf == null ? "null" : leaf.getClass().getName()));
        }, out);
        return out;
    }

    /**
     * The element's leaves, depth first, each made a tensor by {@code toTensor} (given the leaf's
     * position in the flat list and the Java value); the element must have this structure.
     */
    default void flattenInto(Object element, BiFunction<Integer, Object, Tensor> toTensor, List<Tensor> out) {
        switch (this) {
            case Leaf l -> out.add(toTensor.apply(out.size(), element));
            case Tuple t -> {
                if (!(element instanceof List<?> list) || list.size() != t.items().size()) {
                    throw new TfException("the element " + describe(element) + " does not have the structure " + this);
                }
                for (int i = 0; i < list.size(); i++) t.items().get(i).flattenInto(list.get(i), toTensor, out);
            }
            case Dict d -> {
                if (!(element instanceof Map<?, ?> map) || map.size() != d.keys().size()) {
                    throw new TfException("the element " + describe(element) + " does not have the structure " + this);
                }
                for (int i = 0; i < d.keys().size(); i++) {
                    if (!map.containsKey(d.keys().get(i))) {
                        throw new TfException("the element " + describe(element) + " has no key '" + d.keys().get(i) + "'");
                    }
                    d.items().get(i).flattenInto(map.get(d.keys().get(i)), toTensor, out);
                }
            }
        }
    }

    /** Builds the Java element from its tensors, depth first. */
    default Object unflatten(Iterator<Tensor> flat) {
        return switch (this) {
            case Leaf l -> flat.next();
            case Tuple t -> {
                List<Object> items = new ArrayList<>(t.items().size());
                for (Structure s : t.items()) items.add(s.unflatten(flat));
                yield List.copyOf(items);
            }
            case Dict d -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < d.keys().size(); i++) m.put(d.keys().get(i), d.items().get(i).unflatten(flat));
                yield java.util.Collections.unmodifiableMap(m);
            }
        };
    }

    default Object unflatten(List<Tensor> flat) { return unflatten(flat.iterator()); }

    private static String describe(Object o) {
        return o == null ? "null" : o instanceof Tensor t ? "Tensor" + t.shape() : o.getClass().getSimpleName();
    }
}
