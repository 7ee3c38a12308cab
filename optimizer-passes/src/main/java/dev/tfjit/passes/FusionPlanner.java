package dev.tfjit.passes;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.OpDef.FusionKind;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.FusionOps;
import dev.tfjit.passes.FusionGroup.Kind;
import dev.tfjit.passes.FusionGroup.Role;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides the fusions of one block (XLA's instruction fusion, then sibling multi-output fusion).
 * The block is walked backwards, so when a producer is considered every user has already been
 * placed; the producer then joins its users' fusion, is duplicated into several (cheap ops
 * only), becomes an extra output of its users' fusion, or starts a fusion of its own. A
 * producer joins only when no value it defines is still needed outside the fusion at a point
 * before the fusion runs, which keeps the fused block acyclic and in order.
 */
final class FusionPlanner {
    /** Why a producer was left out of its users' fusion, for the dump. */
    record NotFused(Node node, String reason) {}

    private final Block block;
    private final Map<Node, Integer> position = new IdentityHashMap<>();
    private final Map<Value, Node> definer = new IdentityHashMap<>();
    /** Direct users in this block, in block order (a node using a value twice appears once). */
    private final Map<Value, List<Node>> users = new IdentityHashMap<>();
    /** Position of the earliest use that cannot be fused: a block result (size of the block), or a use by a region. */
    private final Map<Value, Integer> opaqueUse = new IdentityHashMap<>();
    private final Map<Node, List<FusionGroup>> groupsOf = new IdentityHashMap<>();
    final List<FusionGroup> groups = new ArrayList<>();
    final List<NotFused> notFused = new ArrayList<>();
    private final Set<Node> keptOutside = Collections.newSetFromMap(new IdentityHashMap<>());

    FusionPlanner(Block block) {
        this.block = block;
        List<Node> nodes = block.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            position.put(n, i);
            for (Value v : n.outputs()) definer.put(v, n);
        }
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            for (Value v : new LinkedHashSet<>(n.inputs())) users.computeIfAbsent(v, k -> new ArrayList<>()).add(n);
            Set<Value> captured = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Block r : n.regions()) collectUses(r, captured);
            for (Value v : captured) opaqueUse.merge(v, i, Math::min);
        }
        for (Value v : block.results()) opaqueUse.merge(v, nodes.size(), Math::min);
    }

    private static void collectUses(Block b, Set<Value> into) {
        for (Node n : b.nodes()) {
            into.addAll(n.inputs());
            for (Block r : n.regions()) collectUses(r, into);
        }
        into.addAll(b.results());
    }

    /** Plans the block; read the outcome from {@link #groups}, {@link #groupsOf} and {@link #notFused}. */
    FusionPlanner plan() {
        List<Node> nodes = block.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) place(nodes.get(i));
        mergeSiblings();
        groups.removeIf(g -> g.root == null);
        return this;
    }

    List<FusionGroup> groupsOf(Node n) { return groupsOf.getOrDefault(n, List.of()); }

    // ------------------------------------------------------------------ producer placement

    private void place(Node p) {
        String why = unfusible(p);
        if (why != null) {
            if (p.op() != FusionOps.FUSION) notFused.add(new NotFused(p, why));
            return;
        }
        Set<FusionGroup> userGroups = new LinkedHashSet<>();
        List<Node> outsideUsers = new ArrayList<>();
        boolean opaque = false;
        for (Value v : p.outputs()) {
            opaque |= opaqueUse.containsKey(v);
            for (Node u : users.getOrDefault(v, List.of())) {
                List<FusionGroup> gs = groupsOf(u);
                if (gs.isEmpty()) outsideUsers.add(u);
                else userGroups.addAll(gs);
            }
        }
        boolean usedOutside = opaque || !outsideUsers.isEmpty();
        if (p.inputs().isEmpty()) {
            placeNullary(p, userGroups, usedOutside);
            return;
        }
        if (userGroups.isEmpty()) {
            startGroup(p);
            return;
        }
        if (userGroups.size() == 1) {
            FusionGroup g = userGroups.iterator().next();
            String illegal = illegalJoin(p, g);
            if (illegal == null && !usedOutside) {
                join(p, g);
                return;
            }
            if (illegal == null) illegal = extraOutputProblem(p, g, outsideUsers);
            if (illegal == null) {
                join(p, g);
                g.extraOutputs.add(p.output());
                return;
            }
            notFused.add(new NotFused(p, illegal));
            startGroup(p);
            return;
        }
        String why2 = null;
        if (p.op().isExpensive()) {
            why2 = "expensive and read by " + userGroups.size() + " fusions; computed once in its own fusion instead of duplicated";
        } else if (usedOutside) {
            why2 = "read by " + userGroups.size() + " fusions and also outside them; computed once in its own fusion";
        } else {
            for (FusionGroup g : userGroups) {
                String illegal = illegalJoin(p, g);
                if (illegal != null) {
                    why2 = illegal;
                    break;
                }
            }
        }
        if (why2 != null) {
            notFused.add(new NotFused(p, why2));
            startGroup(p);
            return;
        }
        for (FusionGroup g : userGroups) join(p, g); // cheap: recomputed in each user's fusion
    }

    /**
     * A constant (or another op without inputs) is data, not work: it is cloned into every
     * fusion that may read it and also stays a plain node while anything else reads it.
     */
    private void placeNullary(Node p, Set<FusionGroup> userGroups, boolean usedOutside) {
        boolean outside = usedOutside;
        for (FusionGroup g : userGroups) {
            if (illegalJoin(p, g) == null) join(p, g);
            else outside = true;
        }
        if (outside || userGroups.isEmpty()) keptOutside.add(p);
    }

    /** True when {@code n} is emitted as a plain node: it is in no fusion, or it is a constant also read elsewhere. */
    boolean emittedPlain(Node n) { return groupsOf(n).isEmpty() || keptOutside.contains(n); }

    /** Why {@code n} can never be in a fusion, or null. */
    private static String unfusible(Node n) {
        OpDef op = n.op();
        if (op.effect() == OpDef.Effect.SIDE_EFFECT) return "has a side effect; never fused";
        if (op.effect() == OpDef.Effect.RANDOM) return "random; never fused (its stream must be drawn exactly once)";
        if (!n.regions().isEmpty()) return "holds regions; fused only inside them";
        if (op.fusionKind() == FusionKind.OPAQUE) return "opaque op; runs as its own kernel";
        List<TensorType> types = new ArrayList<>();
        for (Value v : n.inputs()) types.add(v.type());
        for (Value v : n.outputs()) types.add(v.type());
        for (TensorType t : types) {
            if (t.dtype() == DType.STRING) return "works on strings; never fused";
            if (!t.shape().hasRank()) return "has an operand of unknown rank";
        }
        if (op.fusionKind() == FusionKind.BROADCAST_LIKE && !allStatic(n.outputs())) {
            return "index arithmetic needs a static output shape, got " + shapes(n.outputs());
        }
        return null;
    }

    private void startGroup(Node p) {
        FusionKind k = p.op().fusionKind();
        FusionGroup g = k == FusionKind.REDUCTION ? new FusionGroup(groups.size(), p, Kind.INPUT, Role.HERO)
                : k == FusionKind.MATMUL ? new FusionGroup(groups.size(), p, Kind.OUTPUT, Role.HERO)
                : new FusionGroup(groups.size(), p, Kind.LOOP, Role.LOOP);
        groups.add(g);
        groupsOf.computeIfAbsent(p, x -> new ArrayList<>()).add(g);
    }

    private void join(Node p, FusionGroup g) {
        FusionKind k = p.op().fusionKind();
        if (k == FusionKind.REDUCTION || k == FusionKind.MATMUL) {
            g.kind = k == FusionKind.REDUCTION ? Kind.INPUT : Kind.OUTPUT;
            g.roles.replaceAll((n, r) -> Role.EPILOGUE);
            g.roles.put(p, Role.HERO);
            g.heroes.add(p);
        } else {
            g.roles.put(p, g.kind == Kind.LOOP ? Role.LOOP : userRoles(p, g).contains(Role.EPILOGUE) ? Role.EPILOGUE : Role.PROLOGUE);
        }
        groupsOf.computeIfAbsent(p, x -> new ArrayList<>()).add(g);
    }

    /** Why producer {@code p} may not join {@code g}, or null when it may. */
    private String illegalJoin(Node p, FusionGroup g) {
        FusionKind k = p.op().fusionKind();
        if (k == FusionKind.REDUCTION || k == FusionKind.MATMUL) {
            String what = k == FusionKind.REDUCTION ? "reduction" : "matmul";
            if (!g.heroes.isEmpty()) {
                return "a " + what + " feeding the fusion of " + g.heroes.get(0).op().name() + " (one hero per fusion)";
            }
            if (p.outputs().size() != 1 || !p.output().shape().isFullyKnown()) {
                return "a " + what + " with a dynamic output shape " + shapes(p.outputs()) + " takes no epilogue";
            }
            Shape out = p.output().shape();
            if (!loopShape(g).equals(out)) {
                return "its users' fusion loops over " + loopShape(g).irString() + ", not over the " + what
                        + " output " + out.irString() + " (an epilogue must be elementwise on it)";
            }
            for (Node d : dependents(p, g)) {
                if (d.op().fusionKind() != FusionKind.ELEMENTWISE || !d.output().shape().equals(out)) {
                    return d.op().name() + " after it is not elementwise on the " + what + " output " + out.irString();
                }
            }
            return null;
        }
        if (p.op().isExpensive()) {
            String reuse = reuseProblem(p, g);
            if (reuse != null) return reuse;
        }
        if (g.kind == Kind.LOOP) return null;
        Set<Role> roles = userRoles(p, g);
        boolean before = roles.contains(Role.PROLOGUE) || roles.contains(Role.HERO);
        if (before && roles.contains(Role.EPILOGUE)) {
            return "feeds both the input and the epilogue of " + g.heroes.get(0).op().name();
        }
        if (before && g.kind == Kind.OUTPUT) return "an operand of matmul, which the tuned kernel reads from memory";
        return null;
    }

    /** An expensive producer joins only where each of its elements is used by one output element. */
    private String reuseProblem(Node p, FusionGroup g) {
        if (!allStatic(p.outputs())) return "expensive, and with unknown dims it may be recomputed for reused elements";
        long own = p.output().shape().numElements();
        Set<Role> roles = userRoles(p, g);
        boolean prologue = roles.contains(Role.PROLOGUE) || roles.contains(Role.HERO);
        for (Node d : dependents(p, g)) {
            // A reduction reads each input element once; what comes after it no longer sees p's elements.
            if (g.role(d) == Role.HERO || (prologue && g.role(d) == Role.EPILOGUE)) continue;
            if (!allStatic(d.outputs()) || d.output().shape().numElements() > own) {
                return "expensive, and " + d.op().name() + " " + shapes(d.outputs()) + " would recompute its "
                        + own + " elements";
            }
        }
        return null;
    }

    private String extraOutputProblem(Node p, FusionGroup g, List<Node> outsideUsers) {
        if (g.kind != Kind.LOOP) return "also used outside the fusion of " + g.heroes.get(0).op().name();
        if (p.outputs().size() != 1 || !p.output().shape().isFullyKnown() || !p.output().shape().equals(loopShape(g))) {
            return "also used outside, and its shape " + shapes(p.outputs()) + " is not the loop shape "
                    + loopShape(g).irString() + " of its users' fusion";
        }
        int fusedAt = position.get(g.root);
        Integer opaque = opaqueUse.get(p.output());
        if (opaque != null && opaque <= fusedAt) return "also used by a region before its users' fusion runs";
        for (Node u : outsideUsers) {
            if (position.get(u) < fusedAt) return "also used by " + u.op().name() + " before its users' fusion runs";
        }
        return null;
    }

    private Set<Role> userRoles(Node p, FusionGroup g) {
        Set<Role> roles = java.util.EnumSet.noneOf(Role.class);
        for (Value v : p.outputs()) for (Node u : users.getOrDefault(v, List.of())) if (g.contains(u)) roles.add(g.role(u));
        return roles;
    }

    /** Members of {@code g} that read {@code p}'s outputs, directly or through other members. */
    private List<Node> dependents(Node p, FusionGroup g) {
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Node> work = new ArrayDeque<>(List.of(p));
        while (!work.isEmpty()) {
            for (Value v : work.pop().outputs()) {
                for (Node u : users.getOrDefault(v, List.of())) {
                    if (g.contains(u) && seen.add(u)) work.push(u);
                }
            }
        }
        return new ArrayList<>(seen);
    }

    /** The iteration space of a group: the root's output, or a reduction's input. */
    private static Shape loopShape(FusionGroup g) {
        if (g.kind == Kind.INPUT) return g.heroes.get(0).inputs().get(0).shape();
        return g.root.outputs().get(0).shape();
    }

    // ------------------------------------------------------------------ sibling multi-output fusion

    /**
     * Merges fusions that read a common input and loop over the same static shape (two loop
     * fusions, or two reductions of the same input shape with the same attributes), so the
     * input is read once. The merged fusion runs where the later one did, which is legal only
     * when nothing reads the earlier one's outputs before that point.
     */
    private void mergeSiblings() {
        List<FusionGroup> byPosition = new ArrayList<>(groups);
        byPosition.sort((a, b) -> Integer.compare(position.get(a.root), position.get(b.root)));
        for (int i = 0; i < byPosition.size(); i++) {
            FusionGroup a = byPosition.get(i);
            if (a.root == null) continue;
            for (int j = i + 1; j < byPosition.size() && a.root != null; j++) {
                FusionGroup b = byPosition.get(j);
                if (b.root == null || !siblings(a, b) || !canRunLater(a, position.get(b.root))) continue;
                for (var e : a.roles.entrySet()) {
                    b.roles.putIfAbsent(e.getKey(), e.getValue());
                    List<FusionGroup> gs = groupsOf.get(e.getKey());
                    gs.remove(a);
                    if (!gs.contains(b)) gs.add(b);
                }
                for (Node h : a.heroes) if (!b.heroes.contains(h)) b.heroes.add(h);
                b.mergedRoots.add(a.root);
                b.mergedRoots.addAll(a.mergedRoots);
                b.extraOutputs.addAll(a.extraOutputs);
                a.root = null;
            }
        }
    }

    private boolean siblings(FusionGroup a, FusionGroup b) {
        if (a.kind != b.kind || a.kind == Kind.OUTPUT) return false;
        if (Collections.disjoint(externalInputs(a), externalInputs(b))) return false;
        if (a.kind == Kind.LOOP) {
            return a.root.outputs().size() == 1 && b.root.outputs().size() == 1
                    && loopShape(a).isFullyKnown() && loopShape(a).equals(loopShape(b));
        }
        Node ha = a.heroes.get(0), hb = b.heroes.get(0);
        return a.heroes.size() == 1 && b.heroes.size() == 1 && loopShape(a).isFullyKnown()
                && loopShape(a).equals(loopShape(b)) && ha.attrs().equals(hb.attrs())
                && ha.output().shape().equals(hb.output().shape());
    }

    private Set<Value> externalInputs(FusionGroup g) {
        Set<Value> in = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node m : g.roles.keySet()) {
            for (Value v : m.inputs()) {
                Node d = definer.get(v);
                if (d == null || !g.contains(d)) in.add(v);
            }
        }
        return in;
    }

    /** True when every output of {@code g} is first read outside it after block position {@code at}. */
    private boolean canRunLater(FusionGroup g, int at) {
        List<Value> outs = new ArrayList<>(g.root.outputs());
        outs.addAll(g.extraOutputs);
        for (Node r : g.mergedRoots) outs.addAll(r.outputs());
        for (Value v : outs) {
            Integer opaque = opaqueUse.get(v);
            if (opaque != null && opaque <= at) return false;
            for (Node u : users.getOrDefault(v, List.of())) {
                if (!g.contains(u) && position.get(u) <= at) return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ helpers

    private static boolean allStatic(List<Value> vs) {
        for (Value v : vs) if (!v.shape().isFullyKnown()) return false;
        return true;
    }

    private static String shapes(List<Value> vs) {
        return vs.size() == 1 ? vs.get(0).shape().irString() : vs.stream().map(v -> v.shape().irString()).toList().toString();
    }
}
