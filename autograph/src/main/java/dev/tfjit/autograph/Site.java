package dev.tfjit.autograph;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tensor test as converted code refers to it at run time, by number: what it stages
 * ({@code spec}), in which method, and in which region of it (a region without exits, like
 * the method itself, ends by returning a value).
 */
record Site(ConvertedMethod method, SiteSpec spec, Region region) {
    private static final List<Site> ALL = new CopyOnWriteArrayList<>();

    static synchronized int register(Site s) {
        ALL.add(s);
        return ALL.size() - 1;
    }

    static Site get(int id) { return ALL.get(id); }

    /** "Model.java:42". */
    String where() { return method.where(spec.line()); }

    /** The source name of a local at this test. */
    String name(int slot) { return method.analysis().nameOf(slot, spec.call()); }

    int size() { return method.frameSize(); }
}
