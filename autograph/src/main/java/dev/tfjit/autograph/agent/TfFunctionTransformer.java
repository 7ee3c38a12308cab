package dev.tfjit.autograph.agent;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.lang.instrument.ClassFileTransformer;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites each {@code @TfFunction} method into
 * {@code return TfFunctionRuntime.call(MethodHandles.lookup(), this, "name", "desc", args)}.
 * The original code is not lost: {@code TfFunctionRuntime} converts it from the class file
 * the class loader serves, which the agent does not change. Classes without the annotation's
 * name in their bytes are left alone without being parsed.
 */
final class TfFunctionTransformer implements ClassFileTransformer {
    static final String ANNOTATION = "Ldev/tfjit/tracer/TfFunction;";
    private static final byte[] MARK = ANNOTATION.getBytes(StandardCharsets.UTF_8);
    private static final String RUNTIME = "dev/tfjit/autograph/TfFunctionRuntime";
    private static final String LOOKUP = "java/lang/invoke/MethodHandles$Lookup";

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
        if (loader == null || className == null || className.startsWith("java/") || className.startsWith("jdk/")
                || className.startsWith("sun/") || className.startsWith("dev/tfjit/autograph/TfFunctionRuntime") || !contains(bytes, MARK)) {
            return null;
        }
        try {
            return rewrite(bytes);
        } catch (RuntimeException | LinkageError e) {
            System.err.println("tfjit: WARNING: the agent could not rewrite the @TfFunction methods of " + className.replace('/', '.')
                    + " (" + e + "); calls of them run as plain Java");
            return null;
        }
    }

    static byte[] rewrite(byte[] bytes) {
        ClassNode cn = new ClassNode();
        new ClassReader(bytes).accept(cn, 0);
        boolean changed = false;
        for (MethodNode m : cn.methods) {
            // javac copies annotations onto bridge methods; a bridge only calls the method itself, which is rewritten.
            if (!annotated(m) || (m.access & Opcodes.ACC_BRIDGE) != 0) continue;
            if ((m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0 || m.name.startsWith("<")) {
                throw new IllegalStateException("@TfFunction on " + m.name + ", which has no body of its own");
            }
            stub(cn, m);
            changed = true;
        }
        if (!changed) return null;
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cn.accept(w);
        return w.toByteArray();
    }

    private static boolean annotated(MethodNode m) {
        List<AnnotationNode> all = new ArrayList<>();
        if (m.visibleAnnotations != null) all.addAll(m.visibleAnnotations);
        if (m.invisibleAnnotations != null) all.addAll(m.invisibleAnnotations);
        return all.stream().anyMatch(a -> a.desc.equals(ANNOTATION));
    }

    private static void stub(ClassNode cn, MethodNode m) {
        boolean isStatic = (m.access & Opcodes.ACC_STATIC) != 0;
        Type[] params = Type.getArgumentTypes(m.desc);
        Type ret = Type.getReturnType(m.desc);
        InsnList code = new InsnList();
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "java/lang/invoke/MethodHandles", "lookup", "()L" + LOOKUP + ";", false));
        code.add(isStatic ? new InsnNode(Opcodes.ACONST_NULL) : new VarInsnNode(Opcodes.ALOAD, 0));
        code.add(new LdcInsnNode(m.name));
        code.add(new LdcInsnNode(m.desc));
        code.add(new LdcInsnNode(params.length));
        code.add(new TypeInsnNode(Opcodes.ANEWARRAY, "java/lang/Object"));
        int slot = isStatic ? 0 : 1;
        for (int i = 0; i < params.length; i++) {
            code.add(new InsnNode(Opcodes.DUP));
            code.add(new LdcInsnNode(i));
            code.add(new VarInsnNode(params[i].getOpcode(Opcodes.ILOAD), slot));
            box(code, params[i]);
            code.add(new InsnNode(Opcodes.AASTORE));
            slot += params[i].getSize();
        }
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, RUNTIME, "call",
                "(L" + LOOKUP + ";Ljava/lang/Object;Ljava/lang/String;Ljava/lang/String;[Ljava/lang/Object;)Ljava/lang/Object;", false));
        if (ret.getSort() == Type.VOID) {
            code.add(new InsnNode(Opcodes.POP));
            code.add(new InsnNode(Opcodes.RETURN));
        } else {
            code.add(new TypeInsnNode(Opcodes.CHECKCAST, ret.getSort() == Type.ARRAY ? ret.getDescriptor() : ret.getInternalName()));
            code.add(new InsnNode(Opcodes.ARETURN));
        }
        m.instructions = code;
        m.tryCatchBlocks = new ArrayList<>();
        m.localVariables = null;
        m.visibleLocalVariableAnnotations = null;
        m.invisibleLocalVariableAnnotations = null;
        m.maxLocals = slot;
    }

    private static void box(InsnList code, Type t) {
        String box = switch (t.getSort()) {
            case Type.BOOLEAN -> "java/lang/Boolean";
            case Type.BYTE -> "java/lang/Byte";
            case Type.CHAR -> "java/lang/Character";
            case Type.SHORT -> "java/lang/Short";
            case Type.INT -> "java/lang/Integer";
            case Type.LONG -> "java/lang/Long";
            case Type.FLOAT -> "java/lang/Float";
            case Type.DOUBLE -> "java/lang/Double";
            default -> null;
        };
        if (box != null) code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, box, "valueOf", "(" + t.getDescriptor() + ")L" + box + ";", false));
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }
}
