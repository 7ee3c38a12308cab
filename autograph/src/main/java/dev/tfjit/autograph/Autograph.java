package dev.tfjit.autograph;

import dev.tfjit.tracer.ConcreteFunction;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Traceable;

import org.objectweb.asm.Type;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;

/**
 * AutoGraph for Java: {@code Autograph.function(x -> ...)} is {@code Function.of(x -> ...)} with
 * the lambda's bytecode converted, so that {@code if}, {@code while}, {@code for} (including
 * {@code for (Tensor i : Tf.range(n))}), {@code break}, {@code continue} and {@code return}
 * that depend on a symbolic tensor stage {@code cond} and {@code while} nodes, while the same
 * statements on eager tensors or Java values run as plain Java (a Java loop unrolls while
 * tracing). What cannot be staged is an error naming the source line when it is reached with a
 * symbolic tensor, never a silent Java-side evaluation.
 *
 * <p>{@code Function.of} does the same when this module is on the class path (see
 * {@link LambdaConverter}); {@code Autograph.function} also takes a lookup for classes tfjit cannot
 * open itself.
 */
public final class Autograph {
    private Autograph() {}

    public static Function function(Traceable.F0 f) { return convert(f, null); }

    public static <A> Function function(Traceable.F1<A> f) { return convert(f, null); }

    public static <A, B> Function function(Traceable.F2<A, B> f) { return convert(f, null); }

    public static <A, B, C> Function function(Traceable.F3<A, B, C> f) { return convert(f, null); }

    public static <A, B, C, D> Function function(Traceable.F4<A, B, C, D> f) { return convert(f, null); }

    /**
     * As {@link #function(Traceable.F1)}, with the lambda's class's own lookup
     * ({@code MethodHandles.lookup()} written where the lambda is), for classes tfjit cannot open
     * itself (a named module that does not open its package).
     */
    public static Function function(MethodHandles.Lookup caller, Traceable.F0 f) { return convert(f, caller); }

    public static <A> Function function(MethodHandles.Lookup caller, Traceable.F1<A> f) { return convert(f, caller); }

    public static <A, B> Function function(MethodHandles.Lookup caller, Traceable.F2<A, B> f) { return convert(f, caller); }

    public static <A, B, C> Function function(MethodHandles.Lookup caller, Traceable.F3<A, B, C> f) { return convert(f, caller); }

    /**
     * What AutoGraph does with a lambda, statement by statement with source lines: which tensor
     * tests become {@code cond} or {@code while} nodes (carrying which locals, leaving through
     * which {@code break}s and {@code return}s), which loops stay Java, and which tests cannot
     * be staged and why.
     */
    public static String explain(Object serializableLambda) { return explain(null, serializableLambda); }

    /** As {@link #explain(Object)}, with the lambda's class's own lookup. */
    public static String explain(MethodHandles.Lookup caller, Object serializableLambda) {
        LambdaSource src = LambdaSource.of(serializableLambda);
        return Explainer.explain(new ConvertedMethod(src.code(), caller, true, true));
    }

    /**
     * AutoGraph's report for a function: for one made by {@code Function.of} or
     * {@link #function}, its lambda's; for a {@code @TfFunction} method's (or one compiled by
     * {@link TfFunctions#compile(Object, String)}), the method's; and that nothing is converted
     * when AutoGraph is off for it.
     */
    public static String explain(Function f) {
        Object source = f.source();
        if (source instanceof Method m) {
            TfFunctionRuntime.Entry e = TfFunctionRuntime.entry(m.getDeclaringClass(), null, m.getName(), Type.getMethodDescriptor(m));
            if (!e.autograph()) {
                return "autograph " + m.getDeclaringClass().getSimpleName() + "." + m.getName() + ": off (@TfFunction(autograph = false)):"
                        + " the Java is traced as it is";
            }
            return Explainer.explain(e.converted());
        }
        if (!f.autograph()) return "autograph " + f.name() + ": off (withAutograph(false)): the Java is traced as it is";
        if (source == null) return "autograph " + f.name() + ": no Java code to convert";
        return Explainer.explain(new ConvertedMethod(LambdaSource.ofFunction(source).code(), null, true, true));
    }

    /**
     * The graphs a function staged, like {@code tf.autograph.to_code}: each trace's IR with the
     * source line of every node ({@code loc(Model.java:42)}).
     */
    public static String toCode(Function f) {
        StringBuilder sb = new StringBuilder();
        for (ConcreteFunction cf : f.concreteFunctions()) {
            sb.append("// ").append(cf).append('\n').append(cf.tracedGraph()).append('\n');
        }
        return sb.toString();
    }

    private static Function convert(Object lambda, MethodHandles.Lookup caller) {
        LambdaSource src = LambdaSource.of(lambda);
        ConvertedMethod cm = new ConvertedMethod(src.code(), caller, true, true);
        Object[] captured = src.captured();
        return Function.ofArguments(cm.displayName(), lambda, args -> cm.invoke(concat(captured, args)));
    }

    static Object[] concat(Object[] a, Object[] b) {
        if (a.length == 0) return b;
        Object[] out = new Object[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
