package dev.tfjit.runtime;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Graph;

import java.util.List;

/** A graph prepared by a backend for repeated execution. Implementations are thread-safe. */
public interface Executable {
    /** The graph this executable computes (after the backend's own passes). */
    Graph graph();

    /** Runs on arguments that fit the graph's parameter types; returns fresh result buffers. */
    List<Buffer> run(List<Buffer> args);
}
