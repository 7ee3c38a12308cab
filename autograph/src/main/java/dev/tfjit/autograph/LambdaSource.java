package dev.tfjit.autograph;

import dev.tfjit.ir.UnimplementedError;

import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;

/**
 * Where a serializable lambda's code lives: its {@code writeReplace} names the implementing
 * method and the values it captured, so no agent is needed.
 */
record LambdaSource(MethodSource code, Object[] captured) {

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
        return new LambdaSource(MethodSource.of(host, sl.getImplMethodName(), sl.getImplMethodSignature()), captured);
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
}
