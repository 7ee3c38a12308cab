package dev.tfjit.autograph;

import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Traceable;

import java.lang.invoke.MethodHandles;

/**
 * AutoGraph for Java: {@code Autograph.function(x -> ...)} is {@code Function.of(x -> ...)} with
 * the lambda's bytecode rewritten so that an {@code if (t.booleanValue())} or
 * {@code while (t.booleanValue())} on a symbolic tensor stages one {@code cond} or
 * {@code while} node (the locals assigned inside and used after become its values), while the
 * same statement on an eager tensor, or on Java values, runs as plain Java. A tensor test that
 * cannot be staged (break, return, a test inside an expression) is an error naming the source
 * line when it is reached with a symbolic tensor, never a silent Java-side evaluation.
 */
public final class Autograph {
    private Autograph() {}

    public static Function function(Traceable.F0 f) {
        ConvertedLambda c = ConvertedLambda.of(f);
        return Function.of(() -> c.invoke()).named(c.name());
    }

    public static <A> Function function(Traceable.F1<A> f) {
        ConvertedLambda c = ConvertedLambda.of(f);
        return Function.of((A a) -> c.invoke(a)).named(c.name());
    }

    public static <A, B> Function function(Traceable.F2<A, B> f) {
        ConvertedLambda c = ConvertedLambda.of(f);
        return Function.of((A a, B b) -> c.invoke(a, b)).named(c.name());
    }

    public static <A, B, C> Function function(Traceable.F3<A, B, C> f) {
        ConvertedLambda c = ConvertedLambda.of(f);
        return Function.of((A a, B b, C cc) -> c.invoke(a, b, cc)).named(c.name());
    }

    public static <A, B, C, D> Function function(Traceable.F4<A, B, C, D> f) {
        ConvertedLambda c = ConvertedLambda.of(f);
        return Function.of((A a, B b, C cc, D d) -> c.invoke(a, b, cc, d)).named(c.name());
    }

    /**
     * As {@link #function(Traceable.F1)}, with the lambda's class's own lookup
     * ({@code MethodHandles.lookup()} written where the lambda is), which programs loaded outside
     * tfjit's class loader (the JDK's source launcher, other modules) must give.
     */
    public static Function function(MethodHandles.Lookup caller, Traceable.F0 f) {
        ConvertedLambda c = ConvertedLambda.of(f, caller);
        return Function.of(() -> c.invoke()).named(c.name());
    }

    public static <A> Function function(MethodHandles.Lookup caller, Traceable.F1<A> f) {
        ConvertedLambda c = ConvertedLambda.of(f, caller);
        return Function.of((A a) -> c.invoke(a)).named(c.name());
    }

    public static <A, B> Function function(MethodHandles.Lookup caller, Traceable.F2<A, B> f) {
        ConvertedLambda c = ConvertedLambda.of(f, caller);
        return Function.of((A a, B b) -> c.invoke(a, b)).named(c.name());
    }

    /** What AutoGraph converts in a lambda and what it leaves as Java, with source lines. */
    public static String explain(Object serializableLambda) {
        ConvertedLambda c = ConvertedLambda.of(serializableLambda);
        StringBuilder sb = new StringBuilder("autograph ").append(c.name()).append(':');
        if (c.sites().isEmpty()) sb.append(" no tensor conditions; all control flow stays Java");
        for (Site s : c.sites()) sb.append("\n  ").append(s.describe());
        return sb.toString();
    }
}
