package dev.tfjit.autograph;

import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the code of the converted method (the "root") and of each region: a copy of the
 * analysed method's instructions that belong to it, where each tensor test first asks
 * {@link Staging#isSymbolic}. An eager tensor continues into the original Java; a symbolic one
 * jumps to a block that packs the live locals into a frame, calls {@link Staging#stage}, and
 * then either returns what it got or continues at the Java instruction it names with the
 * locals it carries. A region method takes a frame and returns one: its exit index in cell
 * {@code size}, a returned value in cell {@code size + 1}.
 */
final class RegionCompiler {
    static final String OBJECTS = "[Ljava/lang/Object;";
    static final String REGION_DESC = "(" + OBJECTS + ")" + OBJECTS;
    static final String CONDITION_DESC = "(" + OBJECTS + ")L" + MethodAnalysis.TENSOR + ";";

    private static final ConstantDynamic CLASS_DATA = new ConstantDynamic("_", "Ljava/lang/Object;",
            new Handle(Opcodes.H_INVOKESTATIC, "java/lang/invoke/MethodHandles", "classData",
                    "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;)Ljava/lang/Object;", false));

    private final ConvertedMethod owner;
    private final MethodAnalysis a;
    private final List<Object> constants = new ArrayList<>();
    private final int size, base, pred, res, tmp;

    RegionCompiler(ConvertedMethod owner) {
        this.owner = owner;
        this.a = owner.analysis();
        this.size = a.method.maxLocals;
        this.base = size;
        this.pred = size + 1;
        this.res = size + 2;
        this.tmp = size + 3;
    }

    /** The objects the compiled code loads (its sites and loops), to be its hidden class's class data. */
    Object[] constants() { return constants.toArray(); }

    /** Emits code pushing {@code value}, kept in the class data. */
    private void push(InsnList out, Object value) {
        constants.add(value);
        out.add(new LdcInsnNode(CLASS_DATA));
        out.add(new TypeInsnNode(Opcodes.CHECKCAST, OBJECTS));
        Frames.pushInt(out, constants.size() - 1);
        out.add(new InsnNode(Opcodes.AALOAD));
    }

    /** The converted method itself: the analysed method's signature and code, with its tests checked. */
    MethodNode root(String name) {
        MethodNode m = newMethod(name, a.method.desc);
        Copy copy = new Copy(new RegionAnalysis(a, Region.of(0, List.of(), false), true), m, true);
        copy.emit();
        return m;
    }

    /** A region as {@code static Object[] name(Object[] frame)}. */
    MethodNode region(Region r, String name) {
        MethodNode m = newMethod(name, REGION_DESC);
        RegionAnalysis ra = new RegionAnalysis(a, r, false);
        Copy copy = new Copy(ra, m, false);
        m.instructions.add(new VarInsnNode(Opcodes.ALOAD, 0));
        m.instructions.add(new VarInsnNode(Opcodes.ASTORE, base));
        BitSet in = a.liveAt(r.entry());
        in.and(a.definedAt(r.entry()));
        Frames.unpack(m.instructions, a.frameAt(r.entry()), base, in);
        m.instructions.add(new JumpInsnNode(Opcodes.GOTO, copy.anchor(r.entry())));
        copy.emit();
        return m;
    }

    /** A standard loop's condition, the straight code from its header to the test, as {@code static Tensor name(Object[])}. */
    MethodNode condition(int header, int call, String name) {
        MethodNode m = newMethod(name, CONDITION_DESC);
        m.instructions.add(new VarInsnNode(Opcodes.ALOAD, 0));
        m.instructions.add(new VarInsnNode(Opcodes.ASTORE, base));
        BitSet in = a.liveAt(header);
        in.and(a.definedAt(header));
        Frames.unpack(m.instructions, a.frameAt(header), base, in);
        Map<LabelNode, LabelNode> labels = new HashMap<>();
        for (int n = header; n != call; n = a.successors(n)[0]) {
            AbstractInsnNode insn = a.insn(n);
            if (insn instanceof LabelNode l) {
                LabelNode copy = new LabelNode();
                labels.put(l, copy);
                m.instructions.add(copy);
            } else if (insn instanceof LineNumberNode ln) {
                LabelNode at = new LabelNode();
                m.instructions.add(at);
                m.instructions.add(new LineNumberNode(ln.line, at));
            } else if (!(insn instanceof FrameNode)) {
                m.instructions.add(insn.clone(labels));
            }
        }
        m.instructions.add(new InsnNode(Opcodes.ARETURN));
        return m;
    }

    private MethodNode newMethod(String name, String desc) {
        MethodNode m = new MethodNode(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC, name, desc, null, null);
        m.maxLocals = size + 4;
        m.maxStack = a.method.maxStack + 8;
        return m;
    }

    /** Copies one region's instructions into a method, adding the tests' staged blocks and the exits. */
    private final class Copy {
        final RegionAnalysis ra;
        final MethodNode m;
        final boolean root;
        final Map<LabelNode, LabelNode> labels = new HashMap<>();
        final Map<Integer, LabelNode> anchors = new HashMap<>();
        final LabelNode[] stubs;
        final InsnList tail = new InsnList();

        Copy(RegionAnalysis ra, MethodNode m, boolean root) {
            this.ra = ra;
            this.m = m;
            this.root = root;
            this.stubs = new LabelNode[ra.region.exits().size()];
            for (int k = 0; k < stubs.length; k++) stubs[k] = new LabelNode();
            BitSet nodes = ra.nodes;
            for (int i = nodes.nextSetBit(0); i >= 0; i = nodes.nextSetBit(i + 1)) {
                if (a.insn(i) instanceof LabelNode l) labels.put(l, new LabelNode());
            }
            for (int k = 0; k < stubs.length; k++) {
                if (a.insn(ra.region.exits().get(k)) instanceof LabelNode l) labels.put(l, stubs[k]);
            }
        }

        LabelNode anchor(int i) { return anchors.computeIfAbsent(i, k -> new LabelNode()); }

        /** Where code of this method continues at instruction t: its copy, or the exit stub. */
        LabelNode target(int t) {
            int k = ra.region.exitIndex(t);
            return k >= 0 ? stubs[k] : anchor(t);
        }

        void emit() {
            Map<Integer, SiteSpec> sites = new HashMap<>();
            for (SiteSpec s : ra.sites()) sites.put(s.call(), s);
            BitSet nodes = ra.nodes;
            InsnList out = m.instructions;
            for (int i = nodes.nextSetBit(0); i >= 0; i = nodes.nextSetBit(i + 1)) {
                AbstractInsnNode insn = a.insn(i);
                out.add(anchor(i));
                switch (insn) {
                    case LabelNode l -> {
                        if (!ra.isExit(i)) out.add(labels.get(l));
                        // After the label, which the loop's back jump targets.
                        JavaLoop loop = owner.javaLoopAt(i);
                        if (loop != null) {
                            push(out, loop);
                            out.add(new MethodInsnNode(Opcodes.INVOKESTATIC, TensorLoops.STAGING, "javaLoopIteration", "(Ljava/lang/Object;)V", false));
                        }
                    }
                    case LineNumberNode ln -> out.add(new LineNumberNode(ln.line, anchor(i)));
                    case FrameNode f -> { }
                    default -> {
                        SiteSpec site = sites.get(i);
                        if (site != null) check(out, site);
                        int op = insn.getOpcode();
                        if (!root && op >= Opcodes.IRETURN && op <= Opcodes.RETURN) {
                            returnFromRegion(out, op);
                        } else {
                            out.add(insn.clone(labels));
                        }
                    }
                }
                if (a.fallsThrough(i) && i + 1 < a.size() && !nodes.get(i + 1)) {
                    out.add(new JumpInsnNode(Opcodes.GOTO, target(i + 1)));
                }
            }
            for (int k = 0; k < stubs.length; k++) exitStub(k);
            if (root) copyHandlers();
            out.add(tail);
        }

        /** Before the test: an eager tensor goes on to {@code booleanValue()}, a symbolic one to the staged block. */
        private void check(InsnList out, SiteSpec spec) {
            LabelNode staged = new LabelNode();
            out.add(new InsnNode(Opcodes.DUP));
            out.add(new MethodInsnNode(Opcodes.INVOKESTATIC, TensorLoops.STAGING, "isSymbolic", "(L" + MethodAnalysis.TENSOR + ";)Z", false));
            out.add(new JumpInsnNode(Opcodes.IFNE, staged));
            int c = spec.call();
            tail.add(staged);
            tail.add(new VarInsnNode(Opcodes.ASTORE, pred));
            push(tail, new Site(owner, spec, ra.region));
            tail.add(new VarInsnNode(Opcodes.ALOAD, pred));
            // Every local that holds a value, not only the live ones: a loop's condition reads locals
            // that are dead at the test itself (written by the body before it reads them).
            BitSet held = a.definedAt(c);
            held.and(ra.definedInRegion(c, root));
            Frames.pack(tail, a.frameAt(c), held, size + 2);
            tail.add(new MethodInsnNode(Opcodes.INVOKESTATIC, TensorLoops.STAGING, "stage",
                    "(Ljava/lang/Object;L" + MethodAnalysis.TENSOR + ";" + OBJECTS + ")" + OBJECTS, false));
            tail.add(new VarInsnNode(Opcodes.ASTORE, res));
            List<JavaTarget> targets = JavaTarget.of(spec);
            LabelNode returns = new LabelNode();
            LabelNode[] jumps = new LabelNode[targets.size()];
            int[] keys = new int[targets.size() + 1];
            LabelNode[] cases = new LabelNode[targets.size() + 1];
            keys[0] = -1;
            cases[0] = returns;
            for (int k = 0; k < jumps.length; k++) {
                jumps[k] = new LabelNode();
                keys[k + 1] = k;
                cases[k + 1] = jumps[k];
            }
            tail.add(new VarInsnNode(Opcodes.ALOAD, res));
            Frames.pushInt(tail, size);
            tail.add(new InsnNode(Opcodes.AALOAD));
            tail.add(new TypeInsnNode(Opcodes.CHECKCAST, "java/lang/Integer"));
            tail.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, "java/lang/Integer", "intValue", "()I", false));
            tail.add(new LookupSwitchInsnNode(returns, keys, cases));
            tail.add(returns);
            tail.add(new VarInsnNode(Opcodes.ALOAD, res));
            Frames.pushInt(tail, size + 1);
            tail.add(new InsnNode(Opcodes.AALOAD));
            if (root) {
                Type ret = Type.getReturnType(m.desc);
                if (ret.getSort() == Type.VOID) {
                    tail.add(new InsnNode(Opcodes.POP));
                    tail.add(new InsnNode(Opcodes.RETURN));
                } else {
                    Frames.unboxReturn(tail, ret);
                    tail.add(new InsnNode(ret.getOpcode(Opcodes.IRETURN)));
                }
            } else if (ra.region.returning()) {
                // The answer is itself this region's result: "returned", with the value.
                tail.add(new InsnNode(Opcodes.POP));
                tail.add(new VarInsnNode(Opcodes.ALOAD, res));
                tail.add(new InsnNode(Opcodes.ARETURN));
            } else {
                tail.add(new TypeInsnNode(Opcodes.CHECKCAST, OBJECTS));
                tail.add(new InsnNode(Opcodes.ARETURN));
            }
            for (int k = 0; k < jumps.length; k++) {
                JavaTarget t = targets.get(k);
                tail.add(jumps[k]);
                BitSet carried = a.liveAt(t.at());
                carried.and(a.definedAt(t.at()));
                carried.and(t.slots());
                Frames.unpack(tail, a.frameAt(t.at()), res, carried);
                tail.add(new JumpInsnNode(Opcodes.GOTO, target(t.at())));
            }
        }

        /** Leaving the region at its exit k: a copy of the input frame with the locals live there and the exit index. */
        private void exitStub(int k) {
            int t = ra.region.exits().get(k);
            tail.add(stubs[k]);
            startResult(tail);
            BitSet live = a.liveAt(t);
            live.and(a.definedAt(t));
            Frames.store(tail, a.frameAt(t), live);
            tail.add(new InsnNode(Opcodes.DUP));
            Frames.pushInt(tail, size);
            Frames.pushInt(tail, k);
            tail.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;", false));
            tail.add(new InsnNode(Opcodes.AASTORE));
            tail.add(new InsnNode(Opcodes.ARETURN));
        }

        /** A {@code return} in a region that runs to the method's end: the value goes into the frame. */
        private void returnFromRegion(InsnList out, int op) {
            Type ret = Type.getReturnType(a.method.desc);
            if (op == Opcodes.RETURN) {
                out.add(new InsnNode(Opcodes.ACONST_NULL));
            } else {
                Frames.boxReturn(out, ret);
            }
            out.add(new VarInsnNode(Opcodes.ASTORE, tmp));
            startResult(out);
            out.add(new InsnNode(Opcodes.DUP));
            Frames.pushInt(out, size);
            out.add(new InsnNode(Opcodes.ICONST_M1));
            out.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;", false));
            out.add(new InsnNode(Opcodes.AASTORE));
            out.add(new InsnNode(Opcodes.DUP));
            Frames.pushInt(out, size + 1);
            out.add(new VarInsnNode(Opcodes.ALOAD, tmp));
            out.add(new InsnNode(Opcodes.AASTORE));
            out.add(new InsnNode(Opcodes.ARETURN));
        }

        private void startResult(InsnList out) {
            out.add(new VarInsnNode(Opcodes.ALOAD, base));
            out.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, OBJECTS, "clone", "()Ljava/lang/Object;", false));
            out.add(new TypeInsnNode(Opcodes.CHECKCAST, OBJECTS));
        }

        /** The root keeps the method's exception handlers (regions with handlers are not staged). */
        private void copyHandlers() {
            for (TryCatchBlockNode tc : a.method.tryCatchBlocks) {
                LabelNode s = labels.get(tc.start), e = labels.get(tc.end), h = labels.get(tc.handler);
                if (s == null || e == null || h == null) continue;
                m.tryCatchBlocks.add(new TryCatchBlockNode(s, e, h, tc.type));
            }
        }
    }

    /** Where a site may send the code on as Java, and which locals it sets there. */
    record JavaTarget(int at, BitSet slots) {
        static List<JavaTarget> of(SiteSpec spec) {
            return switch (spec) {
                case SiteSpec.If i when i.merge() >= 0 -> List.of(new JavaTarget(i.merge(), bits(i.outputs())));
                case SiteSpec.If i -> List.of();
                case SiteSpec.Loop l -> l.reachableExits().stream().map(k -> new JavaTarget(l.exits().get(k), bits(l.loopVars()))).toList();
                case SiteSpec.Unconvertible u -> List.of();
            };
        }

        private static BitSet bits(int[] slots) {
            BitSet b = new BitSet();
            for (int s : slots) b.set(s);
            return b;
        }
    }
}
