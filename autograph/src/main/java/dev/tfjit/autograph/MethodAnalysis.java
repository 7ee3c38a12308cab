package dev.tfjit.autograph;

import dev.tfjit.ir.UnimplementedError;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SimpleVerifier;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * What the rewriter needs to know about one method: the verifier's type of every local and stack
 * slot before each instruction, the control-flow successors, which locals are live (read later
 * before being written), the source line of each instruction, and the locals' names.
 */
final class MethodAnalysis {
    final MethodNode method;
    final Frame<BasicValue>[] frames;
    private final List<List<Integer>> successors = new ArrayList<>();
    private final BitSet[] liveIn;

    MethodAnalysis(String owner, MethodNode method, ClassLoader loader) {
        this.method = method;
        int n = method.instructions.size();
        for (int i = 0; i < n; i++) successors.add(new ArrayList<>());
        SimpleVerifier verifier = new SimpleVerifier(Opcodes.ASM9, Type.getObjectType(owner), null, List.of(), false) {};
        verifier.setClassLoader(loader);
        Analyzer<BasicValue> analyzer = new Analyzer<>(verifier) {
            @Override protected void newControlFlowEdge(int insn, int successor) { successors.get(insn).add(successor); }

            @Override protected boolean newControlFlowExceptionEdge(int insn, int successor) {
                successors.get(insn).add(successor);
                return true;
            }
        };
        try {
            frames = analyzer.analyze(owner, method);
        } catch (AnalyzerException e) {
            throw new UnimplementedError("autograph: cannot analyse the bytecode of " + method.name + ": " + e.getMessage());
        }
        liveIn = liveness();
    }

    int indexOf(AbstractInsnNode insn) { return method.instructions.indexOf(insn); }

    AbstractInsnNode insn(int i) { return method.instructions.get(i); }

    Frame<BasicValue> frameAt(int i) { return frames[i]; }

    /** Locals read on some path from instruction i before being written. */
    BitSet liveAt(int i) { return (BitSet) liveIn[i].clone(); }

    /** The source line of instruction i, or -1 when the class has no line table. */
    int lineOf(int i) {
        for (int k = i; k >= 0; k--) if (insn(k) instanceof LineNumberNode ln) return ln.line;
        for (int k = i + 1; k < method.instructions.size(); k++) if (insn(k) instanceof LineNumberNode ln) return ln.line;
        return -1;
    }

    /** The source name of local {@code slot} around instruction i, or "local #slot" without a table. */
    String nameOf(int slot, int i) {
        if (method.localVariables != null) {
            for (LocalVariableNode lv : method.localVariables) {
                if (lv.index == slot && indexOf(lv.start) <= i + 1 && i <= indexOf(lv.end)) return lv.name;
            }
            for (LocalVariableNode lv : method.localVariables) if (lv.index == slot) return lv.name;
        }
        return "local #" + slot;
    }

    /** Locals written by instructions in [from, to). */
    BitSet storedIn(int from, int to) {
        BitSet out = new BitSet();
        for (int i = from; i < to; i++) {
            AbstractInsnNode in = insn(i);
            if (in instanceof VarInsnNode v && v.getOpcode() >= Opcodes.ISTORE && v.getOpcode() <= Opcodes.ASTORE) out.set(v.var);
            if (in instanceof IincInsnNode inc) out.set(inc.var);
        }
        return out;
    }

    int indexOf(LabelNode label) { return method.instructions.indexOf(label); }

    private BitSet[] liveness() {
        int n = method.instructions.size();
        BitSet[] in = new BitSet[n];
        for (int i = 0; i < n; i++) in[i] = new BitSet();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = n - 1; i >= 0; i--) {
                BitSet out = new BitSet();
                for (int s : successors.get(i)) out.or(in[s]);
                AbstractInsnNode insn = insn(i);
                if (insn instanceof VarInsnNode v) {
                    if (v.getOpcode() >= Opcodes.ISTORE && v.getOpcode() <= Opcodes.ASTORE) out.clear(v.var);
                    else out.set(v.var);
                } else if (insn instanceof IincInsnNode inc) {
                    out.set(inc.var);
                }
                if (!out.equals(in[i])) {
                    in[i] = out;
                    changed = true;
                }
            }
        }
        return in;
    }
}
