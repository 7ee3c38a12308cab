package dev.tfjit.cli;

import dev.tfjit.autograph.TfFunctions;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.tracer.ConcreteFunction;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorSpec;
import dev.tfjit.tracer.TfFunction;
import dev.tfjit.tracer.Traceable;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds what {@code --class C --method M} names and traces it like tf.function for a signature:
 * a static method taking Tensors or a {@code @TfFunction} instance method (on an object made by
 * the class's no-argument constructor), converted by AutoGraph as {@code @TfFunction} methods
 * are; or a static {@link Function} (a field, or a static method without parameters returning
 * one), which keeps its own name, variables and AutoGraph conversion.
 */
final class MethodTracer {
    private MethodTracer() {}

    /** A traced function: the Function (for its explain()), one of its concrete functions, and its argument names. */
    record Traced(Function function, ConcreteFunction concrete, List<String> argNames) {}

    /** The function {@code member} of {@code className} names, ready to trace. */
    record Target(String description, Function function, List<String> argNames) {
        Traced trace(List<TensorType> signature) {
            if (argNames.size() != signature.size()) {
                throw new TfException("signature (" + TypeSpecs.format(signature) + ") gives " + signature.size() + " argument"
                        + (signature.size() == 1 ? "" : "s") + ", " + description + " takes " + argNames.size()
                        + " (write one signature as 'f32[2], f32[2]', one --signature per entry point)");
            }
            Object[] specs = new Object[signature.size()];
            for (int i = 0; i < specs.length; i++) specs[i] = new TensorSpec(signature.get(i).dtype(), signature.get(i).shape());
            try {
                return new Traced(function, function.concrete(specs), argNames);
            } catch (TfException e) {
                throw new TfException("signature (" + TypeSpecs.format(signature) + ") does not fit " + description + ": " + e.getMessage(), e);
            }
        }
    }

    static Target find(List<Path> classpath, String className, String member) {
        Class<?> c = load(classpath, className);
        List<Method> methods = Arrays.stream(c.getDeclaredMethods()).filter(m -> m.getName().equals(member)).toList();
        for (Method m : methods) {
            boolean tensors = m.getParameterCount() > 0 && Arrays.stream(m.getParameterTypes()).allMatch(t -> t == Tensor.class);
            if (tensors && (Modifier.isStatic(m.getModifiers()) || m.isAnnotationPresent(TfFunction.class))) {
                return tensorMethod(c, m);
            }
            if (Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0 && Function.class.isAssignableFrom(m.getReturnType())) {
                m.setAccessible(true);
                return functionTarget(c.getName() + "." + member + "()", (Function) invoke(m));
            }
        }
        try {
            Field f = c.getDeclaredField(member);
            if (Modifier.isStatic(f.getModifiers()) && Function.class.isAssignableFrom(f.getType())) {
                f.setAccessible(true);
                return functionTarget(c.getName() + "." + member, (Function) f.get(null));
            }
        } catch (NoSuchFieldException e) {
            // reported below with the methods found
        } catch (IllegalAccessException e) {
            throw new TfException("cannot read " + c.getName() + "." + member + ": " + e.getMessage());
        }
        if (methods.isEmpty()) {
            throw new TfException(c.getName() + " has no method or Function field named " + member);
        }
        throw new TfException(c.getName() + "." + member + " is neither a static method taking Tensors nor a static Function: found "
                + methods.stream().map(Method::toGenericString).toList());
    }

    private static Target tensorMethod(Class<?> c, Method m) {
        List<String> names = new ArrayList<>();
        for (Parameter p : m.getParameters()) names.add(p.getName()); // arg0... unless compiled with -parameters
        // Traced as @TfFunction methods are: converted by AutoGraph, with the annotation's options if it has one.
        Function f = TfFunctions.function(m, Modifier.isStatic(m.getModifiers()) ? null : newInstance(c, m));
        String params = String.join(", ", Arrays.stream(m.getParameters()).map(p -> "Tensor " + p.getName()).toList());
        return new Target(c.getName() + "." + m.getName() + "(" + params + ")", f.named(m.getName()), names);
    }

    /** The object an instance {@code @TfFunction} method is compiled with: made by the class's no-argument constructor. */
    private static Object newInstance(Class<?> c, Method m) {
        try {
            var ctor = c.getDeclaredConstructor();
            ctor.setAccessible(true);
            return ctor.newInstance();
        } catch (NoSuchMethodException e) {
            throw new TfException(c.getName() + "." + m.getName() + " is an instance method: " + c.getSimpleName()
                    + " needs a constructor without parameters to make the object it is compiled with");
        } catch (InvocationTargetException e) {
            throw new TfException("new " + c.getName() + "() failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new TfException("cannot make a " + c.getName() + ": " + e);
        }
    }

    private static Target functionTarget(String description, Function f) {
        if (f == null) throw new TfException(description + " is null");
        int arity = switch (f.source()) {
            case Traceable.F0 ignored -> 0;
            case Traceable.F1<?> ignored -> 1;
            case Traceable.F2<?, ?> ignored -> 2;
            case Traceable.F3<?, ?, ?> ignored -> 3;
            case Traceable.F4<?, ?, ?, ?> ignored -> 4;
            default -> throw new TfException(description + " wraps a " + f.source().getClass().getName() + ", not a Traceable function");
        };
        List<String> names = new ArrayList<>();
        for (int i = 0; i < arity; i++) names.add("arg" + i);
        return new Target(description + " (Function " + f.name() + ")", f, names);
    }

    private static Class<?> load(List<Path> classpath, String className) {
        List<URL> urls = new ArrayList<>();
        for (Path p : classpath) {
            try {
                urls.add(p.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new TfException("bad --classpath entry " + p);
            }
        }
        ClassLoader loader = urls.isEmpty() ? MethodTracer.class.getClassLoader()
                : new URLClassLoader(urls.toArray(URL[]::new), MethodTracer.class.getClassLoader());
        try {
            return Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new TfException("class " + className + " not found" + (urls.isEmpty() ? "" : " on " + classpath));
        } catch (LinkageError e) {
            throw new TfException("class " + className + " cannot be loaded: " + e);
        }
    }

    private static Object invoke(Method m, Object... args) {
        try {
            return m.invoke(null, args);
        } catch (IllegalAccessException e) {
            throw new TfException("cannot call " + m + ": " + e.getMessage());
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new TfException(m + " failed: " + e.getCause(), e.getCause());
        }
    }
}
