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

/**
 * Emits the code that moves a method's locals into a "frame" (an {@code Object[]} indexed by
 * local slot, with two more cells: the exit or action index and a returned value) and back.
 * Types come from the verifier's frame at the point the locals are read or written.
 */
final class Frames {
    private Frames() {}

    /** Pushes a new frame of {@code length} cells holding the locals {@code slots} (typed by {@code f}). */
    static void pack(InsnList out, Frame<BasicValue> f, BitSet slots, int length) {
        pushInt(out, length);
        out.add(new TypeInsnNode(Opcodes.ANEWARRAY, "java/lang/Object"));
        store(out, f, slots);
    }

    /** With a frame on the stack, stores the locals {@code slots} into it; the frame stays on the stack. */
    static void store(InsnList out, Frame<BasicValue> f, BitSet slots) {
        for (int slot = slots.nextSetBit(0); slot >= 0; slot = slots.nextSetBit(slot + 1)) {
            Type t = typeOf(f, slot);
            if (t == null) continue;
            out.add(new InsnNode(Opcodes.DUP));
            pushInt(out, slot);
            out.add(new VarInsnNode(t.getOpcode(Opcodes.ILOAD), slot));
            box(out, t);
            out.add(new InsnNode(Opcodes.AASTORE));
        }
    }

    /** Sets each local of {@code slots} from frame[slot], the frame being in local {@code frameSlot}. */
    static void unpack(InsnList out, Frame<BasicValue> f, int frameSlot, BitSet slots) {
        for (int slot = slots.nextSetBit(0); slot >= 0; slot = slots.nextSetBit(slot + 1)) {
            Type t = typeOf(f, slot);
            if (t == null) continue;
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

    /** The local's type, or null when it holds no value there. */
    private static Type typeOf(Frame<BasicValue> f, int slot) {
        if (f == null || slot >= f.getLocals()) return null;
        BasicValue v = f.getLocal(slot);
        if (v == null || v == BasicValue.RETURNADDRESS_VALUE || v == BasicValue.UNINITIALIZED_VALUE) return null;
        Type t = v.getType();
        if (t == null || (t.getSort() == Type.OBJECT && t.getInternalName().startsWith("uninitialized"))) return null;
        return t;
    }

    static void pushInt(InsnList out, int v) {
        if (v >= -1 && v <= 5) out.add(new InsnNode(Opcodes.ICONST_0 + v));
        else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) out.add(new IntInsnNode(Opcodes.BIPUSH, v));
        else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) out.add(new IntInsnNode(Opcodes.SIPUSH, v));
        else out.add(new LdcInsnNode(v));
    }

    static void box(InsnList out, Type t) {
        String box = boxOf(t);
        if (box != null) out.add(new MethodInsnNode(Opcodes.INVOKESTATIC, box, "valueOf", "(" + primitiveOf(t).getDescriptor() + ")L" + box + ";", false));
    }

    /** Casts an Object on the stack to {@code t}, unboxing primitives. */
    static void unbox(InsnList out, Type t) {
        String box = boxOf(t);
        if (box == null) {
            out.add(new TypeInsnNode(Opcodes.CHECKCAST, t.getSort() == Type.ARRAY ? t.getDescriptor() : t.getInternalName()));
            return;
        }
        Type p = primitiveOf(t);
        out.add(new TypeInsnNode(Opcodes.CHECKCAST, box));
        out.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, box, p.getClassName() + "Value", "()" + p.getDescriptor(), false));
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

    private static Type primitiveOf(Type t) {
        return switch (t.getSort()) {
            case Type.BOOLEAN, Type.BYTE, Type.CHAR, Type.SHORT -> Type.INT_TYPE;
            default -> t;
        };
    }

    /** Boxing for a method's declared return type, where boolean and friends keep their own box. */
    static void boxReturn(InsnList out, Type t) {
        String box = switch (t.getSort()) {
            case Type.BOOLEAN -> "java/lang/Boolean";
            case Type.BYTE -> "java/lang/Byte";
            case Type.CHAR -> "java/lang/Character";
            case Type.SHORT -> "java/lang/Short";
            default -> boxOf(t);
        };
        if (box != null) out.add(new MethodInsnNode(Opcodes.INVOKESTATIC, box, "valueOf", "(" + t.getDescriptor() + ")L" + box + ";", false));
    }

    static void unboxReturn(InsnList out, Type t) {
        String box = switch (t.getSort()) {
            case Type.BOOLEAN -> "java/lang/Boolean";
            case Type.BYTE -> "java/lang/Byte";
            case Type.CHAR -> "java/lang/Character";
            case Type.SHORT -> "java/lang/Short";
            default -> boxOf(t);
        };
        if (box == null) {
            out.add(new TypeInsnNode(Opcodes.CHECKCAST, t.getSort() == Type.ARRAY ? t.getDescriptor() : t.getInternalName()));
            return;
        }
        out.add(new TypeInsnNode(Opcodes.CHECKCAST, box));
        out.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, box, t.getClassName() + "Value", "()" + t.getDescriptor(), false));
    }
}
