package dev.tfjit.autograph;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Makes {@code for (Tensor x : t)} a tensor test: javac compiles it to {@code t.iterator()},
 * {@code hasNext()} and {@code next()}; these become calls of {@link Staging#iterate},
 * {@link Staging#hasNext} (a bool tensor, then {@code booleanValue()}, like any tensor test)
 * and {@link Staging#next}. Only iterators that come from a tensor are touched (the verifier's
 * types say which), so loops over lists stay plain Java.
 */
final class TensorLoops {
    static final String STAGING = "dev/tfjit/autograph/Staging";
    static final String ITERATION = "dev/tfjit/autograph/TensorIteration";

    private TensorLoops() {}

    static void rewrite(String owner, MethodNode m, ClassLoader loader) {
        boolean any = false;
        for (AbstractInsnNode in : m.instructions) {
            if (in instanceof MethodInsnNode call && call.getOpcode() == Opcodes.INVOKEVIRTUAL && call.owner.equals(MethodAnalysis.TENSOR)
                    && call.name.equals("iterator") && call.desc.equals("()Ljava/util/Iterator;")) {
                m.instructions.set(call, new MethodInsnNode(Opcodes.INVOKESTATIC, STAGING, "iterate",
                        "(L" + MethodAnalysis.TENSOR + ";)L" + ITERATION + ";", false));
                any = true;
            }
        }
        if (!any) return;
        Frame<BasicValue>[] frames = MethodAnalysis.analyze(owner, m, loader, null);
        AbstractInsnNode[] insns = m.instructions.toArray();
        for (int i = 0; i < insns.length; i++) {
            if (!(insns[i] instanceof MethodInsnNode call) || call.getOpcode() != Opcodes.INVOKEINTERFACE
                    || !call.owner.equals("java/util/Iterator") || frames[i] == null) {
                continue;
            }
            Frame<BasicValue> f = frames[i];
            BasicValue receiver = f.getStack(f.getStackSize() - 1);
            if (receiver.getType() == null || !receiver.getType().getInternalName().equals(ITERATION)) continue;
            if (call.name.equals("hasNext")) {
                InsnList test = new InsnList();
                test.add(new MethodInsnNode(Opcodes.INVOKESTATIC, STAGING, "hasNext", "(L" + ITERATION + ";)L" + MethodAnalysis.TENSOR + ";", false));
                test.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, MethodAnalysis.TENSOR, "booleanValue", "()Z", false));
                m.instructions.insert(call, test);
                m.instructions.remove(call);
            } else if (call.name.equals("next")) {
                m.instructions.set(call, new MethodInsnNode(Opcodes.INVOKESTATIC, STAGING, "next", "(L" + ITERATION + ";)Ljava/lang/Object;", false));
            }
        }
    }
}
