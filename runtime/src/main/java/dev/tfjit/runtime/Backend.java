package dev.tfjit.runtime;

import dev.tfjit.ir.Graph;

/**
 * A way to execute graphs, found through {@link java.util.ServiceLoader} so that callers (the
 * tracer) never import a backend class. The interpreter is always present; compiled backends
 * (LLVM CPU, PTX) register themselves the same way.
 */
public interface Backend {
    /** A short stable name, e.g. {@code interpreter}, {@code llvm-cpu}. */
    String name();

    /** The device this backend runs on. */
    Device device();

    /** Higher wins when no backend is named; the interpreter is 0. */
    int priority();

    /** Whether the backend can run on this machine (a GPU backend without a GPU cannot). */
    default boolean isAvailable() { return true; }

    /** Why {@link #isAvailable} is false here, naming what was looked for (a driver library, a device). */
    default String unavailableReason() { return "it is not available on this machine"; }

    /**
     * Prepares {@code g} for execution. A graph the backend cannot compile is an
     * {@link dev.tfjit.ir.UnimplementedError} naming the op, never a silent fallback.
     */
    Executable compile(Graph g);
}
