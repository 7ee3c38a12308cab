package dev.tfjit.autograph;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A loop of converted code, by number; its iterations are counted while tracing (see {@link UnrollWatch}). */
record JavaLoop(ConvertedMethod method, int line) {
    private static final List<JavaLoop> ALL = new CopyOnWriteArrayList<>();

    static synchronized int register(JavaLoop loop) {
        ALL.add(loop);
        return ALL.size() - 1;
    }

    static JavaLoop get(int id) { return ALL.get(id); }
}
