package dev.tfjit.autograph;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the {@code Tensor.booleanValue()} tests of a method and matches the shapes javac gives
 * {@code if}, {@code if/else} and {@code while}: {@code test; IFEQ else; then; GOTO end; else: ...; end:}
 * and {@code head: cond; IFEQ exit; body; GOTO head; exit:}.
 */
final class PointFinder {
    static final String TENSOR = "dev/tfjit/tracer/Tensor";

    private final MethodAnalysis a;

    PointFinder(MethodAnalysis a) { this.a = a; }

    List<ConversionPoint> find() {
        List<ConversionPoint> out = new ArrayList<>();
        for (int i = 0; i < a.method.instructions.size(); i++) {
            if (a.insn(i) instanceof MethodInsnNode m && m.owner.equals(TENSOR) && m.name.equals("booleanValue") && m.desc.equals("()Z")
                    && a.frameAt(i) != null) {
                out.add(classify(i));
            }
        }
        return out;
    }

    private ConversionPoint classify(int call) {
        if (a.frameAt(call).getStackSize() != 1) {
            return new ConversionPoint.Unconvertible(call, "the test is part of a larger expression (a ternary, an argument or"
                    + " &&/||); write it as its own if (...) or while (...) statement");
        }
        int j = next(call);
        if (!(a.insn(j) instanceof JumpInsnNode jump) || (jump.getOpcode() != Opcodes.IFEQ && jump.getOpcode() != Opcodes.IFNE)) {
            return new ConversionPoint.Unconvertible(call, "the boolean is stored or passed on instead of tested by an if or while");
        }
        int target = a.indexOf(jump.label);
        boolean whenTrue = jump.getOpcode() == Opcodes.IFNE;
        if (target < j) return new ConversionPoint.Unconvertible(call, "do/while loops on tensors are not supported yet; use while (...)");
        int beforeTarget = previous(target);
        int end = a.insn(previous(target)) instanceof JumpInsnNode g0 && g0.getOpcode() == Opcodes.GOTO ? a.indexOf(g0.label) : target;
        if (a.frameAt(end) == null || a.frameAt(end).getStackSize() != 0) {
            return new ConversionPoint.Unconvertible(call, "the test chooses a value (a ternary ? :) instead of a statement; write it as"
                    + " an if statement that assigns a local, or use Tf.cond / Tf.where");
        }
        ConversionPoint folded = whileEndingInBreak(call, j, whenTrue, beforeTarget, jump.label);
        if (folded != null) return folded;
        if (a.insn(beforeTarget) instanceof JumpInsnNode g && g.getOpcode() == Opcodes.GOTO) {
            int gotoTarget = a.indexOf(g.label);
            if (gotoTarget < call && cleanCondition(gotoTarget, call)) {
                int breakCall = finalBreakTest(j + 1, beforeTarget, jump.label);
                int bodyTo = breakCall >= 0 ? breakCall : beforeTarget;
                String problem = regionProblem(j + 1, bodyTo, Set.of(g.label, jump.label), "while loop", jump.label);
                if (problem != null) return new ConversionPoint.Unconvertible(call, problem);
                BitSet carried = a.storedIn(j + 1, bodyTo);
                carried.and(a.liveAt(gotoTarget));
                boolean breakNegate = breakCall >= 0 && a.insn(next(breakCall)).getOpcode() == Opcodes.IFNE;
                return new ConversionPoint.While(call, whenTrue, g.label, j + 1, bodyTo, jump.label, carried, breakCall, breakNegate);
            }
            if (gotoTarget > target) {
                String problem = regionProblem(j + 1, beforeTarget, Set.of(g.label), "if", null);
                if (problem == null) problem = regionProblem(target, gotoTarget, Set.of(g.label), "if", null);
                if (problem != null) return new ConversionPoint.Unconvertible(call, problem);
                BitSet carried = a.storedIn(j + 1, gotoTarget);
                carried.and(a.liveAt(gotoTarget));
                return new ConversionPoint.If(call, whenTrue, j + 1, beforeTarget, target, gotoTarget, g.label, carried);
            }
        }
        ConversionPoint ret = conditionalReturn(call, j, whenTrue, target);
        if (ret != null) return ret;
        String problem = regionProblem(j + 1, target, Set.of(jump.label), "if", null);
        if (problem != null) return new ConversionPoint.Unconvertible(call, problem);
        BitSet carried = a.storedIn(j + 1, target);
        carried.and(a.liveAt(target));
        return new ConversionPoint.If(call, whenTrue, j + 1, target, target, target, jump.label, carried);
    }

    /**
     * {@code if (t) { ...; return a; } rest; return b;} with both parts leaving only by returns
     * (the rest of the method is the other branch), in a method returning an object.
     */
    private ConversionPoint conditionalReturn(int call, int j, boolean whenTrue, int target) {
        int last = previous(target);
        if (last <= j || a.insn(last).getOpcode() != Opcodes.ARETURN) return null;
        if (org.objectweb.asm.Type.getReturnType(a.method.desc).getSort() != org.objectweb.asm.Type.OBJECT) return null;
        int end = a.method.instructions.size();
        String problem = regionProblem(j + 1, target, Set.of(), "if", null, true);
        if (problem == null) problem = regionProblem(target, end, Set.of(), "if", null, true);
        if (problem != null) return new ConversionPoint.Unconvertible(call, problem);
        return new ConversionPoint.Return(call, whenTrue, j + 1, target, target, end);
    }

    /**
     * javac compiles a loop body ending in {@code if (t.booleanValue()) break;} as
     * {@code t.booleanValue(); IFEQ head; GOTO exit; exit:}: the test's jump is the back edge.
     */
    private ConversionPoint whileEndingInBreak(int call, int j, boolean whenTrue, int beforeTarget, LabelNode exit) {
        if (!(a.insn(beforeTarget) instanceof JumpInsnNode g) || g.getOpcode() != Opcodes.GOTO || g.label != exit) return null;
        int j2 = previous(beforeTarget);
        if (j2 <= j || !(a.insn(j2) instanceof JumpInsnNode back) || (back.getOpcode() != Opcodes.IFEQ && back.getOpcode() != Opcodes.IFNE)) {
            return null;
        }
        int head = a.indexOf(back.label);
        int call2 = previous(j2);
        if (head >= call || !cleanCondition(head, call) || call2 <= j || !(a.insn(call2) instanceof MethodInsnNode m)
                || !m.owner.equals(TENSOR) || !m.name.equals("booleanValue") || a.frameAt(call2) == null
                || a.frameAt(call2).getStackSize() != 1) {
            return null;
        }
        String problem = regionProblem(j + 1, call2, Set.of(back.label, exit), "while loop", exit);
        if (problem != null) return new ConversionPoint.Unconvertible(call, problem);
        BitSet carried = a.storedIn(j + 1, call2);
        carried.and(a.liveAt(head));
        return new ConversionPoint.While(call, whenTrue, back.label, j + 1, call2, exit, carried, call2,
                back.getOpcode() == Opcodes.IFNE);
    }

    /**
     * The index of the test of a body [from, to) that ends in {@code if (t.booleanValue()) break;}
     * ({@code test; IFEQ skip; GOTO exit; skip:}), or -1. Such a break needs no flag to skip the
     * rest of the iteration: nothing follows it, so it becomes part of the loop condition.
     */
    private int finalBreakTest(int from, int to, LabelNode exit) {
        int g = previous(to);
        if (g <= from || !(a.insn(g) instanceof JumpInsnNode brk) || brk.getOpcode() != Opcodes.GOTO || brk.label != exit) return -1;
        int j = previous(g);
        if (j <= from || !(a.insn(j) instanceof JumpInsnNode test) || (test.getOpcode() != Opcodes.IFEQ && test.getOpcode() != Opcodes.IFNE)
                || a.indexOf(test.label) <= g || a.indexOf(test.label) > to) {
            return -1;
        }
        for (int k = g + 1; k < to; k++) if (!isPseudo(a.insn(k))) return -1;
        int call = previous(j);
        boolean isTest = a.insn(call) instanceof MethodInsnNode m && m.owner.equals(TENSOR) && m.name.equals("booleanValue")
                && a.frameAt(call) != null && a.frameAt(call).getStackSize() == 1;
        return isTest ? call : -1;
    }

    /** A loop condition must be a plain expression: no jumps, no stores, empty stack at its start. */
    private boolean cleanCondition(int head, int call) {
        if (!(a.insn(head) instanceof LabelNode) || a.frameAt(head) == null || a.frameAt(head).getStackSize() != 0) return false;
        for (int i = head; i < call; i++) {
            AbstractInsnNode in = a.insn(i);
            if (in instanceof JumpInsnNode || in instanceof TableSwitchInsnNode || in instanceof LookupSwitchInsnNode) return false;
        }
        return a.storedIn(head, call).isEmpty();
    }

    /** Null when [from, to) only leaves through {@code exits}; else why the block cannot be staged. */
    private String regionProblem(int from, int to, Set<LabelNode> exits, String what, LabelNode breakLabel) {
        return regionProblem(from, to, exits, what, breakLabel, false);
    }

    private String regionProblem(int from, int to, Set<LabelNode> exits, String what, LabelNode breakLabel, boolean returnsAllowed) {
        for (int i = from; i < to; i++) {
            AbstractInsnNode in = a.insn(i);
            int op = in.getOpcode();
            if (op >= Opcodes.IRETURN && op <= Opcodes.RETURN && !(returnsAllowed && op == Opcodes.ARETURN)) {
                return "a return inside an " + what + " on a symbolic tensor (line " + a.lineOf(i) + ") is only supported as"
                        + " 'if (t) { ...; return a; } ...; return b;' outside loops; assign the result to a local and return after the " + what;
            }
            if (op == Opcodes.PUTFIELD || op == Opcodes.PUTSTATIC || (op >= Opcodes.IASTORE && op <= Opcodes.SASTORE)) {
                return "the " + what + " on a symbolic tensor writes Java heap state (" + (op == Opcodes.PUTFIELD || op == Opcodes.PUTSTATIC
                        ? "field " + ((FieldInsnNode) in).name : "an array element") + " at line " + a.lineOf(i)
                        + "), which would happen once while tracing instead of when the graph runs; use a Variable or a carried Tensor local";
            }
            List<LabelNode> targets = new ArrayList<>();
            if (in instanceof JumpInsnNode jmp) targets.add(jmp.label);
            if (in instanceof TableSwitchInsnNode ts) { targets.add(ts.dflt); targets.addAll(ts.labels); }
            if (in instanceof LookupSwitchInsnNode ls) { targets.add(ls.dflt); targets.addAll(ls.labels); }
            for (LabelNode t : targets) {
                int ti = a.indexOf(t);
                if (t == breakLabel) {
                    return "break inside a while loop on a symbolic tensor (line " + a.lineOf(i) + ") is not supported yet; fold the"
                            + " exit test into the loop condition";
                }
                if ((ti < from || ti >= to) && !exits.contains(t)) {
                    return "a jump out of the " + what + " on a symbolic tensor (a break, continue, or a || of tensor tests; line "
                            + a.lineOf(i) + ") is not supported yet; combine tensor tests with Tf.logicalOr / Tf.logicalAnd";
                }
            }
        }
        for (TryCatchBlockNode tc : a.method.tryCatchBlocks) {
            int s = a.indexOf(tc.start), e = a.indexOf(tc.end), h = a.indexOf(tc.handler);
            boolean inside = (s >= from && s < to) || (h >= from && h < to);
            if (inside) return "try/catch inside an " + what + " on a symbolic tensor (line " + a.lineOf(s) + ") is not supported yet";
            if (e > from && e < to) return "try/catch around part of an " + what + " on a symbolic tensor is not supported yet";
        }
        return null;
    }

    private int next(int i) {
        int k = i + 1;
        while (k < a.method.instructions.size() && isPseudo(a.insn(k))) k++;
        return k;
    }

    private int previous(int i) {
        int k = i - 1;
        while (k > 0 && isPseudo(a.insn(k))) k--;
        return k;
    }

    private static boolean isPseudo(AbstractInsnNode in) {
        return in instanceof LabelNode || in instanceof LineNumberNode || in instanceof FrameNode;
    }
}
