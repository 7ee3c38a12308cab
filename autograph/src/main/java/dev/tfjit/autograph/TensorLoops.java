package dev.tfjit.autograph;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Makes {@code for (Tensor x : t)} and {@code for (var e : dataset)} tensor tests: javac compiles
 * them to {@code iterator()}, {@code hasNext()} and {@code next()}; these become calls of
 * {@link Staging#iterate}, {@link Staging#hasNext} (a bool tensor, then {@code booleanValue()},
 * like any tensor test) and {@link Staging#next}. Only iterators that come from a tensor or a
 * dataset are touched (the verifier's types say which), so loops over lists stay plain Java; a
 * dataset's iterator is replaced only where the code uses it as a for-each loop does (it is not
 * closed or passed on), as a {@link StagedIteration} is not a {@code DatasetIterator}.
 */
final class TensorLoops {
    static final String STAGING = "dev/tfjit/autograph/Staging";
    static final String ITERATION = "dev/tfjit/autograph/StagedIteration";
    static final String DATASET = "dev/tfjit/tracer/data/Dataset";
    private static final String DATASET_ITERATOR = "dev/tfjit/tracer/data/DatasetIterator";

    private TensorLoops() {}

    static void rewrite(String owner, MethodNode m, ClassLoader loader) {
        boolean any = false;
        Frame<BasicValue>[] before = null;
        for (AbstractInsnNode in : m.instructions.toArray()) {
            if (!(in instanceof MethodInsnNode call) || call.getOpcode() != Opcodes.INVOKEVIRTUAL || !call.name.equals("iterator")) continue;
            if (call.owner.equals(MethodAnalysis.TENSOR) && call.desc.equals("()Ljava/util/Iterator;")) {
                m.instructions.set(call, iterate(MethodAnalysis.TENSOR));
                any = true;
            } else if (call.owner.equals(DATASET) && call.desc.equals("()L" + DATASET_ITERATOR + ";")) {
                if (before == null) before = MethodAnalysis.analyze(owner, m, loader, null);
                if (usedAsForEach(m, call, before)) {
                    m.instructions.set(call, iterate(DATASET));
                    any = true;
                }
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

    private static MethodInsnNode iterate(String sourceType) {
        return new MethodInsnNode(Opcodes.INVOKESTATIC, STAGING, "iterate", "(L" + sourceType + ";)L" + ITERATION + ";", false);
    }

    /**
     * Whether the dataset iterator made at {@code call} is stored in a local that is only ever read
     * for {@code Iterator.hasNext()} or {@code next()}: javac's for-each loop.
     */
    private static boolean usedAsForEach(MethodNode m, MethodInsnNode call, Frame<BasicValue>[] frames) {
        AbstractInsnNode store = next(call);
        if (!(store instanceof VarInsnNode v) || v.getOpcode() != Opcodes.ASTORE) return false;
        for (int i = 0; i < frames.length; i++) {
            if (!(m.instructions.get(i) instanceof VarInsnNode load) || load.getOpcode() != Opcodes.ALOAD || load.var != v.var
                    || frames[i] == null) {
                continue;
            }
            BasicValue local = frames[i].getLocal(v.var);
            if (local.getType() == null || !local.getType().getInternalName().equals(DATASET_ITERATOR)) continue;
            if (!(next(load) instanceof MethodInsnNode use) || !use.owner.equals("java/util/Iterator")
                    || !(use.name.equals("hasNext") || use.name.equals("next"))) {
                return false;
            }
        }
        return true;
    }

    private static AbstractInsnNode next(AbstractInsnNode in) {
        AbstractInsnNode n = in.getNext();
        while (n != null && MethodAnalysis.isPseudo(n)) n = n.getNext();
        return n;
    }
}
