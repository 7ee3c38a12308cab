package dev.tfjit.tracer.data;

/** How a dataset starts one pass over its elements. */
@FunctionalInterface
interface Source {
    ElementIterator open(Options options);
}
