package dev.tfjit.runtime;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Graph;

/**
 * A backend whose device has its own memory (a GPU): values live there between calls
 * ({@link DeviceValue}), and its executables run on them without copies through the host. The
 * tracer's device placement ({@code Tf.device("gpu:0")}) finds one with
 * {@link Backends#forDevice}.
 */
public interface DeviceBackend extends Backend {
    /** Copies a host buffer into this backend's device memory. */
    DeviceValue upload(Buffer host);

    @Override
    DeviceExecutable compile(Graph g);

    /** How much of the device's memory is in use and kept by its pool. */
    DeviceMemoryInfo memoryInfo();
}
