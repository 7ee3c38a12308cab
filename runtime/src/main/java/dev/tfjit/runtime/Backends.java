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
                if (!b.isAvailable()) throw new UnimplementedError("backend '" + name + "' is not available on this machine: " + b.unavailableReason());
                return b;
            }
        }
        throw new UnimplementedError("no backend named '" + name + "'; installed: "
                + ALL.stream().map(Backend::name).toList());
    }

    /**
     * The backend that places values and runs code on {@code device} (a GPU): the available
     * {@link DeviceBackend} of that device with the highest priority. None is an error naming
     * what the installed backends for it are missing (the driver library, the device).
     */
    public static DeviceBackend forDevice(Device device) {
        StringBuilder why = new StringBuilder();
        for (Backend b : ALL) {
            if (!(b instanceof DeviceBackend d) || !b.device().equals(device)) continue;
            if (b.isAvailable()) return d;
            why.append(why.isEmpty() ? "" : "; ").append(b.name()).append(": ").append(b.unavailableReason());
        }
        if (why.isEmpty()) {
            throw new UnimplementedError("no backend runs on " + device + " (installed: " + ALL.stream().map(Backend::name).toList()
                    + "; the ptx-gpu backend, in the codegen-ptx module, runs on gpu:0)");
        }
        throw new UnimplementedError("no backend can run on " + device + " here: " + why);
    }

    /** The backend to use by default. */
    public static Backend preferred() {
        String name = System.getProperty("tfjit.backend");
        if (name != null) return named(name);
        return ALL.stream().filter(Backend::isAvailable).findFirst()
                .orElseThrow(() -> new IllegalStateException("no backend installed"));
    }
}
