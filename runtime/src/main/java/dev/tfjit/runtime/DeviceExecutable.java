package dev.tfjit.runtime;

import java.util.List;

/** An {@link Executable} of a {@link DeviceBackend}: it also runs on values in its device's memory, and leaves its results there. */
public interface DeviceExecutable extends Executable {
    /**
     * Runs on values of this executable's device that fit the graph's parameter types; returns
     * fresh values on the same device, which the caller owns.
     */
    List<DeviceValue> runOnDevice(List<DeviceValue> args);
}
