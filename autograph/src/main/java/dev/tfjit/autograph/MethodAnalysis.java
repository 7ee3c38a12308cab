package dev.tfjit.autograph;

import dev.tfjit.ir.UnimplementedError;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SimpleVerifier;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * What conversion needs to know about one method, by instruction index: the verifier's type of
 * every local and stack slot, the control-flow graph (pseudo-instructions such as labels are
 * nodes too, falling through to the next), which locals are live, the source line, the locals'
 * names, and the tensor tests ({@code Tensor.booleanValue()} calls).
 */
final class MethodAnalysis {
    static final String TENSOR = "dev/tfjit/tracer/Tensor";

    final MethodNode method;
    final String owner;
    private final String sourceFile; // for naming locals of a class without a local variable table
    private final Frame<BasicValue>[] frames;
    private final int[][] successors;
    private final int[][] predecessors;
    private final BitSet[] liveIn;
    private final BitSet tests = new BitSet();
    private Frame<SourceValue>[] sources;

    MethodAnalysis(String owner, MethodNode method, ClassLoader loader, String sourceFile) {
        this.method = method;
        this.owner = owner;
        this.sourceFile = sourceFile;
        int n = method.instructions.size();
        List<List<Integer>> succ = new ArrayList<>(n);
        for (int i = 0; i < n; i++) succ.add(new ArrayList<>());
        this.frames = analyze(owner, method, loader, succ);
        successors = new int[n][];
        List<List<Integer>> pred = new ArrayList<>(n);
        for (int i = 0; i < n; i++) pred.add(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            successors[i] = succ.get(i).stream().distinct().mapToInt(Integer::intValue).toArray();
            for (int s : successors[i]) pred.get(s).add(i);
        }
        predecessors = new int[n][];
        for (int i = 0; i < n; i++) predecessors[i] = pred.get(i).stream().mapToInt(Integer::intValue).toArray();
        liveIn = liveness();
        for (int i = 0; i < n; i++) {
            if (insn(i) instanceof MethodInsnNode m && m.owner.equals(TENSOR) && m.name.equals("booleanValue") && m.desc.equals("()Z")
                    && frames[i] != null) {
                tests.set(i);
            }
        }
    }

    @SuppressWarnings("unchecked")
    static Frame<BasicValue>[] analyze(String owner, MethodNode method, ClassLoader loader, List<List<Integer>> edges) {
        SimpleVerifier verifier = new SimpleVerifier(Opcodes.ASM9, Type.getObjectType(owner), null, List.of(), false) {};
        verifier.setClassLoader(loader);
        Analyzer<BasicValue> analyzer = new Analyzer<>(verifier) {
            @Override protected void newControlFlowEdge(int insn, int successor) {
                if (edges != null) edges.get(insn).add(successor);
            }

            @Override protected boolean newControlFlowExceptionEdge(int insn, int successor) {
                if (edges != null) edges.get(insn).add(successor);
                return true;
            }
        };
        try {
            return analyzer.analyze(owner, method);
        } catch (AnalyzerException e) {
            throw new UnimplementedError("autograph: cannot analyse the bytecode of " + method.name + ": " + e.getMessage());
        }
    }

    int size() { return method.instructions.size(); }

    AbstractInsnNode insn(int i) { return method.instructions.get(i); }

    int indexOf(AbstractInsnNode insn) { return method.instructions.indexOf(insn); }

    /** Verifier types before instruction i; null when i is unreachable. */
    Frame<BasicValue> frameAt(int i) { return frames[i]; }

    int[] successors(int i) { return successors[i]; }

    int[] predecessors(int i) { return predecessors[i]; }

    /** Indices of the {@code Tensor.booleanValue()} calls. */
    BitSet tests() { return (BitSet) tests.clone(); }

    boolean isTest(int i) { return tests.get(i); }

    /** Locals read on some path from instruction i before being written. */
    BitSet liveAt(int i) { return (BitSet) liveIn[i].clone(); }

    /** Locals that hold a value before instruction i (the verifier knows their type). */
    BitSet definedAt(int i) {
        BitSet b = new BitSet();
        Frame<BasicValue> f = frames[i];
        if (f == null) return b;
        for (int slot = 0; slot < f.getLocals(); slot++) {
            BasicValue v = f.getLocal(slot);
            if (v != null && v.getType() != null && v != BasicValue.RETURNADDRESS_VALUE) b.set(slot);
        }
        return b;
    }

    /** The next instruction at or after i that is not a label, line number or frame. */
    int nextReal(int i) {
        int k = i;
        while (k < size() && isPseudo(insn(k))) k++;
        return k;
    }

    static boolean isPseudo(AbstractInsnNode in) {
        return in instanceof LabelNode || in instanceof LineNumberNode || in instanceof FrameNode;
    }

    /** The source line of instruction i, or -1 when the class has no line table. */
    int lineOf(int i) {
        for (int k = Math.min(i, size() - 1); k >= 0; k--) if (insn(k) instanceof LineNumberNode ln) return ln.line;
        for (int k = i + 1; k < size(); k++) if (insn(k) instanceof LineNumberNode ln) return ln.line;
        return -1;
    }

    /**
     * The source name of local {@code slot} around instruction i. Classes compiled without
     * {@code -g} have no names: then "the Tensor assigned at line 12" or "parameter 2".
     */
    String nameOf(int slot, int i) {
        if (method.localVariables != null) {
            for (LocalVariableNode lv : method.localVariables) {
                if (lv.index == slot && indexOf(lv.start) <= i + 1 && i <= indexOf(lv.end)) return sourceName(lv);
            }
            for (LocalVariableNode lv : method.localVariables) if (lv.index == slot) return sourceName(lv);
        }
        int params = 0, k = 0;
        for (Type t : Type.getArgumentTypes(method.desc)) {
            if (slot == params) return "parameter " + (k + 1);
            params += t.getSize();
            k++;
        }
        int store = -1;
        for (int n = 0; n < size(); n++) {
            if (insn(n) instanceof VarInsnNode v && v.var == slot && v.getOpcode() >= Opcodes.ISTORE && v.getOpcode() <= Opcodes.ASTORE
                    && (store < 0 || n <= i)) {
                store = n;
            }
        }
        if (store < 0) return "local #" + slot;
        String type = javaTypeOf(slot, Math.min(store + 1, size() - 1));
        if (type.equals("StagedIteration")) return "the position of the for loop at line " + lineOf(store);
        String named = SourceNames.at(sourceFile, lineOf(store));
        if (named != null) return named;
        return "the " + type + " assigned at line " + lineOf(store);
    }

    /** javac names the hidden iterator of a for-each loop {@code i$}; say what it is. */
    private String sourceName(LocalVariableNode lv) {
        return lv.name.contains("$") ? "the position of the for loop at line " + lineOf(indexOf(lv.start)) : lv.name;
    }

    /** The Java type of local {@code slot} before instruction i, as a source-like name ({@code int}, {@code Tensor}). */
    String javaTypeOf(int slot, int i) {
        Frame<BasicValue> f = frames[i];
        if (f == null || slot >= f.getLocals() || f.getLocal(slot).getType() == null) return "?";
        String name = f.getLocal(slot).getType().getClassName();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /**
     * Locals written by instructions in {@code nodes}: stores, increments, and tensor iterators
     * advanced by {@code Staging.next} (their position is state the loop carries).
     */
    BitSet writtenIn(BitSet nodes) {
        BitSet out = new BitSet();
        for (int i = nodes.nextSetBit(0); i >= 0; i = nodes.nextSetBit(i + 1)) {
            AbstractInsnNode in = insn(i);
            if (in instanceof VarInsnNode v && v.getOpcode() >= Opcodes.ISTORE && v.getOpcode() <= Opcodes.ASTORE) out.set(v.var);
            if (in instanceof IincInsnNode inc) out.set(inc.var);
            if (in instanceof MethodInsnNode m && m.owner.equals(TensorLoops.STAGING) && m.name.equals("next")) {
                int prev = i - 1;
                while (prev >= 0 && isPseudo(insn(prev))) prev--;
                if (prev >= 0 && insn(prev) instanceof VarInsnNode load && load.getOpcode() == Opcodes.ALOAD) out.set(load.var);
            }
        }
        return out;
    }

    /**
     * The local holding the for-each iterator whose {@code hasNext} the test at {@code call} is
     * ({@code aload k; Staging.hasNext; booleanValue}), or -1 for any other test.
     */
    int iteratedSlot(int call) {
        int k = previousReal(call);
        if (k < 0 || !(insn(k) instanceof MethodInsnNode m) || !m.owner.equals(TensorLoops.STAGING) || !m.name.equals("hasNext")) return -1;
        k = previousReal(k);
        return k >= 0 && insn(k) instanceof VarInsnNode load && load.getOpcode() == Opcodes.ALOAD ? load.var : -1;
    }

    /** Whether the for-each loop tested at {@code call} iterates over a dataset (its iterator came from {@code Staging.iterate(Dataset)}). */
    boolean iteratesDataset(int call) {
        int slot = iteratedSlot(call);
        if (slot < 0) return false;
        // javac stores the iterator just before the loop's header, which comes before its test.
        for (int i = call - 1; i >= 0; i--) {
            if (insn(i) instanceof VarInsnNode store && store.getOpcode() == Opcodes.ASTORE && store.var == slot) {
                int k = previousReal(i);
                return k >= 0 && insn(k) instanceof MethodInsnNode m && m.owner.equals(TensorLoops.STAGING) && m.name.equals("iterate")
                        && m.desc.startsWith("(L" + TensorLoops.DATASET + ";");
            }
        }
        return false;
    }

    private int previousReal(int i) {
        int k = i - 1;
        while (k >= 0 && isPseudo(insn(k))) k--;
        return k;
    }

    /**
     * Whether the array store at {@code i} fills an array made just before by {@code new T[]}
     * (an array initializer such as {@code new int[] {1, -1}}): it writes no heap state that
     * existed before, so staging it is safe.
     */
    boolean storesIntoNewArray(int i) {
        Frame<SourceValue>[] src = sources();
        if (src[i] == null) return false;
        Frame<SourceValue> f = src[i];
        return madeByNew(f.getStack(f.getStackSize() - 3), 0);
    }

    private boolean madeByNew(SourceValue v, int depth) {
        if (v.insns.isEmpty() || depth > 8) return false;
        for (AbstractInsnNode in : v.insns) {
            int op = in.getOpcode();
            if (op == Opcodes.NEWARRAY || op == Opcodes.ANEWARRAY || op == Opcodes.MULTIANEWARRAY) continue;
            if (op != Opcodes.DUP) return false;
            Frame<SourceValue> f = sources()[indexOf(in)];
            if (f == null || !madeByNew(f.getStack(f.getStackSize() - 1), depth + 1)) return false;
        }
        return true;
    }

    /** Which instructions produced each stack value (computed once, when an array store needs it). */
    private synchronized Frame<SourceValue>[] sources() {
        if (sources == null) {
            try {
                sources = new Analyzer<>(new SourceInterpreter()).analyze(owner, method);
            } catch (AnalyzerException e) {
                throw new UnimplementedError("autograph: cannot analyse the bytecode of " + method.name + ": " + e.getMessage());
            }
        }
        return sources;
    }

    /** Whether instruction i can continue to i + 1. */
    boolean fallsThrough(int i) {
        int op = insn(i).getOpcode();
        if (op == Opcodes.GOTO || op == Opcodes.ATHROW || (op >= Opcodes.IRETURN && op <= Opcodes.RETURN)) return false;
        return op != Opcodes.TABLESWITCH && op != Opcodes.LOOKUPSWITCH;
    }

    boolean isConditionalJump(int i) {
        return insn(i) instanceof JumpInsnNode j && j.getOpcode() != Opcodes.GOTO;
    }

    private BitSet[] liveness() {
        int n = size();
        BitSet[] in = new BitSet[n];
        for (int i = 0; i < n; i++) in[i] = new BitSet();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = n - 1; i >= 0; i--) {
                BitSet out = new BitSet();
                for (int s : successors[i]) out.or(in[s]);
                AbstractInsnNode insn = insn(i);
                if (insn instanceof VarInsnNode v) {
                    if (v.getOpcode() >= Opcodes.ISTORE && v.getOpcode() <= Opcodes.ASTORE) out.clear(v.var);
                    else if (v.getOpcode() != Opcodes.RET) out.set(v.var);
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
