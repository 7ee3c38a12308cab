package dev.tfjit.runtime;

import dev.tfjit.ir.UnimplementedError;

import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.StreamSupport;

/**
 * The installed backends. {@code -Dtfjit.backend=NAME} picks one; otherwise the available
 * backend with the highest priority is used.
 */
public final class Backends {
    private static final List<Backend> ALL = StreamSupport
            .stream(ServiceLoader.load(Backend.class, Backends.class.getClassLoader()).spliterator(), false)
            .sorted(Comparator.comparingInt(Backend::priority).reversed())
            .toList();

    private Backends() {}

    public static List<Backend> all() { return ALL; }

    public static Backend named(String name) {
        for (Backend b : ALL) {
            if (b.name().equals(name)) {
                if (!b.isAvailable()) throw new UnimplementedError("backend '" + name + "' is not available on this machine");
                return b;
            }
        }
        throw new UnimplementedError("no backend named '" + name + "'; installed: "
                + ALL.stream().map(Backend::name).toList());
    }

    /** The backend to use by default. */
    public static Backend preferred() {
        String name = System.getProperty("tfjit.backend");
        if (name != null) return named(name);
        return ALL.stream().filter(Backend::isAvailable).findFirst()
                .orElseThrow(() -> new IllegalStateException("no backend installed"));
    }
}
