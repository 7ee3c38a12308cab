package dev.tfjit.autograph;

import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TfFunction;
import org.objectweb.asm.Type;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link TfFunction @TfFunction} methods without the Java agent:
 * {@code TfFunctions.compile(model).function("predict")} is the {@link Function} that, under the
 * agent, every call of {@code model.predict(...)} goes through (the same one: both come from
 * {@link TfFunctionRuntime}). Instance methods are bound to the object, whose state is captured by
 * reference; static methods are compiled from the class. (An annotation type cannot hold static
 * methods, hence this class.)
 */
public final class TfFunctions {
    private TfFunctions() {}

    /** The functions of an object's (or, for a {@code Class}, a class's static) {@code @TfFunction} methods, by name. */
    public record Compiled(Object target, Map<String, Function> functions) {
        public Function function(String name) {
            Function f = functions.get(name);
            if (f == null) {
                throw new UnimplementedError("tfjit: no @TfFunction method named " + name + " in " + describe(target)
                        + "; there are " + functions.keySet());
            }
            return f;
        }

        /** Calls the named function; it must return one tensor. */
        public Tensor call(String name, Object... args) { return function(name).call(args); }
    }

    /** Every {@code @TfFunction} method of {@code target}'s class and its superclasses, bound to {@code target}. */
    public static Compiled compile(Object target) { return compile(null, target); }

    /** As {@link #compile(Object)}, with the class's own lookup for classes tfjit cannot open itself. */
    public static Compiled compile(MethodHandles.Lookup caller, Object target) {
        Class<?> cls = target instanceof Class<?> c ? c : target.getClass();
        Object receiver = target instanceof Class<?> ? null : target;
        Map<String, Function> out = new LinkedHashMap<>();
        for (Method m : annotated(cls, receiver == null)) {
            if (out.containsKey(m.getName())) {
                throw new UnimplementedError("tfjit: " + cls.getSimpleName() + " has several @TfFunction methods named " + m.getName()
                        + "; give them different names");
            }
            out.put(m.getName(), function(caller, m, receiver));
        }
        if (out.isEmpty()) throw new UnimplementedError("tfjit: " + describe(target) + " has no @TfFunction methods");
        return new Compiled(target, Collections.unmodifiableMap(out));
    }

    /** The function of one method of {@code target} (a {@code Class} for a static method), annotated or not (then with the defaults). */
    public static Function compile(Object target, String method) {
        Class<?> cls = target instanceof Class<?> c ? c : target.getClass();
        Object receiver = target instanceof Class<?> ? null : target;
        List<Method> found = new ArrayList<>();
        for (Class<?> k = cls; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Method m : k.getDeclaredMethods()) {
                if (m.getName().equals(method) && !m.isSynthetic() && (receiver != null || Modifier.isStatic(m.getModifiers()))) found.add(m);
            }
            if (!found.isEmpty()) break;
        }
        if (found.size() != 1) {
            throw new UnimplementedError("tfjit: " + describe(target) + " has " + found.size() + " methods named " + method
                    + (receiver == null ? " (static)" : "") + "; compile needs exactly one");
        }
        return function(null, found.get(0), receiver);
    }

    /**
     * The function of one method, annotated or not (then with the defaults): {@code receiver} is
     * the object for an instance method, null for a static one.
     */
    public static Function function(Method method, Object receiver) {
        if (Modifier.isStatic(method.getModifiers()) != (receiver == null)) {
            throw new UnimplementedError("tfjit: " + method.getName() + (receiver == null ? " is an instance method; compile it with its object"
                    : " is static; compile it without an object"));
        }
        return function(null, method, receiver);
    }

    /** What AutoGraph converts in each {@code @TfFunction} method of a class, with source lines. */
    public static String explain(Class<?> cls) {
        StringBuilder sb = new StringBuilder();
        for (Method m : annotated(cls, false)) {
            if (!sb.isEmpty()) sb.append('\n');
            TfFunctionRuntime.Entry e = TfFunctionRuntime.entry(m.getDeclaringClass(), null, m.getName(), Type.getMethodDescriptor(m));
            sb.append(Explainer.explain(e.converted()));
        }
        return sb.toString();
    }

    private static Function function(MethodHandles.Lookup caller, Method m, Object receiver) {
        return TfFunctionRuntime.entry(m.getDeclaringClass(), caller, m.getName(), Type.getMethodDescriptor(m)).function(receiver);
    }

    /** The annotated methods of a class and its superclasses; an override hides the method it overrides. */
    private static List<Method> annotated(Class<?> cls, boolean staticOnly) {
        List<Method> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Class<?> k = cls; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Method m : k.getDeclaredMethods()) {
                if (!m.isAnnotationPresent(TfFunction.class) || m.isBridge() || (staticOnly && !Modifier.isStatic(m.getModifiers()))) continue;
                if (seen.add(m.getName() + Type.getMethodDescriptor(m))) out.add(m);
            }
        }
        out.sort(java.util.Comparator.comparing(Method::getName));
        return out;
    }

    private static String describe(Object target) {
        return target instanceof Class<?> c ? "class " + c.getSimpleName() : "the " + target.getClass().getSimpleName();
    }
}
