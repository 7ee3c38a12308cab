package dev.tfjit.autograph;

import dev.tfjit.tracer.TfFunction;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;

/**
 * Calls from converted code to other {@code @TfFunction} methods go through those methods'
 * functions, with or without the agent: inside a trace the callee's converted code is traced
 * inline, as TensorFlow traces a {@code tf.function} called from another.
 */
final class CalledFunctions {
    private CalledFunctions() {}

    private static final String RUNTIME = "dev/tfjit/autograph/TfFunctionRuntime";
    private static final Handle BOOTSTRAP = new Handle(Opcodes.H_INVOKESTATIC, RUNTIME, "bootstrap",
            MethodType.methodType(CallSite.class, MethodHandles.Lookup.class, String.class, MethodType.class, Class.class, String.class)
                    .toMethodDescriptorString(), false);

    static void redirect(MethodNode code, ClassLoader loader) {
        for (AbstractInsnNode in : code.instructions.toArray()) {
            if (!(in instanceof MethodInsnNode call) || call.name.startsWith("<")
                    || (call.getOpcode() != Opcodes.INVOKEVIRTUAL && call.getOpcode() != Opcodes.INVOKESTATIC)) {
                continue;
            }
            Method target = annotated(call, loader);
            if (target == null) continue;
            boolean isStatic = call.getOpcode() == Opcodes.INVOKESTATIC;
            String desc = isStatic ? call.desc : "(L" + call.owner + ";" + call.desc.substring(1);
            code.instructions.set(call, new InvokeDynamicInsnNode(call.name, desc, BOOTSTRAP,
                    Type.getObjectType(call.owner), call.desc));
        }
    }

    /** Whether the code calls a {@code @TfFunction} method (which {@link #redirect} would route through its function). */
    static boolean callsAny(MethodNode code, ClassLoader loader) {
        for (AbstractInsnNode in : code.instructions) {
            if (in instanceof MethodInsnNode call && !call.name.startsWith("<")
                    && (call.getOpcode() == Opcodes.INVOKEVIRTUAL || call.getOpcode() == Opcodes.INVOKESTATIC)
                    && annotated(call, loader) != null) {
                return true;
            }
        }
        return false;
    }

    private static Method annotated(MethodInsnNode call, ClassLoader loader) {
        if (call.owner.startsWith("java/") || call.owner.startsWith("[") || call.owner.startsWith("dev/tfjit/tracer/")) return null;
        try {
            Class<?> owner = Class.forName(call.owner.replace('/', '.'), false, loader);
            for (Class<?> k = owner; k != null; k = k.getSuperclass()) {
                for (Method m : k.getDeclaredMethods()) {
                    if (m.getName().equals(call.name) && Type.getMethodDescriptor(m).equals(call.desc)) {
                        return m.isAnnotationPresent(TfFunction.class) ? m : null;
                    }
                }
            }
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
        return null;
    }
}
