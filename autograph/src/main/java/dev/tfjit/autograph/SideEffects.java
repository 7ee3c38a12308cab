package dev.tfjit.autograph;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

import java.util.BitSet;
import java.util.Set;

/**
 * Code that must not be staged: inside a staged branch or loop body the Java runs once, while
 * tracing, so a write to Java heap state would happen once instead of whenever the graph takes
 * that path, and an exception would be thrown while tracing whatever the tensors hold.
 */
final class SideEffects {
    private SideEffects() {}

    private static final Set<String> MUTATORS = Set.of("add", "addAll", "addFirst", "addLast", "put", "putAll", "putIfAbsent",
            "remove", "removeAll", "removeIf", "retainAll", "clear", "set", "push", "pop", "offer", "offerFirst", "offerLast",
            "poll", "pollFirst", "pollLast", "replaceAll", "sort", "compute", "computeIfAbsent", "computeIfPresent", "merge");

    private static final String ONCE = ", which would happen once while tracing instead of each time the graph takes this path";

    /**
     * The first such thing among {@code nodes}, as a clause for an error message
     * ("writes the field x (line 12), which ..."), or null.
     */
    static String firstIn(MethodAnalysis a, BitSet nodes) {
        for (int i = nodes.nextSetBit(0); i >= 0; i = nodes.nextSetBit(i + 1)) {
            String what = describe(a.insn(i), a.lineOf(i));
            if (what != null && isArrayStore(a.insn(i)) && a.storesIntoNewArray(i)) continue;
            if (what != null) return what;
        }
        for (TryCatchBlockNode tc : a.method.tryCatchBlocks) {
            int start = a.indexOf(tc.start), end = a.indexOf(tc.end), handler = a.indexOf(tc.handler);
            boolean covers = nodes.get(handler);
            for (int i = start; i < end && !covers; i++) covers = nodes.get(i);
            if (covers) return "has a try/catch (line " + a.lineOf(start) + "), which would only catch errors raised while tracing";
        }
        return null;
    }

    private static String describe(AbstractInsnNode in, int line) {
        int op = in.getOpcode();
        String at = " (line " + line + ")";
        if (op == Opcodes.PUTFIELD || op == Opcodes.PUTSTATIC) {
            return "writes the field " + ((FieldInsnNode) in).name + at + ONCE + "; keep the value in a Tensor local or a Variable";
        }
        if (isArrayStore(in)) {
            return "writes an array element" + at + ONCE + "; keep the values in Tensor locals or a TensorArray";
        }
        if (in instanceof MethodInsnNode m && MUTATORS.contains(m.name) && isCollection(m.owner)) {
            return "calls " + m.owner.substring(m.owner.lastIndexOf('/') + 1) + "." + m.name + at + ONCE
                    + "; collect tensors in a TensorArray or a Tensor local";
        }
        if (op == Opcodes.ATHROW) {
            return "throws an exception" + at + ", which would be thrown while tracing whatever values the tensors hold";
        }
        if (op == Opcodes.MONITORENTER) return "enters a synchronized block" + at + ", which cannot be staged";
        return null;
    }

    private static boolean isArrayStore(AbstractInsnNode in) { return in.getOpcode() >= Opcodes.IASTORE && in.getOpcode() <= Opcodes.SASTORE; }

    private static boolean isCollection(String owner) {
        if (!owner.startsWith("java/util/")) return false;
        try {
            Class<?> c = Class.forName(owner.replace('/', '.'), false, null);
            return java.util.Collection.class.isAssignableFrom(c) || java.util.Map.class.isAssignableFrom(c);
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
