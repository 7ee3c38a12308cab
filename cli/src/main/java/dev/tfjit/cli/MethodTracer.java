package dev.tfjit.cli;

import dev.tfjit.ir.Graph;
import dev.tfjit.ir.TensorType;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorSpec;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Finds a static method taking Tensors and traces it like tf.function for the given types. */
final class MethodTracer {
    private MethodTracer() {}

    /** The most arguments {@link Function#of} takes. */
    private static final int MAX_ARGS = 4;

    static Graph trace(List<Path> classpath, String className, String methodName, List<TensorType> types) {
        Method m = find(load(classpath, className), methodName, types.size());
        Function f = switch (types.size()) {
            case 0 -> Function.of(() -> invoke(m));
            case 1 -> Function.of((Tensor a) -> invoke(m, a));
            case 2 -> Function.of((Tensor a, Tensor b) -> invoke(m, a, b));
            case 3 -> Function.of((Tensor a, Tensor b, Tensor c) -> invoke(m, a, b, c));
            case 4 -> Function.of((Tensor a, Tensor b, Tensor c, Tensor d) -> invoke(m, a, b, c, d));
            default -> throw new IllegalArgumentException(className + "." + methodName + ": at most " + MAX_ARGS + " tensor arguments");
        };
        Object[] specs = types.stream().map(t -> new TensorSpec(t.dtype(), t.shape())).toArray();
        return f.named(methodName).concrete(specs).graph();
    }

    private static Class<?> load(List<Path> classpath, String className) {
        List<URL> urls = new ArrayList<>();
        for (Path p : classpath) {
            try {
                urls.add(p.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("bad --classpath entry " + p);
            }
        }
        ClassLoader loader = urls.isEmpty() ? MethodTracer.class.getClassLoader()
                : new URLClassLoader(urls.toArray(URL[]::new), MethodTracer.class.getClassLoader());
        try {
            return Class.forName(className, true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("class " + className + " not found" + (urls.isEmpty() ? "" : " on " + classpath));
        }
    }

    private static Method find(Class<?> c, String name, int arity) {
        List<Method> named = Arrays.stream(c.getDeclaredMethods()).filter(m -> m.getName().equals(name)).toList();
        if (named.isEmpty()) throw new IllegalArgumentException(c.getName() + " has no method " + name);
        for (Method m : named) {
            if (Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == arity
                    && Arrays.stream(m.getParameterTypes()).allMatch(t -> t == Tensor.class)) {
                m.setAccessible(true);
                return m;
            }
        }
        throw new IllegalArgumentException(c.getName() + "." + name + " is not a static method taking " + arity
                + " Tensor arguments (one per --signature)");
    }

    private static Object invoke(Method m, Object... args) {
        try {
            return m.invoke(null, args);
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException("cannot call " + m + ": " + e.getMessage());
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }
}
