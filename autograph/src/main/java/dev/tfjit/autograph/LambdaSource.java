package dev.tfjit.autograph;

import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.tracer.Traceable;

import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;

/**
 * Where a traced function's code lives. A serializable lambda's {@code writeReplace} names the
 * implementing method and the values it captured, so no agent is needed. An object of a class
 * that implements one of {@link Traceable}'s interfaces (an anonymous class) runs its
 * {@code apply} method, with the object as receiver.
 */
record LambdaSource(Class<?> host, String name, String desc, Object[] captured) {

    /** The method's bytecode (read from the class loader each time; callers cache what they convert). */
    MethodSource code() { return MethodSource.of(host, name, desc); }

    /** What conversions of this code are cached by, per host class. */
    String key() { return name + desc; }

    /** A lambda, or an object of a class implementing {@code Traceable.F0..F4}. */
    static LambdaSource ofFunction(Object f) {
        if (f.getClass().isHidden()) return of(f);
        int arity = arity(f);
        if (arity < 0) {
            throw new UnimplementedError("autograph: " + f.getClass().getName() + " is neither a lambda nor a Traceable function");
        }
        for (Class<?> k = f.getClass(); k != null && k != Object.class; k = k.getSuperclass()) {
            for (Method m : k.getDeclaredMethods()) {
                if (m.getName().equals("apply") && m.getParameterCount() == arity && !m.isBridge() && !m.isSynthetic()
                        && !Modifier.isStatic(m.getModifiers())) {
                    return new LambdaSource(k, "apply", org.objectweb.asm.Type.getMethodDescriptor(m), new Object[] {f});
                }
            }
        }
        throw new UnimplementedError("autograph: no apply method taking " + arity + " arguments in " + f.getClass().getName());
    }

    static LambdaSource of(Object serializableLambda) {
        SerializedLambda sl = serializedForm(serializableLambda);
        Class<?> host;
        try {
            host = Class.forName(sl.getImplClass().replace('/', '.'), false, serializableLambda.getClass().getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new UnimplementedError("autograph: cannot load " + sl.getImplClass() + ", the class of the lambda's code");
        }
        int kind = sl.getImplMethodKind();
        if (kind != MethodHandleInfo.REF_invokeStatic && kind != MethodHandleInfo.REF_invokeSpecial
                && kind != MethodHandleInfo.REF_invokeVirtual) {
            throw new UnimplementedError("autograph: " + describe(sl) + " is a constructor or interface method reference; pass a lambda"
                    + " written as x -> ... instead");
        }
        Object[] captured = new Object[sl.getCapturedArgCount()];
        for (int i = 0; i < captured.length; i++) captured[i] = sl.getCapturedArg(i);
        return new LambdaSource(host, sl.getImplMethodName(), sl.getImplMethodSignature(), captured);
    }

    private static int arity(Object f) {
        return switch (f) {
            case Traceable.F0 x -> 0;
            case Traceable.F1<?> x -> 1;
            case Traceable.F2<?, ?> x -> 2;
            case Traceable.F3<?, ?, ?> x -> 3;
            case Traceable.F4<?, ?, ?, ?> x -> 4;
            default -> -1;
        };
    }

    private static String describe(SerializedLambda sl) {
        return sl.getImplClass().replace('/', '.') + "." + sl.getImplMethodName() + sl.getImplMethodSignature();
    }

    private static SerializedLambda serializedForm(Object f) {
        try {
            Method writeReplace = f.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            if (writeReplace.invoke(f) instanceof SerializedLambda sl) return sl;
        } catch (ReflectiveOperationException | RuntimeException e) {
            // falls through to the error below: not a serializable lambda
        }
        throw new UnimplementedError("autograph: " + f.getClass().getName() + " is not a serializable lambda, so its bytecode cannot"
                + " be found; pass a lambda (x -> ...) typed as one of Traceable.F0..F4");
    }

    @Override
    public String toString() { return host.getName() + "." + name + desc + " capturing " + Arrays.toString(captured); }
}
