package dev.tfjit.autograph;

/**
 * A tensor test as converted code refers to it at run time: what it stages ({@code spec}), in
 * which method, and in which region of it (a region without exits, like the method itself, ends
 * by returning a value). Each hidden class holds its sites as class data, so they live as long
 * as the code that uses them.
 */
record Site(ConvertedMethod method, SiteSpec spec, Region region) {

    /** "Model.java:42". */
    String where() { return method.where(spec.line()); }

    /** The source name of a local at this test. */
    String name(int slot) { return method.analysis().nameOf(slot, spec.call()); }

    int size() { return method.frameSize(); }
}
