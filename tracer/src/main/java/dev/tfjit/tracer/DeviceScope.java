package dev.tfjit.tracer;

import dev.tfjit.runtime.Device;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A {@code with tf.device(...)} block: while it is open, on this thread, eager ops and calls of
 * {@link Function}s run on its device, with their results left there. Made by
 * {@link Tf#device}; close it with try-with-resources. Scopes nest, the innermost wins, and they
 * must be closed in the order they were opened.
 *
 * <p>Inside a function being traced a scope does not split the graph: the whole function runs
 * on the device it is called on.
 */
public final class DeviceScope implements AutoCloseable {
    private static final ThreadLocal<Deque<DeviceScope>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

    private final Device device;
    private final Deque<DeviceScope> stack;
    private boolean closed;

    private DeviceScope(Device device, Deque<DeviceScope> stack) {
        this.device = device;
        this.stack = stack;
    }

    static DeviceScope open(Device device) {
        Deque<DeviceScope> s = STACK.get();
        DeviceScope scope = new DeviceScope(device, s);
        s.push(scope);
        return scope;
    }

    /** The device of the innermost open scope on this thread, or null outside every scope. */
    static Device current() {
        DeviceScope top = STACK.get().peek();
        return top == null ? null : top.device;
    }

    public Device device() { return device; }

    @Override
    public void close() {
        if (closed) return;
        if (stack.peek() != this) throw new IllegalStateException("device scopes closed out of order: close the inner Tf.device scope first");
        stack.pop();
        closed = true;
    }

    @Override
    public String toString() { return "DeviceScope(" + device + ")"; }
}
