package dev.tfjit.autograph;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;

/**
 * The control flow of one region and what each tensor test in it becomes (a {@link SiteSpec}).
 *
 * <p>The rule is structural, not a match on javac's shapes. For the jump after a test, its
 * immediate post-dominator in the region is where both branches meet. If the branches can
 * reach the test again without passing that point, the test decides a loop: when every way out
 * of that loop is decided by a tensor test (a tensor {@code while}, a {@code for} over a tensor,
 * a {@code while (true)} left by tensor {@code break}s or {@code return}s) it becomes a staged
 * {@code while} whose iterations end with an exit index (AutoGraph's break/return flags); a loop
 * also left by a Java test is a Java loop, which unrolls while tracing, each tensor test in it a
 * {@code cond}. Otherwise the test is an {@code if}: a {@code cond} over the two branches up to
 * the meeting point, or, when they only meet at the region's end (a {@code return}, {@code break}
 * or {@code continue} in a branch), over the two ways to the end of the region.
 */
final class RegionAnalysis {
    final MethodAnalysis a;
    final Region region;
    final BitSet nodes;
    private final BitSet exitSet = new BitSet();
    private final int[] compact;
    private final int[] nodeAt;
    private BitSet[] pdom;

    RegionAnalysis(MethodAnalysis a, Region region, boolean root) {
        this.a = a;
        this.region = region;
        for (int e : region.exits()) exitSet.set(e);
        if (root) {
            nodes = new BitSet();
            for (int i = 0; i < a.size(); i++) if (a.frameAt(i) != null) nodes.set(i);
        } else if (region.immediateExit()) {
            nodes = new BitSet();
        } else {
            nodes = new BitSet();
            Deque<Integer> work = new ArrayDeque<>(List.of(region.entry()));
            nodes.set(region.entry());
            while (!work.isEmpty()) {
                for (int s : a.successors(work.pop())) {
                    if (exitSet.get(s) || nodes.get(s)) continue;
                    nodes.set(s);
                    work.push(s);
                }
            }
        }
        compact = new int[a.size()];
        nodeAt = nodes.stream().toArray();
        java.util.Arrays.fill(compact, -1);
        for (int k = 0; k < nodeAt.length; k++) compact[nodeAt[k]] = k;
    }

    /**
     * The locals that hold a value at instruction i in the region's own method, which starts with
     * only the locals live at its entry: those, plus what the region stores on every path to i.
     */
    BitSet definedInRegion(int i, boolean root) {
        if (root) return a.definedAt(i);
        if (regionDefined == null) regionDefined = regionDefinitions();
        BitSet d = regionDefined[compact[i]];
        return d == null ? new BitSet() : (BitSet) d.clone();
    }

    private BitSet[] regionDefined;

    private BitSet[] regionDefinitions() {
        int n = nodeAt.length;
        BitSet[] in = new BitSet[n];
        if (n == 0) return in;
        BitSet start = a.liveAt(region.entry());
        start.and(a.definedAt(region.entry()));
        in[compact[region.entry()]] = start;
        Deque<Integer> work = new ArrayDeque<>(List.of(region.entry()));
        while (!work.isEmpty()) {
            int node = work.pop();
            BitSet out = (BitSet) in[compact[node]].clone();
            AbstractInsnNode insn = a.insn(node);
            if (insn instanceof VarInsnNode v && v.getOpcode() >= Opcodes.ISTORE && v.getOpcode() <= Opcodes.ASTORE) out.set(v.var);
            if (insn instanceof IincInsnNode inc) out.set(inc.var);
            for (int s : a.successors(node)) {
                if (exitSet.get(s) || compact[s] < 0) continue;
                BitSet old = in[compact[s]];
                BitSet next = (BitSet) out.clone();
                if (old != null) next.and(old);
                if (s == region.entry()) next.and(start);
                if (old == null || !old.equals(next)) {
                    in[compact[s]] = next;
                    work.push(s);
                }
            }
        }
        return in;
    }

    /** Whether jumping or falling to instruction i leaves the region. */
    boolean isExit(int i) { return exitSet.get(i); }

    List<SiteSpec> sites() {
        List<SiteSpec> out = new ArrayList<>();
        BitSet tests = a.tests();
        tests.and(nodes);
        for (int c = tests.nextSetBit(0); c >= 0; c = tests.nextSetBit(c + 1)) out.add(classify(c));
        return out;
    }

    SiteSpec classify(int c) {
        int line = a.lineOf(c);
        if (a.frameAt(c).getStackSize() != 1) {
            return new SiteSpec.Unconvertible(c, line, "the test is part of a larger expression (a ternary, a method argument or"
                    + " a boolean operator inside an expression); write it as its own if (...) or while (...) statement");
        }
        int j = a.nextReal(c + 1);
        if (j >= a.size() || !(a.insn(j) instanceof JumpInsnNode jump)
                || (jump.getOpcode() != Opcodes.IFEQ && jump.getOpcode() != Opcodes.IFNE) || !nodes.get(j)) {
            return new SiteSpec.Unconvertible(c, line, "the boolean is stored or passed on instead of tested by an if or while;"
                    + " test the tensor directly in the if (...) or while (...)");
        }
        int taken = a.indexOf(jump.label), fall = j + 1;
        boolean whenTrue = jump.getOpcode() == Opcodes.IFNE;
        int thenEntry = whenTrue ? taken : fall, elseEntry = whenTrue ? fall : taken;
        int merge = ipdom(j);
        if (merge >= 0 && a.frameAt(merge) != null && a.frameAt(merge).getStackSize() != 0) {
            return new SiteSpec.Unconvertible(c, line, "the test chooses a value (a ternary ? :) instead of a statement; write it as"
                    + " an if statement that assigns a local, or use Tf.where or Tf.cond");
        }
        BitSet stop = new BitSet();
        if (merge >= 0) stop.set(merge);
        BitSet branches = reach(List.of(taken, fall), stop);
        if (!branches.get(j)) return ifSite(c, line, thenEntry, elseEntry, merge, branches, 0);
        return loopSite(c, j, line, thenEntry, elseEntry, merge, branches, stop);
    }

    private SiteSpec ifSite(int c, int line, int thenEntry, int elseEntry, int merge, BitSet branches, int javaLoopLine) {
        List<Integer> exits = merge >= 0 ? List.of(merge) : region.exits();
        BitSet live = merge >= 0 ? a.liveAt(merge) : liveAtAny(region.exits());
        BitSet outputs = a.writtenIn(branches);
        outputs.and(live);
        String problem = SideEffects.firstIn(a, branches);
        if (problem != null) {
            problem = "cannot stage the if at " + "%s on a symbolic tensor: a branch " + problem;
        }
        return new SiteSpec.If(c, line, Region.of(thenEntry, exits, false), Region.of(elseEntry, exits, false), merge,
                outputs.stream().toArray(), javaLoopLine, problem);
    }

    private SiteSpec loopSite(int c, int j, int line, int thenEntry, int elseEntry, int merge, BitSet branches, BitSet stop) {
        BitSet back = reachBackwards(j, stop);
        BitSet loop = (BitSet) branches.clone();
        loop.and(back);
        loop.set(j);
        List<Integer> headers = new ArrayList<>();
        for (int n = loop.nextSetBit(0); n >= 0; n = loop.nextSetBit(n + 1)) {
            boolean entered = n == region.entry();
            for (int p : a.predecessors(n)) entered |= nodes.get(p) && !loop.get(p);
            if (entered) headers.add(n);
        }
        if (headers.size() != 1) {
            return new SiteSpec.Unconvertible(c, line, "the loop around this test is entered at " + headers.size()
                    + " places; write it as a plain while or for loop");
        }
        int header = headers.get(0);
        TreeSet<Integer> leaves = new TreeSet<>();
        boolean javaDecides = false;
        List<String> notes = new ArrayList<>();
        for (int n = loop.nextSetBit(0); n >= 0; n = loop.nextSetBit(n + 1)) {
            boolean leaving = false;
            for (int s : a.successors(n)) {
                if (!loop.get(s)) {
                    leaving = true;
                    leaves.add(canonical(s));
                    if (n != j) notes.add((returns(s) ? "return" : "break") + " (line " + a.lineOf(n) + ")");
                }
            }
            if (leaving && !isTensorJump(n)) javaDecides = true;
        }
        int javaLoopLine = a.lineOf(header);
        if (javaDecides) return ifSite(c, line, thenEntry, elseEntry, merge, branches, javaLoopLine);
        leaves.remove(header);
        List<Integer> exits = new ArrayList<>();
        exits.add(header);
        exits.addAll(leaves);
        BitSet vars = a.writtenIn(loop);
        vars.and(liveAtAny(exits));
        Region iteration = Region.of(header, exits, true);
        boolean standard = testsAtHeader(header, c) && (loop.get(thenEntry) != loop.get(elseEntry));
        Region body = null;
        boolean negate = false, breaks = true;
        int normalExit = -1;
        List<Integer> reachable = new ArrayList<>();
        if (standard) {
            int inside = loop.get(thenEntry) ? thenEntry : elseEntry, outside = inside == thenEntry ? elseEntry : thenEntry;
            negate = inside == elseEntry;
            body = Region.of(inside, exits, false);
            normalExit = exits.indexOf(canonical(outside));
            TreeSet<Integer> ends = new TreeSet<>(new RegionAnalysis(a, body, false).reachedExits());
            ends.remove(0);
            breaks = !ends.isEmpty();
            ends.add(normalExit);
            reachable.addAll(ends);
        } else {
            for (int k = 1; k < exits.size(); k++) reachable.add(k);
        }
        List<Region> afterwards = new ArrayList<>();
        BitSet staged = (BitSet) loop.clone();
        for (int k : reachable) {
            int target = exits.get(k);
            Region after = reachable.size() == 1 || isExit(target) ? null : Region.of(target, region.exits(), false);
            afterwards.add(after);
            if (after != null) staged.or(new RegionAnalysis(a, after, false).nodes);
        }
        String problem = SideEffects.firstIn(a, loop);
        if (problem != null) {
            problem = "cannot stage the while loop at %s on a symbolic tensor: its body " + problem;
        } else if ((problem = SideEffects.firstIn(a, staged)) != null) {
            problem = "cannot stage the while loop at %s on a symbolic tensor: it can end in " + reachable.size()
                    + " ways, so the code after it is staged as a cond, and that code " + problem;
        }
        return new SiteSpec.Loop(c, line, standard, header, List.copyOf(exits), body, negate, normalExit, breaks,
                standard ? null : Region.of(thenEntry, exits, false), standard ? null : Region.of(elseEntry, exits, false),
                iteration, vars.stream().toArray(), List.copyOf(reachable), afterwards, List.copyOf(notes), problem);
    }

    /** Whether the straight code from s ends in a return: a return statement, where a break is a goto. */
    private boolean returns(int s) {
        int k = s;
        for (int steps = 0; steps < 200 && k < a.size(); steps++) {
            int op = a.insn(k).getOpcode();
            if (op >= Opcodes.IRETURN && op <= Opcodes.RETURN) return true;
            if (op == Opcodes.GOTO) {
                return false;
            } else if (a.successors(k).length == 1) {
                k = a.successors(k)[0];
            } else {
                return false;
            }
        }
        return false;
    }

    /**
     * Where leaving a loop through {@code s} really goes: past labels, line numbers and
     * {@code goto}s (a {@code break} is a {@code goto} to the code after the loop), so that a break
     * and the loop's normal end are one exit, not two.
     */
    private int canonical(int s) {
        int k = s;
        for (int steps = 0; steps <= a.size() && k < a.size(); steps++) {
            if (exitSet.get(k) || !nodes.get(k)) return k;
            AbstractInsnNode in = a.insn(k);
            if (MethodAnalysis.isPseudo(in)) {
                k++;
            } else if (in.getOpcode() == Opcodes.GOTO) {
                k = a.indexOf(((JumpInsnNode) in).label);
            } else {
                return k;
            }
        }
        return s;
    }

    /** Indices (into the region's exits) of the exits some path of the region reaches. */
    List<Integer> reachedExits() {
        TreeSet<Integer> out = new TreeSet<>();
        if (region.immediateExit()) out.add(region.exitIndex(region.entry()));
        for (int n = nodes.nextSetBit(0); n >= 0; n = nodes.nextSetBit(n + 1)) {
            for (int s : a.successors(n)) if (exitSet.get(s)) out.add(region.exitIndex(s));
        }
        return List.copyOf(out);
    }

    /**
     * Whether the code from the loop header to the test is a plain expression (no jumps, stores or
     * other tests), so that it can be re-evaluated as the staged loop's condition.
     */
    private boolean testsAtHeader(int header, int c) {
        int n = header;
        for (int steps = 0; n != c; steps++) {
            if (steps > a.size() || !nodes.get(n) || a.successors(n).length != 1 || a.isTest(n)) return false;
            AbstractInsnNode in = a.insn(n);
            if (in instanceof JumpInsnNode || in instanceof IincInsnNode) return false;
            if (in instanceof VarInsnNode v && v.getOpcode() >= Opcodes.ISTORE && v.getOpcode() <= Opcodes.ASTORE) return false;
            if (in instanceof org.objectweb.asm.tree.MethodInsnNode m && m.owner.equals(TensorLoops.STAGING) && m.name.equals("next")) return false;
            n = a.successors(n)[0];
        }
        return true;
    }

    /** A conditional jump right after a tensor test, the kind of decision a staged loop can make. */
    private boolean isTensorJump(int n) {
        if (!a.isConditionalJump(n)) return false;
        int k = n - 1;
        while (k >= 0 && MethodAnalysis.isPseudo(a.insn(k))) k--;
        return k >= 0 && a.isTest(k) && a.frameAt(k).getStackSize() == 1
                && (a.insn(n).getOpcode() == Opcodes.IFEQ || a.insn(n).getOpcode() == Opcodes.IFNE);
    }

    BitSet liveAtAny(List<Integer> targets) {
        BitSet live = new BitSet();
        for (int t : targets) live.or(a.liveAt(t));
        return live;
    }

    /** Nodes reachable from {@code starts} inside the region without entering {@code stop}. */
    BitSet reach(List<Integer> starts, BitSet stop) {
        BitSet seen = new BitSet();
        Deque<Integer> work = new ArrayDeque<>();
        for (int s : starts) {
            if (nodes.get(s) && !stop.get(s) && !exitSet.get(s) && !seen.get(s)) {
                seen.set(s);
                work.push(s);
            }
        }
        while (!work.isEmpty()) {
            for (int s : a.successors(work.pop())) {
                if (!nodes.get(s) || stop.get(s) || exitSet.get(s) || seen.get(s)) continue;
                seen.set(s);
                work.push(s);
            }
        }
        return seen;
    }

    /** Nodes of the region from which {@code target} can be reached without entering {@code stop}. */
    private BitSet reachBackwards(int target, BitSet stop) {
        BitSet seen = new BitSet();
        seen.set(target);
        Deque<Integer> work = new ArrayDeque<>(List.of(target));
        while (!work.isEmpty()) {
            int n = work.pop();
            if (n == region.entry() && region.iteration()) continue;
            for (int p : a.predecessors(n)) {
                if (!nodes.get(p) || stop.get(p) || seen.get(p)) continue;
                seen.set(p);
                work.push(p);
            }
        }
        return seen;
    }

    /** The immediate post-dominator of instruction n within the region; -1 for the region's end. */
    int ipdom(int n) {
        if (pdom == null) pdom = postDominators();
        BitSet mine = pdom[compact[n]];
        int want = mine.cardinality() - 1;
        int end = nodeAt.length;
        for (int d = mine.nextSetBit(0); d >= 0; d = mine.nextSetBit(d + 1)) {
            if (d == compact[n]) continue;
            if (pdom[d].cardinality() == want) return d == end ? -1 : nodeAt[d];
        }
        return -1;
    }

    private BitSet[] postDominators() {
        int n = nodeAt.length, end = n;
        int[][] succ = new int[n][];
        for (int k = 0; k < n; k++) {
            int[] s = a.successors(nodeAt[k]);
            TreeSet<Integer> out = new TreeSet<>();
            for (int t : s) out.add(exitSet.get(t) || compact[t] < 0 ? end : compact[t]);
            if (out.isEmpty()) out.add(end);
            succ[k] = out.stream().mapToInt(Integer::intValue).toArray();
        }
        BitSet[] p = new BitSet[n + 1];
        BitSet all = new BitSet();
        all.set(0, n + 1);
        for (int k = 0; k < n; k++) p[k] = (BitSet) all.clone();
        p[end] = new BitSet();
        p[end].set(end);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int k = n - 1; k >= 0; k--) {
                BitSet next = (BitSet) all.clone();
                for (int s : succ[k]) next.and(p[s]);
                next.set(k);
                if (!next.equals(p[k])) {
                    p[k] = next;
                    changed = true;
                }
            }
        }
        // Nodes on an endless loop post-dominate nothing useful; give them only themselves and the end.
        for (int k = 0; k < n; k++) {
            if (p[k].cardinality() == n + 1 && n > 1) {
                p[k] = new BitSet();
                p[k].set(k);
                p[k].set(end);
            }
        }
        return p;
    }
}
