package dev.tfjit.autograph;

import dev.tfjit.ir.UnimplementedError;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;

/**
 * Where a serializable lambda's code lives: its {@code writeReplace} names the implementing
 * method, and the class loader serves that class's bytes (also under the single-file source
 * launcher), so no agent is needed.
 */
record LambdaSource(Class<?> host, SerializedLambda lambda, ClassNode hostClass, MethodNode impl) {

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
        ClassNode cn = new ClassNode();
        // Frames are recomputed when the rewritten class is written, so the old ones are dropped.
        new ClassReader(classBytes(host, sl)).accept(cn, ClassReader.SKIP_FRAMES);
        for (MethodNode m : cn.methods) {
            if (m.name.equals(sl.getImplMethodName()) && m.desc.equals(sl.getImplMethodSignature())) {
                return new LambdaSource(host, sl, cn, m);
            }
        }
        throw new UnimplementedError("autograph: " + describe(sl) + " is not in the bytes of " + host.getName());
    }

    boolean isStatic() { return lambda.getImplMethodKind() == MethodHandleInfo.REF_invokeStatic; }

    Object[] capturedArgs() {
        Object[] out = new Object[lambda.getCapturedArgCount()];
        for (int i = 0; i < out.length; i++) out[i] = lambda.getCapturedArg(i);
        return out;
    }

    String describe() { return describe(lambda); }

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

    private static byte[] classBytes(Class<?> host, SerializedLambda sl) {
        ClassLoader loader = host.getClassLoader() != null ? host.getClassLoader() : ClassLoader.getSystemClassLoader();
        try (InputStream in = loader.getResourceAsStream(sl.getImplClass() + ".class")) {
            if (in == null) throw new UnimplementedError("autograph: the class loader of " + host.getName() + " does not serve its class bytes");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UnimplementedError("autograph: cannot read the class bytes of " + host.getName() + ": " + e.getMessage());
        }
    }
}
