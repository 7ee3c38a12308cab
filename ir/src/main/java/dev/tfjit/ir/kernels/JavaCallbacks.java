package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.InvalidArgumentError;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Java code that {@code java_function} nodes call back into, by token. A graph can only
 * hold attribute values, not Java objects, so the node names its callback by a number, as
 * TensorFlow's {@code py_function} names its Python function by a token.
 */
public final class JavaCallbacks {
    /** Java code run by a graph: buffers in, buffers out. */
    @FunctionalInterface
    public interface Callback {
        List<Buffer> call(List<Buffer> inputs);
    }

    private static final Map<Long, Callback> CALLBACKS = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT_TOKEN = new AtomicLong(1);

    private JavaCallbacks() {}

    /** Registers {@code c} and returns its token; it stays registered until {@link #unregister}. */
    public static long register(Callback c) {
        long token = NEXT_TOKEN.getAndIncrement();
        CALLBACKS.put(token, c);
        return token;
    }

    public static void unregister(long token) { CALLBACKS.remove(token); }

    public static boolean isRegistered(long token) { return CALLBACKS.containsKey(token); }

    static Callback get(long token) {
        Callback c = CALLBACKS.get(token);
        if (c == null) {
            throw new InvalidArgumentError("java_function callback " + token + " is not registered in this JVM: a graph that "
                    + "calls back into Java runs only in the process that traced it");
        }
        return c;
    }

    /** Runs the callback named by {@code token}. */
    public static List<Buffer> call(long token, List<Buffer> inputs) { return get(token).call(inputs); }
}
