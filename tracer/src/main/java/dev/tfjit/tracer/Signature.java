package dev.tfjit.tracer;

import dev.tfjit.ir.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a call's arguments look like to a {@link Function}'s cache: the dtype and shape of each
 * tensor, the value of each Java argument, the structure of lists. Two calls with equal
 * signatures share one trace.
 */
record Signature(List<Arg> args) {

    /** One argument position. */
    sealed interface Arg permits TensorArg, JavaArg, ListArg {}

    /** A tensor argument: traced as a parameter of this dtype and (possibly partial) shape. */
    record TensorArg(TensorSpec spec) implements Arg {}

    /** A Java value: baked into the trace, compared with equals. */
    record JavaArg(Object value) implements Arg {
        @Override
        public boolean equals(Object o) {
            return o instanceof JavaArg j && Objects.equals(value, j.value)
                    && (value == null || value.getClass() == j.value.getClass());
        }

        @Override
        public int hashCode() { return Objects.hashCode(value); }
    }

    /** A list or array of tensors and values. */
    record ListArg(List<Arg> items) implements Arg {}

    /** The signature of actual arguments (a TensorSpec argument stands for any tensor it accepts). */
    static Signature of(Object[] args) {
        List<Arg> a = new ArrayList<>(args.length);
        for (Object o : args) a.add(arg(o));
        return new Signature(a);
    }

    private static Arg arg(Object o) {
        return switch (o) {
            case Tensor t -> new TensorArg(new TensorSpec(t.dtype(), t.shape()));
            case TensorSpec s -> new TensorArg(s);
            case List<?> l -> new ListArg(l.stream().map(Signature::arg).toList());
            case Object[] arr -> new ListArg(Arrays.stream(arr).map(Signature::arg).toList());
            case null -> new JavaArg(null);
            default -> new JavaArg(o);
        };
    }

    /** Whether actual arguments fit this (possibly widened) signature, without allocating. */
    boolean accepts(Object[] actual) {
        if (actual.length != args.size()) return false;
        for (int i = 0; i < actual.length; i++) if (!accepts(args.get(i), actual[i])) return false;
        return true;
    }

    private static boolean accepts(Arg a, Object o) {
        return switch (a) {
            case TensorArg t -> o instanceof Tensor x && t.spec().dtype() == x.dtype() && t.spec().shape().accepts(x.shape());
            case JavaArg j -> j.equals(new JavaArg(o));
            case ListArg l -> {
                if (o instanceof List<?> list) {
                    if (list.size() != l.items().size()) yield false;
                    for (int i = 0; i < list.size(); i++) if (!accepts(l.items().get(i), list.get(i))) yield false;
                    yield true;
                }
                if (o instanceof Object[] arr) yield accepts(l.items(), arr);
                yield false;
            }
        };
    }

    private static boolean accepts(List<Arg> items, Object[] arr) {
        if (arr.length != items.size()) return false;
        for (int i = 0; i < arr.length; i++) if (!accepts(items.get(i), arr[i])) return false;
        return true;
    }

    /** The tensor specs in argument order (depth first through lists): the traced function's parameters. */
    List<TensorSpec> tensorSpecs() {
        List<TensorSpec> out = new ArrayList<>();
        collect(args, out);
        return out;
    }

    private static void collect(List<Arg> args, List<TensorSpec> out) {
        for (Arg a : args) {
            switch (a) {
                case TensorArg t -> out.add(t.spec());
                case ListArg l -> collect(l.items(), out);
                case JavaArg j -> { }
            }
        }
    }

    /**
     * This signature with each tensor dim that differs from {@code other}'s made unknown, when
     * the two have the same structure, dtypes, ranks and Java values; else null. This is how
     * {@code reduceRetracing} generalizes, like TensorFlow's.
     */
    Signature widenedWith(Signature other) {
        if (other.args.size() != args.size()) return null;
        List<Arg> w = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            Arg a = widen(args.get(i), other.args.get(i));
            if (a == null) return null;
            w.add(a);
        }
        return new Signature(w);
    }

    private static Arg widen(Arg a, Arg b) {
        if (a instanceof TensorArg x && b instanceof TensorArg y) {
            if (x.spec().dtype() != y.spec().dtype()) return null;
            Shape s = x.spec().shape().mostSpecificCommon(y.spec().shape());
            if (!s.hasRank()) return null;
            return new TensorArg(new TensorSpec(x.spec().dtype(), s));
        }
        if (a instanceof ListArg x && b instanceof ListArg y && x.items().size() == y.items().size()) {
            List<Arg> items = new ArrayList<>();
            for (int i = 0; i < x.items().size(); i++) {
                Arg w = widen(x.items().get(i), y.items().get(i));
                if (w == null) return null;
                items.add(w);
            }
            return new ListArg(items);
        }
        return a.equals(b) ? a : null;
    }

    /** How this signature differs from an earlier one, e.g. {@code arg 0 shape (32, 784) -> (17, 784)}. */
    String describeChangeFrom(Signature before) {
        if (before.args.size() != args.size()) return "number of args " + before.args.size() + " -> " + args.size();
        List<String> changes = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) describe("arg " + i, before.args.get(i), args.get(i), changes);
        return changes.isEmpty() ? "no change" : String.join(", ", changes);
    }

    private static void describe(String where, Arg before, Arg now, List<String> out) {
        if (before.equals(now)) return;
        if (before instanceof TensorArg b && now instanceof TensorArg n) {
            if (b.spec().dtype() != n.spec().dtype()) out.add(where + " dtype " + b.spec().dtype() + " -> " + n.spec().dtype());
            if (!b.spec().shape().equals(n.spec().shape())) out.add(where + " shape " + b.spec().shape() + " -> " + n.spec().shape());
        } else if (before instanceof ListArg b && now instanceof ListArg n && b.items().size() == n.items().size()) {
            for (int i = 0; i < b.items().size(); i++) describe(where + "[" + i + "]", b.items().get(i), n.items().get(i), out);
        } else {
            out.add(where + " " + show(before) + " -> " + show(now));
        }
    }

    private static String show(Arg a) {
        return switch (a) {
            case TensorArg t -> "tensor " + t.spec();
            case JavaArg j -> "value " + (j.value() instanceof String s ? "\"" + s + "\"" : String.valueOf(j.value()));
            case ListArg l -> "list of " + l.items().size();
        };
    }

    /** Short human form for explain(): {@code (float32 (2, 3), 5)}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (Arg a : args) parts.add(brief(a));
        return "(" + String.join(", ", parts) + ")";
    }

    private static String brief(Arg a) {
        return switch (a) {
            case TensorArg t -> t.spec().dtype() + " " + t.spec().shape();
            case JavaArg j -> j.value() instanceof String s ? "\"" + s + "\"" : String.valueOf(j.value());
            case ListArg l -> "[" + String.join(", ", l.items().stream().map(Signature::brief).toList()) + "]";
        };
    }
}
