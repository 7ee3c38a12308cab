package dev.tfjit.autograph;

import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites every tensor test of a method: before {@code booleanValue()} the predicate is checked;
 * an eager one goes on into the original Java code, a symbolic one jumps to a block that boxes
 * the locals, calls {@link Staging} with the statement's regions extracted as methods of the same
 * class, unboxes the carried locals and continues after the statement. Extracted methods are
 * rewritten the same way, so nested statements convert too.
 */
final class MethodRewriter {
    private static final String STAGING = "dev/tfjit/autograph/Staging";
    private static final String FRAME_DESC = "([Ljava/lang/Object;)[Ljava/lang/Object;";

    private final String owner;
    private final ClassLoader loader;
    private final String displayName;
    private final List<MethodNode> produced = new ArrayList<>();
    private final List<Site> sites = new ArrayList<>();
    private final Map<MethodNode, Map<Integer, String>> inheritedNames = new HashMap<>();
    private int counter;

    MethodRewriter(String owner, ClassLoader loader, String displayName) {
        this.owner = owner;
        this.loader = loader;
        this.displayName = displayName;
    }

    /** The sites found, in order, for {@link Autograph#explain}. */
    List<Site> sites() { return sites; }

    /** Rewrites {@code root} and returns it with all the methods extracted from it. */
    List<MethodNode> rewriteAll(MethodNode root) {
        List<MethodNode> work = new ArrayList<>(List.of(root));
        List<MethodNode> done = new ArrayList<>();
        while (!work.isEmpty()) {
            MethodNode m = work.remove(0);
            produced.clear();
            rewrite(m, m == root);
            done.add(m);
            work.addAll(produced);
        }
        return done;
    }

    private void rewrite(MethodNode m, boolean report) {
        MethodAnalysis a = new MethodAnalysis(owner, m, loader);
        List<ConversionPoint> points = new PointFinder(a).find();
        if (points.isEmpty()) return;
        int size = m.maxLocals;
        InsnList tail = new InsnList();
        List<Runnable> edits = new ArrayList<>();
        int predSlot = m.maxLocals, frameSlot = m.maxLocals + 1;
        for (ConversionPoint p : points) {
            AbstractInsnNode call = a.insn(p.call());
            int line = a.lineOf(p.call());
            LabelNode staged = new LabelNode();
            tail.add(staged);
            tail.add(new VarInsnNode(Opcodes.ASTORE, predSlot));
            switch (p) {
                case ConversionPoint.If i -> {
                    int id = register(report, new Site(Site.Kind.IF, displayName, line, slots(i.carried()), names(a, i.carried(), p.call()),
                            false, null, Site.BreakTest.NONE));
                    MethodNode fall = region(a, size, i.fallFrom(), i.fallTo(), i.end());
                    MethodNode jump = i.jumpFrom() == i.jumpTo() ? null : region(a, size, i.jumpFrom(), i.jumpTo(), i.end());
                    MethodNode thenM = i.jumpsWhenTrue() ? jump : fall, elseM = i.jumpsWhenTrue() ? fall : jump;
                    callStaging(tail, a, size, p.call(), predSlot, id, "stageIf", handle(thenM), handle(elseM));
                    finish(tail, a, frameSlot, i.carried(), i.end());
                }
                case ConversionPoint.While w -> {
                    int id = register(report, new Site(Site.Kind.WHILE, displayName, line, slots(w.carried()),
                            names(a, w.carried(), p.call()), w.negate(), null,
                            w.breakCall() < 0 ? Site.BreakTest.NONE : w.breakNegate() ? Site.BreakTest.WHEN_FALSE : Site.BreakTest.WHEN_TRUE));
                    MethodNode cond = condition(a, size, a.indexOf(w.head()), p.call());
                    MethodNode body = w.breakCall() < 0 ? region(a, size, w.bodyFrom(), w.bodyTo(), w.head(), w.exit())
                            : bodyEndingInBreakTest(a, size, w.bodyFrom(), w.bodyTo(), w.head());
                    callStaging(tail, a, size, p.call(), predSlot, id, "stageWhile", handle(cond), handle(body));
                    finish(tail, a, frameSlot, w.carried(), w.exit());
                }
                case ConversionPoint.Return r -> {
                    int id = register(report, new Site(Site.Kind.RETURN, displayName, line, new int[0], List.of(), false, null,
                            Site.BreakTest.NONE));
                    MethodNode fall = returning(a, size, r.fallFrom(), r.fallTo());
                    MethodNode rest = returning(a, size, r.restFrom(), r.restTo());
                    MethodNode thenM = r.jumpsWhenTrue() ? rest : fall, elseM = r.jumpsWhenTrue() ? fall : rest;
                    Frames.pushInt(tail, id);
                    tail.add(new VarInsnNode(Opcodes.ALOAD, predSlot));
                    Frames.pack(tail, a.frameAt(p.call()), size);
                    tail.add(new LdcInsnNode(handle(thenM)));
                    tail.add(new LdcInsnNode(handle(elseM)));
                    String mh = "Ljava/lang/invoke/MethodHandle;";
                    tail.add(new MethodInsnNode(Opcodes.INVOKESTATIC, STAGING, "stageReturn",
                            "(IL" + PointFinder.TENSOR + ";[Ljava/lang/Object;" + mh + mh + ")Ljava/lang/Object;", false));
                    tail.add(new org.objectweb.asm.tree.TypeInsnNode(Opcodes.CHECKCAST,
                            org.objectweb.asm.Type.getReturnType(m.desc).getInternalName()));
                    tail.add(new InsnNode(Opcodes.ARETURN));
                }
                case ConversionPoint.Unconvertible u -> {
                    int id = register(report, new Site(Site.Kind.OTHER, displayName, line, new int[0], List.of(), false, u.problem(),
                            Site.BreakTest.NONE));
                    tail.add(new VarInsnNode(Opcodes.ALOAD, predSlot));
                    Frames.pushInt(tail, id);
                    tail.add(new MethodInsnNode(Opcodes.INVOKESTATIC, STAGING, "unconvertible",
                            "(L" + PointFinder.TENSOR + ";I)Ljava/lang/RuntimeException;", false));
                    tail.add(new InsnNode(Opcodes.ATHROW));
                }
            }
            edits.add(() -> {
                InsnList test = new InsnList();
                test.add(new InsnNode(Opcodes.DUP));
                test.add(new MethodInsnNode(Opcodes.INVOKESTATIC, STAGING, "isSymbolic", "(L" + PointFinder.TENSOR + ";)Z", false));
                test.add(new JumpInsnNode(Opcodes.IFNE, staged));
                m.instructions.insertBefore(call, test);
            });
        }
        edits.forEach(Runnable::run);
        m.instructions.add(tail);
        m.maxLocals += 2;
    }

    private int register(boolean report, Site s) {
        int id = Site.register(s);
        if (report) sites.add(s);
        return id;
    }

    /** Stack: [] -> [Object[] frame after the statement]. */
    private void callStaging(InsnList out, MethodAnalysis a, int size, int call, int predSlot, int id, String helper, Handle h1, Handle h2) {
        Frames.pushInt(out, id);
        out.add(new VarInsnNode(Opcodes.ALOAD, predSlot));
        Frames.pack(out, a.frameAt(call), size);
        out.add(h1 == null ? new InsnNode(Opcodes.ACONST_NULL) : new LdcInsnNode(h1));
        out.add(h2 == null ? new InsnNode(Opcodes.ACONST_NULL) : new LdcInsnNode(h2));
        String mh = "Ljava/lang/invoke/MethodHandle;";
        out.add(new MethodInsnNode(Opcodes.INVOKESTATIC, STAGING, helper,
                "(IL" + PointFinder.TENSOR + ";[Ljava/lang/Object;" + mh + mh + ")[Ljava/lang/Object;", false));
    }

    private static void finish(InsnList out, MethodAnalysis a, int frameSlot, BitSet carried, LabelNode continueAt) {
        out.add(new VarInsnNode(Opcodes.ASTORE, frameSlot));
        Frames.unpack(out, a.frameAt(a.indexOf(continueAt)), frameSlot, carried);
        out.add(new JumpInsnNode(Opcodes.GOTO, continueAt));
    }

    private Handle handle(MethodNode m) {
        return m == null ? null : new Handle(Opcodes.H_INVOKESTATIC, owner, m.name, m.desc, false);
    }

    /** A method running [from, to) on a frame and returning the frame it leaves at any of {@code exits}. */
    private MethodNode region(MethodAnalysis a, int size, int from, int to, LabelNode... exits) {
        MethodNode r = newMethod(a, size, FRAME_DESC);
        int base = size;
        LabelNode done = new LabelNode();
        Map<LabelNode, LabelNode> labels = labels(a, from, to);
        for (LabelNode e : exits) labels.put(e, done);
        prologue(r, a, from, base);
        copy(r, a, from, to, labels);
        r.instructions.add(done);
        Frames.pack(r.instructions, a.frameAt(a.indexOf(exits[0])), size);
        r.instructions.add(new InsnNode(Opcodes.ARETURN));
        produced.add(r);
        return r;
    }

    /**
     * A loop body [from, breakTest) whose source ends in {@code if (t) break;}: returns the frame
     * with one more element, the break test's tensor (null when a continue skipped it).
     */
    private MethodNode bodyEndingInBreakTest(MethodAnalysis a, int size, int from, int breakTest, LabelNode head) {
        MethodNode r = newMethod(a, size, FRAME_DESC);
        int base = size, breakSlot = size + 1;
        LabelNode done = new LabelNode();
        Map<LabelNode, LabelNode> labels = labels(a, from, breakTest);
        labels.put(head, done);
        prologue(r, a, from, base);
        r.instructions.add(new InsnNode(Opcodes.ACONST_NULL));
        r.instructions.add(new VarInsnNode(Opcodes.ASTORE, breakSlot));
        copy(r, a, from, breakTest, labels);
        r.instructions.add(new VarInsnNode(Opcodes.ASTORE, breakSlot));
        r.instructions.add(done);
        Frames.pack(r.instructions, a.frameAt(a.indexOf(head)), size + 1);
        r.instructions.add(new InsnNode(Opcodes.DUP));
        Frames.pushInt(r.instructions, size);
        r.instructions.add(new VarInsnNode(Opcodes.ALOAD, breakSlot));
        r.instructions.add(new InsnNode(Opcodes.AASTORE));
        r.instructions.add(new InsnNode(Opcodes.ARETURN));
        produced.add(r);
        return r;
    }

    /** A method running [from, to) on a frame, which leaves only by returning a value: one branch of a conditional return. */
    private MethodNode returning(MethodAnalysis a, int size, int from, int to) {
        MethodNode r = newMethod(a, size, "([Ljava/lang/Object;)Ljava/lang/Object;");
        prologue(r, a, from, size);
        copy(r, a, from, to, labels(a, from, to));
        produced.add(r);
        return r;
    }

    /** A method evaluating a loop condition [head, call) on a frame and returning the tensor. */
    private MethodNode condition(MethodAnalysis a, int size, int head, int call) {
        MethodNode c = newMethod(a, size, "([Ljava/lang/Object;)L" + PointFinder.TENSOR + ";");
        prologue(c, a, head, size);
        copy(c, a, head, call, labels(a, head, call));
        c.instructions.add(new InsnNode(Opcodes.ARETURN));
        produced.add(c);
        return c;
    }

    private MethodNode newMethod(MethodAnalysis a, int size, String desc) {
        MethodNode r = new MethodNode(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
                a.method.name + "$ag" + counter++, desc, null, null);
        r.maxLocals = size + 3;
        r.maxStack = a.method.maxStack + 8;
        return r;
    }

    private void prologue(MethodNode r, MethodAnalysis a, int from, int base) {
        Map<Integer, String> names = new HashMap<>();
        for (int s = 0; s < base; s++) names.put(s, nameOf(a, s, from));
        inheritedNames.put(r, names);
        r.instructions.add(new VarInsnNode(Opcodes.ALOAD, 0));
        r.instructions.add(new VarInsnNode(Opcodes.ASTORE, base));
        Frames.unpack(r.instructions, a.frameAt(from), base, Frames.defined(a.frameAt(from)));
    }

    private static Map<LabelNode, LabelNode> labels(MethodAnalysis a, int from, int to) {
        Map<LabelNode, LabelNode> m = new HashMap<>();
        for (int i = from; i < to; i++) if (a.insn(i) instanceof LabelNode l) m.put(l, new LabelNode());
        return m;
    }

    private static void copy(MethodNode r, MethodAnalysis a, int from, int to, Map<LabelNode, LabelNode> labels) {
        for (int i = from; i < to; i++) {
            AbstractInsnNode in = a.insn(i);
            if (in instanceof FrameNode) continue;
            if (in instanceof LineNumberNode ln) {
                LabelNode l = labels.get(ln.start);
                if (l == null) {
                    l = new LabelNode();
                    r.instructions.add(l);
                }
                r.instructions.add(new LineNumberNode(ln.line, l));
                continue;
            }
            r.instructions.add(in.clone(labels));
        }
    }

    private static int[] slots(BitSet b) { return b.stream().toArray(); }

    private List<String> names(MethodAnalysis a, BitSet b, int at) {
        return b.stream().mapToObj(s -> nameOf(a, s, at)).toList();
    }

    /** Extracted methods have no local variable table; they keep the names of the method they came from. */
    private String nameOf(MethodAnalysis a, int slot, int at) {
        Map<Integer, String> inherited = inheritedNames.get(a.method);
        if (inherited != null && inherited.containsKey(slot)) return inherited.get(slot);
        return a.nameOf(slot, at);
    }
}
