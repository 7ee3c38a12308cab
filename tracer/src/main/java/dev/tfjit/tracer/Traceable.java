package dev.tfjit.tracer;

import java.io.Serializable;

/**
 * The Java functions a {@link Function} can trace, by arity. Arguments may be tensors, lists or
 * arrays of tensors, or plain Java values (numbers, booleans, strings, enums, objects); Java values
 * are part of the trace's cache key, as Python values are in TensorFlow. Results may be a tensor,
 * a list or array of tensors, a Java number (made a constant), or null.
 *
 * <p>They are {@link Serializable} so that AutoGraph can find a lambda's bytecode.
 */
public final class Traceable {
    private Traceable() {}

    @FunctionalInterface
    public interface F0 extends Serializable { Object apply(); }

    @FunctionalInterface
    public interface F1<A> extends Serializable { Object apply(A a); }

    @FunctionalInterface
    public interface F2<A, B> extends Serializable { Object apply(A a, B b); }

    @FunctionalInterface
    public interface F3<A, B, C> extends Serializable { Object apply(A a, B b, C c); }

    @FunctionalInterface
    public interface F4<A, B, C, D> extends Serializable { Object apply(A a, B b, C c, D d); }

    /** Calls any of the above with an argument array of the right length. */
    @FunctionalInterface
    interface Invoker { Object invoke(Object[] args); }
}
