package dev.tfjit.tests.goldens;

import java.util.List;
import java.util.Map;

/** Typed access to a golden case's Python attributes ({@code axis}, {@code keepdims}, ...). */
record Attributes(Map<String, Object> map) {

    boolean has(String name) { return map.containsKey(name) && map.get(name) != null; }

    Object raw(String name) { return map.get(name); }

    int integer(String name) { return ((Number) require(name)).intValue(); }

    int integer(String name, int dflt) { return has(name) ? integer(name) : dflt; }

    double number(String name) { return ((Number) require(name)).doubleValue(); }

    double number(String name, double dflt) { return has(name) ? number(name) : dflt; }

    boolean bool(String name, boolean dflt) { return has(name) ? (Boolean) map.get(name) : dflt; }

    String string(String name) { return (String) require(name); }

    String string(String name, String dflt) { return has(name) ? string(name) : dflt; }

    /** An int list; a single int becomes a one-element array; absent or null gives null. */
    int[] ints(String name) {
        Object v = map.get(name);
        if (v == null) return null;
        if (v instanceof Number n) return new int[] {n.intValue()};
        List<?> l = (List<?>) v;
        int[] r = new int[l.size()];
        for (int i = 0; i < r.length; i++) r[i] = ((Number) l.get(i)).intValue();
        return r;
    }

    /** A list of int lists ({@code paddings}). */
    int[][] intMatrix(String name) {
        List<?> rows = (List<?>) require(name);
        int[][] r = new int[rows.size()][];
        for (int i = 0; i < r.length; i++) {
            List<?> row = (List<?>) rows.get(i);
            r[i] = new int[row.size()];
            for (int j = 0; j < row.size(); j++) r[i][j] = ((Number) row.get(j)).intValue();
        }
        return r;
    }

    private Object require(String name) {
        if (!map.containsKey(name)) throw new IllegalArgumentException("golden case has no attr '" + name + "': " + map);
        return map.get(name);
    }
}
