package dev.tfjit.runtime;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Graph;

import java.util.List;

/** The reference interpreter as a backend: no compilation, the graph runs as it is. */
public final class InterpreterBackend implements Backend {
    public static final String NAME = "interpreter";

    @Override public String name() { return NAME; }

    @Override public Device device() { return Device.CPU; }

    @Override public int priority() { return 0; }

    @Override
    public Executable compile(Graph g) {
        return new Executable() {
            @Override public Graph graph() { return g; }

            @Override public List<Buffer> run(List<Buffer> args) { return Interpreter.run(g, args); }
        };
    }
}
