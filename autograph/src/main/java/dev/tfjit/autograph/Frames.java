package dev.tfjit.autograph;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

import java.util.BitSet;

/** Emits the code that boxes a method's locals into an Object[] frame by slot, and back. */
final class Frames {
    private Frames() {}

    /** Pushes a new Object[size] holding every local defined in {@code f}. */
    static void pack(InsnList out, Frame<BasicValue> f, int size) {
        pushInt(out, size);
        out.add(new TypeInsnNode(Opcodes.ANEWARRAY, "java/lang/Object"));
        for (int slot = 0; slot < Math.min(size, f.getLocals()); slot++) {
            Type t = f.getLocal(slot).getType();
            if (t == null || f.getLocal(slot) == BasicValue.RETURNADDRESS_VALUE) continue;
            out.add(new InsnNode(Opcodes.DUP));
            pushInt(out, slot);
            out.add(new VarInsnNode(t.getOpcode(Opcodes.ILOAD), slot));
            box(out, t);
            out.add(new InsnNode(Opcodes.AASTORE));
        }
    }

    /** Stores frame[slot] (the frame is in local {@code frameSlot}) into each slot of {@code which} defined in {@code f}. */
    static void unpack(InsnList out, Frame<BasicValue> f, int frameSlot, BitSet which) {
        for (int slot = which.nextSetBit(0); slot >= 0 && slot < f.getLocals(); slot = which.nextSetBit(slot + 1)) {
            Type t = f.getLocal(slot).getType();
            if (t == null || f.getLocal(slot) == BasicValue.RETURNADDRESS_VALUE) continue;
            if (t.getSort() == Type.OBJECT && t.getInternalName().equals("null")) {
                out.add(new InsnNode(Opcodes.ACONST_NULL));
            } else {
                out.add(new VarInsnNode(Opcodes.ALOAD, frameSlot));
                pushInt(out, slot);
                out.add(new InsnNode(Opcodes.AALOAD));
                unbox(out, t);
            }
            out.add(new VarInsnNode(t.getOpcode(Opcodes.ISTORE), slot));
        }
    }

    static BitSet defined(Frame<BasicValue> f) {
        BitSet b = new BitSet();
        for (int slot = 0; slot < f.getLocals(); slot++) if (f.getLocal(slot).getType() != null) b.set(slot);
        return b;
    }

    static void pushInt(InsnList out, int v) {
        if (v >= -1 && v <= 5) out.add(new InsnNode(Opcodes.ICONST_0 + v));
        else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) out.add(new IntInsnNode(Opcodes.BIPUSH, v));
        else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) out.add(new IntInsnNode(Opcodes.SIPUSH, v));
        else out.add(new LdcInsnNode(v));
    }

    private static void box(InsnList out, Type t) {
        String box = boxOf(t);
        if (box != null) out.add(new MethodInsnNode(Opcodes.INVOKESTATIC, box, "valueOf", "(" + t.getDescriptor() + ")L" + box + ";", false));
    }

    private static void unbox(InsnList out, Type t) {
        String box = boxOf(t);
        if (box == null) {
            out.add(new TypeInsnNode(Opcodes.CHECKCAST, t.getSort() == Type.ARRAY ? t.getDescriptor() : t.getInternalName()));
            return;
        }
        out.add(new TypeInsnNode(Opcodes.CHECKCAST, box));
        out.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, box, t.getClassName() + "Value", "()" + t.getDescriptor(), false));
    }

    /** The verifier merges boolean, byte, char, short and int locals into int. */
    private static String boxOf(Type t) {
        return switch (t.getSort()) {
            case Type.INT, Type.BOOLEAN, Type.BYTE, Type.CHAR, Type.SHORT -> "java/lang/Integer";
            case Type.FLOAT -> "java/lang/Float";
            case Type.LONG -> "java/lang/Long";
            case Type.DOUBLE -> "java/lang/Double";
            default -> null;
        };
    }
}
