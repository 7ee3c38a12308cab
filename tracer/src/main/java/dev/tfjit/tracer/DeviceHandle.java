package dev.tfjit.tracer;

import dev.tfjit.runtime.DeviceValue;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ownership of one {@link DeviceValue} shared by its owner (a tensor, or a variable's device
 * copy) and the calls using it right now. Releasing ends the owner's claim; the device memory is
 * given back when the last call using it has finished, so a release racing a call on another
 * thread can never free memory a kernel still reads. Once released, new uses are refused.
 */
final class DeviceHandle {
    private final DeviceValue value;
    /** The owner's claim (1 until released) plus one per use in progress; 0: closed. */
    private final AtomicInteger claims = new AtomicInteger(1);
    private volatile boolean released;

    DeviceHandle(DeviceValue value) { this.value = value; }

    /** The value, for its device and type only (not its memory): valid after release too. */
    DeviceValue peek() { return value; }

    boolean isReleased() { return released; }

    /** The value for one use, which must be ended with {@link #endUse}; null once released. */
    DeviceValue beginUse() {
        for (;;) {
            int c = claims.get();
            if (c == 0 || released) return null;
            if (claims.compareAndSet(c, c + 1)) {
                if (!released) return value;
                endUse(); // released in between: give the claim back and refuse
                return null;
            }
        }
    }

    void endUse() {
        if (claims.decrementAndGet() == 0) value.close();
    }

    /** Ends the owner's claim; harmless when repeated. */
    void release() {
        if (released) return;
        synchronized (this) {
            if (released) return;
            released = true;
        }
        endUse();
    }
}
