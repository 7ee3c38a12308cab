package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.ir.kernels.Reduce;
import dev.tfjit.ir.kernels.ReductionAxes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which values are computed where.
 *
 * <p>Loop fusion: an elementwise value with a single use, by an elementwise op or a reduction in
 * the same block whose loop runs over exactly its shape, is computed inside that consumer's loop
 * instead of being stored. Nothing is recomputed (single use), and a value read with
 * broadcasting is stored once rather than recomputed per repeat. Values that leave their block
 * (results, captures by regions) are always stored.
 *
 * <p>Row fusion ({@link RowGroup}): a float reduction over the trailing dims with
 * {@code keepdims}, together with the elementwise ops that consume its per-row result (and the
 * further reductions and ops over the same rows that follow), runs as one loop over rows, as
 * softmax and layer normalization need: each row is read from memory once and its intermediate
 * values stay in a row-sized buffer in cache.
 *
 * <p>Sibling fusion ({@link SiblingGroup}): stored elementwise kernels of one block over the
 * same shape that read a common input, none reading another, run as one loop that loads the
 * shared inputs once and stores each output (XLA's multi-output fusion).
 *
 * <p>This is the fusion planner of the LLVM CPU backend (with {@link FunctionEmitter} and
 * {@link ScratchArena} for buffers); optimizer-passes' FusionPass is a graph-level rewrite this
 * backend does not run. What it decided for a graph is in {@link FusionReport}
 * ({@code -Dtfjit.dump}, {@code tfjit explain}).
 */
public final class FusionPlan {
    private final Map<Value, Node> producers = new IdentityHashMap<>();
    private final Set<Value> inlined = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<Node, RowGroup> groups = new IdentityHashMap<>();
    /** A matmul's epilogue (the elementwise kernel that is the only reader of its result), and back. */
    private final Map<Node, Node> epilogues = new IdentityHashMap<>();
    private final Set<Node> isEpilogue = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Value> views = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Concat, stack and constant pad outputs computed piece by piece in their reader's loop ({@link #pieces}). */
    private final Set<Value> pieced = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Elementwise kernels run as one loop with their siblings ({@link #siblings}). */
    private final Map<Node, SiblingGroup> siblings = new IdentityHashMap<>();
    private final List<SiblingGroup> siblingList = new ArrayList<>();

    /** How a value is read at (row, column) of a row group's {@code [rows, cols]} iteration space. */
    enum Access {
        /** The full shape: element row * cols + column. */
        FULL(true, true),
        /** One value per row (the reductions' keepdims shape): element row. */
        ROW(true, false),
        /** The same for every row, broadcast along the leading dims: element column. */
        COLUMN(false, true),
        /** One value for all. */
        SCALAR(false, false);

        final boolean perRow, perColumn;

        Access(boolean perRow, boolean perColumn) {
            this.perRow = perRow;
            this.perColumn = perColumn;
        }

        long rowStride(long cols) { return this == FULL ? cols : this == ROW ? 1 : 0; }

        long columnStride() { return perColumn ? 1 : 0; }
    }

    /**
     * Nodes of one block computed together, row by row over {@code full} seen as
     * {@code [rows, cols]} (cols: the product of the trailing {@code reducedDims} dims). Members
     * are listed in program order and are all emitted where the last one stands; {@code stored}
     * are the member outputs used outside the group, which get their own full buffers.
     */
    record RowGroup(List<Node> members, Shape full, int reducedDims, long rows, long cols, Set<Value> stored) {
        Node last() { return members.getLast(); }

        /** How a value of shape {@code s} is read inside the group, or null if it cannot be. */
        Access access(Shape s) { return FusionPlan.access(s, full, reducedDims); }

        boolean isMember(Node n) { return members.contains(n); }
    }

    /**
     * Elementwise kernels of one block over the same shape that read a common stored value and
     * none of each other's outputs, emitted as one loop where the last one stands (XLA's
     * multi-output fusion of siblings): the shared inputs are read once, each output stored.
     */
    record SiblingGroup(List<Node> members) {
        Node last() { return members.getLast(); }
    }

    /** At most this many kernels share a loop: more outputs would leave too few vector registers. */
    static final int MAX_SIBLINGS = 4;

    private FusionPlan() {}

    public static FusionPlan of(Graph g, ConcreteTypes types) {
        FusionPlan p = new FusionPlan();
        Map<Value, Block> home = new IdentityHashMap<>();
        Map<Value, List<Node>> users = new IdentityHashMap<>();
        Set<Value> escapes = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<Node, Block> blockOf = new IdentityHashMap<>();
        p.scan(g.body(), home, users, escapes, blockOf);
        for (Map.Entry<Value, Node> e : p.producers.entrySet()) {
            Value v = e.getKey();
            Node producer = e.getValue();
            List<Node> us = users.getOrDefault(v, List.of());
            if (us.size() != 1 || escapes.contains(v)) continue;
            Node user = us.getFirst();
            if (!ElementwiseLowerings.isElementwise(producer.op()) || FunctionEmitter.isForwarding(producer)) continue;
            boolean fits = ElementwiseLowerings.isElementwise(user.op())
                    ? types.shape(v).equals(types.shape(user.output()))
                    : ReductionEmitter.isReduction(user.op());
            if (fits) p.inlined.add(v);
        }
        p.rowGroups(g.body(), types, users, escapes);
        p.epilogues(g.body(), types, users, escapes);
        p.pieces(g.body(), types, users, escapes, Collections.newSetFromMap(new IdentityHashMap<>()));
        p.views(users, escapes);
        Map<Node, Node> parent = new IdentityHashMap<>();
        parents(g.body(), parent);
        p.siblings(g.body(), types, users, parent);
        return p;
    }

    /**
     * View fusion ({@link Views}): a transpose, broadcast_to, slice, strided_slice or reverse
     * whose output has a single reader, in the same block, that is computed in a plain
     * elementwise kernel or a reduction (not a row group or a matmul epilogue, which read their
     * leaves by shape), directly or as an input of a concat or pad computed in that kernel
     * ({@link #pieces}): that kernel reads the view's input with the view's strides, and the
     * output is never stored.
     */
    private void views(Map<Value, List<Node>> users, Set<Value> escapes) {
        for (Map.Entry<Value, Node> e : producers.entrySet()) {
            Value v = e.getKey();
            Node p = e.getValue();
            if (!Views.isView(p) || escapes.contains(v) || users.getOrDefault(v, List.of()).size() != 1) continue;
            Node src = producers.get(p.inputs().getFirst());
            if (src != null && src.op() == dev.tfjit.ir.ops.CreationOps.CONSTANT) continue; // constants may be literals without an address
            Node root = users.get(v).getFirst();
            if (root.outputs().size() == 1 && pieced.contains(root.output())) root = users.get(root.output()).getFirst();
            else if (!ElementwiseLowerings.isElementwise(root.op()) && !ReductionEmitter.isReduction(root.op())) continue;
            root = kernelOf(root, users);
            boolean kernel = ElementwiseLowerings.isElementwise(root.op()) ? !FunctionEmitter.isForwarding(root) : ReductionEmitter.isReduction(root.op());
            if (kernel && !groups.containsKey(root) && !isEpilogue.contains(root)) views.add(v);
        }
    }

    // ------------------------------------------------------------ sibling groups

    /**
     * Sibling fusion, greedily in program order: each plain elementwise kernel (stored, not in a
     * row group, an epilogue or reading a pieced value) joins the first open group of its block
     * with its output shape that shares a stored leaf with it (a constant does not count), reads
     * no member's output (through its inlined producers), and where every member's readers come
     * after it. All members are then emitted where the last one stands: their inputs are ready
     * there (each was before its member), and no node before that reads their outputs.
     */
    private void siblings(Block b, ConcreteTypes types, Map<Value, List<Node>> users, Map<Node, Node> parent) {
        List<Node> nodes = b.nodes();
        Map<Node, Integer> position = new IdentityHashMap<>();
        for (int i = 0; i < nodes.size(); i++) position.put(nodes.get(i), i);
        List<List<Node>> open = new ArrayList<>();
        Map<List<Node>, List<Value>> groupLeaves = new IdentityHashMap<>();
        for (Node n : nodes) {
            for (Block r : n.regions()) siblings(r, types, users, parent);
            if (!isSiblingCandidate(n)) continue;
            List<Value> leaves = new ArrayList<>();
            for (Value in : n.inputs()) leaves(in, leaves);
            List<Node> joined = null;
            for (List<Node> g : open) {
                if (g.size() < MAX_SIBLINGS && types.shape(g.getFirst().output()).equals(types.shape(n.output()))
                        && sharesLeaf(groupLeaves.get(g), leaves) && readsNone(leaves, g)
                        && readersAfter(g, position.get(n), users, position, parent)) {
                    joined = g;
                    break;
                }
            }
            if (joined == null) {
                joined = new ArrayList<>();
                open.add(joined);
                groupLeaves.put(joined, new ArrayList<>());
            }
            joined.add(n);
            for (Value l : leaves) if (groupLeaves.get(joined).stream().noneMatch(x -> x == l)) groupLeaves.get(joined).add(l);
        }
        for (List<Node> g : open) {
            if (g.size() < 2) continue;
            SiblingGroup s = new SiblingGroup(List.copyOf(g));
            siblingList.add(s);
            for (Node m : g) siblings.put(m, s);
        }
    }

    /** An elementwise kernel emitted on its own today, whose output is stored and read at its loop's positions. */
    private boolean isSiblingCandidate(Node n) {
        if (n.outputs().size() != 1 || !ElementwiseLowerings.isElementwise(n.op()) || FunctionEmitter.isForwarding(n)) return false;
        if (DataMovement.isSameBytes(n.op())) return false;
        Value v = n.output();
        if (inlined.contains(v) || pieced.contains(v) || views.contains(v)) return false;
        return !groups.containsKey(n) && !isEpilogue.contains(n) && !readsPieced(n);
    }

    /** Whether the two leaf lists share a value that is not a constant (constants read as literals or globals cost nothing to share). */
    private boolean sharesLeaf(List<Value> a, List<Value> b) {
        for (Value x : a) {
            Node p = producers.get(x);
            if (p != null && p.op() == dev.tfjit.ir.ops.CreationOps.CONSTANT) continue;
            if (b.stream().anyMatch(y -> y == x)) return true;
        }
        return false;
    }

    /** Whether none of {@code leaves} is an output of a member of {@code g}. */
    private static boolean readsNone(List<Value> leaves, List<Node> g) {
        for (Node m : g) if (leaves.stream().anyMatch(l -> l == m.output())) return false;
        return true;
    }

    /** Whether every reader of the members' outputs stands (or sits in a region of a node that stands) after {@code at}. */
    private static boolean readersAfter(List<Node> g, int at, Map<Value, List<Node>> users, Map<Node, Integer> position,
                                        Map<Node, Node> parent) {
        for (Node m : g) {
            for (Node u : users.getOrDefault(m.output(), List.of())) {
                Node top = u;
                while (top != null && !position.containsKey(top)) top = parent.get(top);
                if (top == null || position.get(top) <= at) return false;
            }
        }
        return true;
    }

    /** The sibling group {@code n} is emitted in, or null. */
    SiblingGroup siblingGroup(Node n) { return siblings.get(n); }

    /** For tests and dumps: every sibling group, in program order of their first members. */
    List<SiblingGroup> siblingGroups() { return List.copyOf(siblingList); }

    /** The while or cond node whose region holds each nested node. */
    private static void parents(Block b, Map<Node, Node> parent) {
        for (Node n : b.nodes()) {
            for (Block r : n.regions()) {
                for (Node m : r.nodes()) parent.put(m, n);
                parents(r, parent);
            }
        }
    }

    /** The node whose loop computes {@code n}: {@code n} itself, or the consumer its inlined or pieced output is computed in. */
    private Node kernelOf(Node n, Map<Value, List<Node>> users) {
        while (n.outputs().size() == 1 && (inlined.contains(n.output()) || pieced.contains(n.output()))) n = users.get(n.output()).getFirst();
        return n;
    }

    /**
     * Concat, stack, constant pad and tile (up to {@link IndexFusion#MAX_TILE_PIECES} copies) as index arithmetic: an output of exactly the shape of its
     * single reader's elementwise kernel (in the same block, not a row group or matmul epilogue,
     * and through inlined producers only) is not stored; the kernel runs once per piece of its
     * iteration space, each piece reading one concat or stack input, or the pad's input or its
     * padding value ({@link IndexFusion}). One such value per kernel. An elementwise input of the
     * concat, stack or pad (the padding value aside) that it alone reads is then computed in its
     * piece too. Nothing is recomputed: the pieces partition the output. Reductions are left
     * out: split into pieces, their sums would no longer add in the interpreter's order.
     */
    private void pieces(Block b, ConcreteTypes types, Map<Value, List<Node>> users, Set<Value> escapes, Set<Node> taken) {
        for (Node p : b.nodes()) { // in program order, so that which of two candidates for one kernel wins is the same every time
            for (Block r : p.regions()) pieces(r, types, users, escapes, taken);
            if (p.outputs().size() != 1) continue;
            Value v = p.output();
            if (!IndexFusion.isPieceable(p) || escapes.contains(v) || users.getOrDefault(v, List.of()).size() != 1) continue;
            Node user = users.get(v).getFirst();
            if (!ElementwiseLowerings.isElementwise(user.op()) || !types.shape(v).equals(types.shape(user.output()))) continue;
            Node root = kernelOf(user, users);
            if (!ElementwiseLowerings.isElementwise(root.op()) || FunctionEmitter.isForwarding(root) || groups.containsKey(root)
                    || isEpilogue.contains(root) || !taken.add(root)) continue;
            pieced.add(v);
            List<Value> added = inlineSources(p, users, escapes);
            // The kernel reads its other leaves at the whole output's positions, the piece's own
            // at the piece's: a value read both ways would need two positions at once.
            List<Value> inside = new ArrayList<>(), outside = new ArrayList<>();
            for (Value in : p.inputs()) leaves(in, inside);
            for (Value in : root.inputs()) leavesOutside(in, v, outside);
            if (inside.stream().anyMatch(x -> outside.stream().anyMatch(y -> y == x))) {
                pieced.remove(v);
                taken.remove(root);
                added.forEach(inlined::remove);
            }
        }
    }

    /** Inlines the elementwise inputs of pieced {@code p} that only it reads and its pieces read once ({@link IndexFusion#sources}); returns them. */
    private List<Value> inlineSources(Node p, Map<Value, List<Node>> users, Set<Value> escapes) {
        List<Value> added = new ArrayList<>();
        for (Value in : IndexFusion.sources(p)) {
            Node q = producers.get(in);
            if (q == null || escapes.contains(in) || users.getOrDefault(in, List.of()).size() != 1 || inlined.contains(in)) continue;
            if (!ElementwiseLowerings.isElementwise(q.op()) || FunctionEmitter.isForwarding(q) || q.outputs().size() != 1) continue;
            if (groups.containsKey(q) || isEpilogue.contains(q) || readsPieced(q)) continue;
            inlined.add(in);
            added.add(in);
        }
        return added;
    }

    /** Whether an elementwise kernel's expression, through inlined producers, reads a pieced value (it is computed there). */
    private boolean readsPieced(Node n) {
        for (Value in : n.inputs()) if (pieced.contains(in) || (inlined.contains(in) && readsPieced(producers.get(in)))) return true;
        return false;
    }

    /** {@link #leaves} of an expression, not descending into pieced {@code skip}. */
    private void leavesOutside(Value v, Value skip, List<Value> out) {
        if (v == skip) return;
        if (inlined.contains(v)) {
            for (Value in : producers.get(v).inputs()) leavesOutside(in, skip, out);
        } else if (out.stream().noneMatch(x -> x == v)) {
            out.add(v);
        }
    }

    /**
     * Whether {@code v} (a concat, stack or constant pad) is computed piece by piece inside its
     * reader's loop ({@link #pieces}) rather than stored.
     */
    public boolean isPieced(Value v) { return pieced.contains(v); }

    /** Whether {@code v} is a view its reader reads through ({@link #views}) rather than a stored value. */
    boolean isView(Value v) { return views.contains(v); }

    private void scan(Block b, Map<Value, Block> home, Map<Value, List<Node>> users, Set<Value> escapes, Map<Node, Block> blockOf) {
        for (Value v : b.params()) home.put(v, b);
        for (Node n : b.nodes()) {
            blockOf.put(n, b);
            for (Value v : n.inputs()) {
                users.computeIfAbsent(v, x -> new ArrayList<>()).add(n);
                if (home.get(v) != b) escapes.add(v);
            }
            for (Block r : n.regions()) scan(r, home, users, escapes, blockOf); // a region's reads of outer values escape
            for (Value v : n.outputs()) {
                home.put(v, b);
                producers.put(v, n);
            }
        }
        escapes.addAll(b.results());
    }

    public boolean isInlined(Value v) { return inlined.contains(v); }

    /** The node defining {@code v}, or null for block parameters. */
    public Node producer(Value v) { return producers.get(v); }

    /** The row group {@code n} belongs to, or null. */
    RowGroup rowGroup(Node n) { return groups.get(n); }

    /** The elementwise kernel computed inside {@code matmul}'s loops (output fusion), or null. */
    Node epilogue(Node matmul) { return epilogues.get(matmul); }

    /** Whether {@code n} is emitted as some matmul's epilogue rather than on its own. */
    boolean isEpilogue(Node n) { return isEpilogue.contains(n); }

    // ------------------------------------------------------------ matmul epilogues

    /**
     * Output fusion, as XLA fuses a dense layer's bias and activation: a float32 rank-2 matmul
     * whose result is read only by one elementwise kernel of the same shape (through its fused
     * producers, e.g. {@code relu(add(matmul, bias))}) computes that kernel for each block of rows
     * right after the product, while the rows are in cache, on the same thread. Every other input
     * of the kernel must be ready where the matmul stands.
     */
    private void epilogues(Block b, ConcreteTypes types, Map<Value, List<Node>> users, Set<Value> escapes) {
        Map<Node, Integer> position = new IdentityHashMap<>();
        List<Node> nodes = b.nodes();
        for (int i = 0; i < nodes.size(); i++) position.put(nodes.get(i), i);
        for (Node m : nodes) {
            for (Block r : m.regions()) epilogues(r, types, users, escapes);
            if (!MatMulEmitter.isMatMul(m.op()) || m.output().dtype() != dev.tfjit.ir.DType.FLOAT32) continue;
            Value v = m.output();
            Shape shape = types.shape(v);
            if (shape.rank() != 2 || escapes.contains(v) || users.getOrDefault(v, List.of()).size() != 1) continue;
            Node root = users.get(v).getFirst();
            while (root.outputs().size() == 1 && inlined.contains(root.output())) root = users.get(root.output()).getFirst();
            if (!position.containsKey(root) || groups.containsKey(root) || isEpilogue.contains(root)) continue;
            if (!ElementwiseLowerings.isElementwise(root.op()) || FunctionEmitter.isForwarding(root)) continue;
            if (!types.shape(root.output()).equals(shape)) continue;
            List<Value> leaves = new ArrayList<>();
            for (Value in : root.inputs()) leaves(in, leaves);
            boolean ready = leaves.contains(v);
            for (Value l : leaves) {
                Node p = producers.get(l);
                if (l != v && p != null && (!position.containsKey(p) || position.get(p) > position.get(m))) ready = false;
            }
            if (!ready) continue;
            epilogues.put(m, root);
            isEpilogue.add(root);
        }
    }

    // ------------------------------------------------------------ row groups

    private void rowGroups(Block b, ConcreteTypes types, Map<Value, List<Node>> users, Set<Value> escapes) {
        List<Node> nodes = b.nodes();
        Map<Node, Integer> position = new IdentityHashMap<>();
        for (int i = 0; i < nodes.size(); i++) position.put(nodes.get(i), i);
        for (Node seed : nodes) {
            for (Block r : seed.regions()) rowGroups(r, types, users, escapes);
            if (groups.containsKey(seed) || !isRowReduction(seed, types)) continue;
            Shape full = types.shape(seed.inputs().getFirst());
            int q = reducedCount(seed, full.rank());
            RowGroup g = grow(seed, full, q, types, users, escapes, position);
            if (g != null) for (Node m : g.members()) groups.put(m, g);
        }
    }

    /** A float reduction over the trailing dims, keepdims, of a tensor with at least two columns. */
    private static boolean isRowReduction(Node n, ConcreteTypes types) {
        if (!ReductionEmitter.isReduction(n.op()) || !n.attrs().getBool("keepdims", false)) return false;
        ComputeType c = ComputeType.of(n.output().dtype());
        if (c != ComputeType.F32 && c != ComputeType.F64) return false;
        Reduce.Kind kind = ReductionEmitter.kind(n.op());
        if (kind != Reduce.Kind.SUM && kind != Reduce.Kind.MEAN && kind != Reduce.Kind.MAX && kind != Reduce.Kind.MIN) return false;
        Shape in = types.shape(n.inputs().getFirst());
        if (in.rank() < 2 || in.numElements() == 0) return false;
        int q = reducedCount(n, in.rank());
        if (q <= 0 || q >= in.rank()) return false;
        long cols = 1;
        for (int d = in.rank() - q; d < in.rank(); d++) cols *= in.dim(d);
        return cols >= 2;
    }

    /** How many trailing dims {@code n} reduces, or -1 if its reduced dims are not exactly a trailing run. */
    private static int reducedCount(Node n, int rank) {
        boolean[] mask = ReductionAxes.reductionMask(Reduce.axes(n.attrs()), rank);
        int q = 0;
        while (q < rank && mask[rank - 1 - q]) q++;
        for (int d = 0; d < rank - q; d++) if (mask[d]) return -1;
        return q;
    }

    /** The seed's row group: everything that consumes its rows, grown to a fixed point; null if nothing joins it. */
    private RowGroup grow(Node seed, Shape full, int q, ConcreteTypes types, Map<Value, List<Node>> users, Set<Value> escapes,
                          Map<Node, Integer> position) {
        Set<Node> members = Collections.newSetFromMap(new IdentityHashMap<>());
        members.add(seed);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Node m : List.copyOf(members)) {
                for (Value v : m.outputs()) {
                    for (Node u : users.getOrDefault(v, List.of())) {
                        if (!members.contains(u) && !groups.containsKey(u) && position.containsKey(u) && joins(u, full, q, types, members)) {
                            members.add(u);
                            changed = true;
                        }
                    }
                }
            }
        }
        if (members.size() < 2) return null;
        List<Node> ordered = new ArrayList<>(members);
        ordered.sort((x, y) -> Integer.compare(position.get(x), position.get(y)));
        int last = position.get(ordered.getLast());
        Set<Value> stored = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node m : ordered) {
            for (Value v : m.outputs()) {
                if (escapes.contains(v)) {
                    for (Node u : users.getOrDefault(v, List.of())) if (!position.containsKey(u)) return null; // read inside a region
                    stored.add(v);
                }
                for (Node u : users.getOrDefault(v, List.of())) {
                    if (members.contains(u)) continue;
                    // Everything is emitted where the last member stands: a reader before that would read too early.
                    if (!position.containsKey(u) || position.get(u) < last) return null;
                    stored.add(v);
                }
            }
        }
        // A member's value can no longer be computed inside a consumer outside the group.
        for (Value v : stored) inlined.remove(v);
        long cols = 1;
        for (int d = full.rank() - q; d < full.rank(); d++) cols *= full.dim(d);
        return new RowGroup(List.copyOf(ordered), full, q, full.numElements() / cols, cols, stored);
    }

    /** Whether {@code n} can compute its part of the group row by row. */
    private boolean joins(Node n, Shape full, int q, ConcreteTypes types, Set<Node> members) {
        List<Value> roots;
        if (isRowReduction(n, types)) {
            if (!types.shape(n.inputs().getFirst()).equals(full) || reducedCount(n, full.rank()) != q) return false;
            roots = List.of(n.inputs().getFirst());
        } else if (ElementwiseLowerings.isElementwise(n.op()) && !FunctionEmitter.isForwarding(n) && n.outputs().size() == 1) {
            Access out = access(types.shape(n.output()), full, q);
            if (out != Access.FULL && out != Access.ROW) return false;
            if (!types.shape(n.output()).equals(out == Access.FULL ? full : rowShape(full, q))) return false;
            roots = n.inputs();
        } else {
            return false;
        }
        List<Value> leaves = new ArrayList<>();
        for (Value r : roots) leaves(r, leaves);
        for (Value l : leaves) {
            Node p = producers.get(l);
            if (p != null && members.contains(p)) continue; // read from the group's own rows
            if (access(types.shape(l), full, q) == null) return false;
        }
        return true;
    }

    /** The stored values an expression reads, through inlined producers (constants included: they read as scalars or columns). */
    private void leaves(Value v, List<Value> out) {
        if (inlined.contains(v)) {
            for (Value in : producers.get(v).inputs()) leaves(in, out);
        } else if (out.stream().noneMatch(x -> x == v)) {
            out.add(v);
        }
    }

    private static Shape rowShape(Shape full, int q) {
        int[] d = full.dims().clone();
        for (int i = d.length - q; i < d.length; i++) d[i] = 1;
        return Shape.of(d);
    }

    /** How a value of shape {@code s}, broadcast to {@code full}, reads as rows and columns; null if it does not flatten to one. */
    static Access access(Shape s, Shape full, int q) {
        if (s.rank() > full.rank()) return null;
        for (int i = 0; i < s.rank(); i++) {
            int d = s.dim(i), f = full.dim(i + full.rank() - s.rank());
            if (d != f && d != 1) return null;
        }
        long[] st = dev.tfjit.ir.kernels.Broadcast.readStrides(s, full);
        int p = full.rank() - q;
        long[] fullStrides = full.strides();
        int[] pd = Arrays.copyOf(full.dims(), p), qd = Arrays.copyOfRange(full.dims(), p, full.rank());
        long[] rowStrides = Shape.of(pd).strides(), colStrides = Shape.of(qd).strides();
        boolean rowsFull = true, rowsOne = true, rowsNone = true, colsFull = true, colsNone = true;
        for (int i = 0; i < full.rank(); i++) {
            if (full.dim(i) == 1) continue; // any stride walks a dim of size 1 the same way
            if (i < p) {
                rowsFull &= st[i] == fullStrides[i];
                rowsOne &= st[i] == rowStrides[i];
                rowsNone &= st[i] == 0;
            } else {
                colsFull &= st[i] == colStrides[i - p];
                colsNone &= st[i] == 0;
            }
        }
        if (rowsFull && colsFull) return Access.FULL;
        if (rowsOne && colsNone) return Access.ROW;
        if (rowsNone && colsFull) return Access.COLUMN;
        if (rowsNone && colsNone) return Access.SCALAR;
        return null;
    }

    /** For tests and dumps: the members of every row group, in program order. */
    List<RowGroup> rowGroups() { return new ArrayList<>(new LinkedHashSet<>(groups.values())); }
}
