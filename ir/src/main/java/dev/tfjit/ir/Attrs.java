package dev.tfjit.ir;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** An immutable, name-sorted set of attributes (sorted so that printed IR is canonical). */
public final class Attrs {
    public static final Attrs EMPTY = new Attrs(new TreeMap<>());

    private final TreeMap<String, AttrValue> map;

    private Attrs(TreeMap<String, AttrValue> map) { this.map = map; }

    /**
     * Builds attributes from name/value pairs. Java values are converted: Integer/Long to Int,
     * Float/Double to Float, Boolean, String, int[]/long[] to Ints, double[]/float[] to Floats,
     * DType, Shape, Buffer; an AttrValue is kept as it is.
     */
    public static Attrs of(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) throw new IllegalArgumentException("attrs come in name/value pairs");
        if (namesAndValues.length == 0) return EMPTY;
        TreeMap<String, AttrValue> m = new TreeMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], toAttr(namesAndValues[i + 1]));
        }
        return new Attrs(m);
    }

    public static Attrs of(Map<String, AttrValue> values) { return new Attrs(new TreeMap<>(values)); }

    public Attrs with(String name, Object value) {
        TreeMap<String, AttrValue> m = new TreeMap<>(map);
        m.put(name, toAttr(value));
        return new Attrs(m);
    }

    public static AttrValue toAttr(Object v) {
        return switch (v) {
            case AttrValue a -> a;
            case Integer i -> new AttrValue.Int(i);
            case Long l -> new AttrValue.Int(l);
            case Double d -> new AttrValue.Float(d);
            case java.lang.Float f -> new AttrValue.Float(f);
            case Boolean b -> new AttrValue.Bool(b);
            case String s -> new AttrValue.Str(s);
            case long[] a -> new AttrValue.Ints(a);
            case int[] a -> {
                long[] l = new long[a.length];
                for (int k = 0; k < a.length; k++) l[k] = a[k];
                yield new AttrValue.Ints(l);
            }
            case double[] a -> new AttrValue.Floats(a);
            case float[] a -> {
                double[] d = new double[a.length];
                for (int k = 0; k < a.length; k++) d[k] = a[k];
                yield new AttrValue.Floats(d);
            }
            case DType t -> new AttrValue.Type(t);
            case Shape s -> new AttrValue.ShapeAttr(s);
            case Buffer b -> new AttrValue.Tensor(b);
            default -> throw new IllegalArgumentException("not an attribute value: " + v.getClass().getName());
        };
    }

    public boolean has(String name) { return map.containsKey(name); }

    public AttrValue get(String name) {
        AttrValue v = map.get(name);
        if (v == null) throw new IllegalArgumentException("missing attribute '" + name + "'");
        return v;
    }

    public Set<String> names() { return Collections.unmodifiableSet(map.keySet()); }

    public Map<String, AttrValue> asMap() { return Collections.unmodifiableMap(map); }

    public boolean isEmpty() { return map.isEmpty(); }

    public long getLong(String name) {
        if (get(name) instanceof AttrValue.Int i) return i.value();
        throw typeError(name, "an integer");
    }

    public int getInt(String name) { return Math.toIntExact(getLong(name)); }

    public long getLong(String name, long dflt) { return has(name) ? getLong(name) : dflt; }

    public int getInt(String name, int dflt) { return has(name) ? getInt(name) : dflt; }

    public double getDouble(String name) {
        return switch (get(name)) {
            case AttrValue.Float f -> f.value();
            case AttrValue.Int i -> i.value();
            default -> throw typeError(name, "a number");
        };
    }

    public double getDouble(String name, double dflt) { return has(name) ? getDouble(name) : dflt; }

    public boolean getBool(String name) {
        if (get(name) instanceof AttrValue.Bool b) return b.value();
        throw typeError(name, "a boolean");
    }

    public boolean getBool(String name, boolean dflt) { return has(name) ? getBool(name) : dflt; }

    public String getString(String name) {
        if (get(name) instanceof AttrValue.Str s) return s.value();
        throw typeError(name, "a string");
    }

    public String getString(String name, String dflt) { return has(name) ? getString(name) : dflt; }

    public long[] getLongs(String name) {
        if (get(name) instanceof AttrValue.Ints i) return i.values();
        throw typeError(name, "a list of integers");
    }

    public int[] getInts(String name) {
        long[] l = getLongs(name);
        int[] r = new int[l.length];
        for (int i = 0; i < l.length; i++) r[i] = Math.toIntExact(l[i]);
        return r;
    }

    public double[] getDoubles(String name) {
        if (get(name) instanceof AttrValue.Floats f) return f.values();
        throw typeError(name, "a list of numbers");
    }

    public DType getDType(String name) {
        if (get(name) instanceof AttrValue.Type t) return t.value();
        throw typeError(name, "a dtype");
    }

    public Shape getShape(String name) {
        if (get(name) instanceof AttrValue.ShapeAttr s) return s.value();
        throw typeError(name, "a shape");
    }

    public Buffer getTensor(String name) {
        if (get(name) instanceof AttrValue.Tensor t) return t.value();
        throw typeError(name, "a tensor");
    }

    private IllegalArgumentException typeError(String name, String what) {
        return new IllegalArgumentException("attribute '" + name + "' should be " + what + ", got " + map.get(name));
    }

    @Override
    public boolean equals(Object o) { return o instanceof Attrs a && map.equals(a.map); }

    @Override
    public int hashCode() { return map.hashCode(); }

    @Override
    public String toString() { return map.toString(); }
}
