package dev.tfjit.runtime;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.TensorType;

/**
 * A tensor's value in a device's own memory (a GPU's), not the host's: made by that device's
 * {@link DeviceBackend} ({@link DeviceBackend#upload}) or by its executables
 * ({@link DeviceExecutable#runOnDevice}), and read back only by an explicit copy. Closing gives
 * the memory back at once; a value nobody closes is given back when it becomes unreachable.
 */
public interface DeviceValue extends AutoCloseable {
    Device device();

    TensorType type();

    /** A host copy of the value. */
    Buffer toHost();

    @Override
    void close();
}
