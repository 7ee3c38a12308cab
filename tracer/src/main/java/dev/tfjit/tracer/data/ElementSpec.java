package dev.tfjit.tracer.data;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TfException;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorSpec;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What every element of a dataset looks like, like {@code Dataset.element_spec}: its nesting and
 * the dtype and (possibly partial) shape of each component tensor. Known without running the
 * pipeline, so a train step fed by a dataset can be traced once.
 */
public record ElementSpec(Structure structure, List<TensorSpec> components) {
    public ElementSpec {
        components = List.copyOf(components);
        if (structure.size() != components.size()) {
            throw new IllegalArgumentException("structure " + structure + " has " + structure.size() + " tensors, but "
                    + components.size() + " specs were given");
        }
    }

    /** A single tensor per element. */
    public static ElementSpec of(TensorSpec spec) { return new ElementSpec(Structure.LEAF, List.of(spec)); }

    public static ElementSpec of(DType dtype, Object... dims) { return of(TensorSpec.of(dtype, dims)); }

    /** Tuples of tensors. */
    public static ElementSpec tuple(TensorSpec... specs) {
        return new ElementSpec(new Structure.Tuple(java.util.Collections.nCopies(specs.length, Structure.LEAF)), List.of(specs));
    }

    /** Named tensors. */
    public static ElementSpec dict(Map<String, TensorSpec> specs) {
        return new ElementSpec(new Structure.Dict(List.copyOf(specs.keySet()),
                java.util.Collections.nCopies(specs.size(), Structure.LEAF)), List.copyOf(specs.values()));
    }

    /** The spec of one element, exactly (all dims known). */
    public static ElementSpec ofElement(Object element) {
        Structure s = Structure.of(element);
        return new ElementSpec(s, s.flatten(element).stream().map(TensorSpec::of).toList());
    }

    /** The spec of components with the same nesting as this one. */
    public ElementSpec withComponents(List<TensorSpec> specs) { return new ElementSpec(structure, specs); }

    /** Each component with a leading (batch) dim of size {@code n} ({@link Shape#UNKNOWN} when unknown). */
    public ElementSpec batched(int n) {
        List<TensorSpec> out = new ArrayList<>();
        for (TensorSpec c : components) {
            Shape s = c.shape();
            if (!s.hasRank()) {
                out.add(new TensorSpec(c.dtype(), Shape.unknownRank()));
                continue;
            }
            int[] d = new int[s.rank() + 1];
            d[0] = n;
            System.arraycopy(s.dims(), 0, d, 1, s.rank());
            out.add(new TensorSpec(c.dtype(), Shape.of(d)));
        }
        return withComponents(out);
    }

    /** The spec of the Java element's nesting with these component specs, as a Java object (for printing). */
    public Object asNested() {
        Iterator<TensorSpec> it = components.iterator();
        return nest(structure, it);
    }

    private static Object nest(Structure s, Iterator<TensorSpec> it) {
        return switch (s) {
            case Structure.Leaf l -> it.next();
            case Structure.Tuple t -> t.items().stream().map(x -> nest(x, it)).toList();
            case Structure.Dict d -> {
                var m = new java.util.LinkedHashMap<String, Object>();
                for (int i = 0; i < d.keys().size(); i++) m.put(d.keys().get(i), nest(d.items().get(i), it));
                yield m;
            }
        };
    }

    /** Checks one element's tensors (flat) against this spec; errors say which component and why. */
    void check(List<Tensor> flat, String where) {
        for (int i = 0; i < flat.size(); i++) {
            TensorSpec want = components.get(i);
            Tensor got = flat.get(i);
            if (got.dtype() != want.dtype() || !want.shape().accepts(got.shape())) {
                throw new TfException(where + ": component " + i + " of an element is a " + got.dtype() + " tensor of shape "
                        + got.shape() + ", but the element spec says " + want);
            }
        }
    }

    /** The most specific spec both fit: equal nesting and dtypes, dims that differ become unknown. */
    ElementSpec mostSpecificCommon(ElementSpec other, String what) {
        if (!structure.equals(other.structure)) {
            throw new TfException(what + ": the element specs are not compatible: " + this + " vs " + other);
        }
        List<TensorSpec> out = new ArrayList<>();
        for (int i = 0; i < components.size(); i++) {
            TensorSpec a = components.get(i), b = other.components.get(i);
            if (a.dtype() != b.dtype()) {
                throw new TfException(what + ": the element specs are not compatible: component " + i + " is " + a.dtype()
                        + " in one and " + b.dtype() + " in the other (" + this + " vs " + other + ")");
            }
            out.add(new TensorSpec(a.dtype(), a.shape().mostSpecificCommon(b.shape())));
        }
        return withComponents(out);
    }

    @Override
    public String toString() { return String.valueOf(asNested()); }
}
