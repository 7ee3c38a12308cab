package dev.tfjit.passes;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.IrPrinter;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef.FusionKind;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.CreationOps;
import dev.tfjit.ir.ops.FusionOps;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each top-level value of a (fused) function lives while it runs: the caller's argument
 * memory, constant data, or a slot of one arena the code generator allocates per call.
 *
 * <p>Liveness follows the node order: a value is live from its node to its last reader (a use
 * inside a {@code while}/{@code cond} region counts as a use by that node). A slot is reused by
 * a later value once its value is dead, choosing the smallest free slot at least as large. A
 * loop fusion writes an output into the slot of an input of the same type that dies there when
 * everything computed from that input is elementwise on its shape (in place: the code generator
 * reads every input element j before it writes any output element j). The
 * function's parameters are never written, and the slots of its results are never reused.
 * Values with unknown dims get a slot of their own whose size is known only at run time
 * ({@link Slot#bytes} is {@code -1}); they are never shared. Values inside regions are not
 * assigned here: fused values live in registers, and loop bodies get their own buffers.
 *
 * @param allocations every top-level value (params and node outputs of the function body)
 * @param slots       the arena's slots; static ones laid out at 64-byte aligned offsets
 * @param arenaBytes  the arena size: the sum of the static slots, aligned
 * @param peakBytes   the most bytes of static slots live at once (a lower bound for any plan)
 */
public record BufferAssignment(Map<Value, Allocation> allocations, List<Slot> slots, long arenaBytes, long peakBytes) {
    /** Buffers are 64-byte aligned (see {@code Buffer}); slots in the arena keep that alignment. */
    public static final int ALIGNMENT = 64;

    /** Where one value lives. */
    public sealed interface Allocation permits Parameter, Constant, InSlot {}

    /** The caller's argument {@code index}; read only. */
    public record Parameter(int index) implements Allocation {}

    /** The data of a {@code constant} node, embedded in the code. */
    public record Constant() implements Allocation {}

    /** Slot {@code slot} of the arena; {@code overwrites} is the input it replaces in place, or null. */
    public record InSlot(int slot, Value overwrites) implements Allocation {}

    /**
     * One region of the arena. {@code bytes} is -1 for a deferred slot (unknown dims), which has
     * no offset ({@code -1}) and holds exactly one value of type {@code deferredType}.
     */
    public record Slot(int id, long bytes, long offset, boolean holdsResult, TensorType deferredType) {
        public boolean isDeferred() { return bytes < 0; }
    }

    public BufferAssignment {
        allocations = Collections.unmodifiableMap(new IdentityHashMap<>(allocations));
        slots = List.copyOf(slots);
    }

    public Allocation of(Value v) {
        Allocation a = allocations.get(v);
        if (a == null) throw new IllegalArgumentException(v + " is not a top-level value of this function");
        return a;
    }

    /** Bytes of a value of static type {@code t}, or -1 when a dim is unknown. */
    public static long bytesOf(TensorType t) {
        if (!t.shape().isFullyKnown()) return -1;
        return Math.multiplyExact(t.shape().numElements(), (long) t.dtype().byteSize());
    }

    /** Plans the buffers of {@code g}'s function body. */
    public static BufferAssignment of(Graph g) { return new Planner(g).plan(); }

    /** One line per value and per slot, with the graph's printed value names. */
    public String describe(Graph g) {
        Map<Value, String> names = IrPrinter.valueNames(g);
        StringBuilder sb = new StringBuilder();
        List<Value> order = new ArrayList<>(g.params());
        for (Node n : g.body().nodes()) order.addAll(n.outputs());
        for (Value v : order) {
            sb.append("  %").append(names.get(v)).append(": ").append(v.type()).append(" -> ");
            switch (of(v)) {
                case Parameter p -> sb.append("param ").append(p.index());
                case Constant c -> sb.append("constant");
                case InSlot s -> {
                    sb.append("slot ").append(s.slot());
                    if (s.overwrites() != null) sb.append(" (in place of %").append(names.get(s.overwrites())).append(')');
                }
            }
            sb.append('\n');
        }
        for (Slot s : slots) {
            sb.append("  slot ").append(s.id()).append(": ");
            if (s.isDeferred()) sb.append("deferred ").append(s.deferredType()).append(" (size known at run time)");
            else sb.append(s.bytes()).append(" bytes at offset ").append(s.offset());
            if (s.holdsResult()) sb.append(", result");
            sb.append('\n');
        }
        sb.append("  arena ").append(arenaBytes).append(" bytes, peak live ").append(peakBytes).append(" bytes\n");
        return sb.toString();
    }

    private static final class Planner {
        final Graph g;
        final List<Node> nodes;
        final Map<Value, Integer> lastUse = new IdentityHashMap<>();
        final Set<Value> results = Collections.newSetFromMap(new IdentityHashMap<>());
        final Map<Value, Allocation> allocations = new IdentityHashMap<>();
        final List<long[]> slotInfo = new ArrayList<>();        // {bytes, holdsResult 0/1}
        final List<TensorType> deferredTypes = new ArrayList<>();
        final List<Integer> free = new ArrayList<>();           // static slots free for reuse
        final List<Value> holder = new ArrayList<>();           // the value each slot holds now

        Planner(Graph g) {
            this.g = g;
            this.nodes = g.body().nodes();
            for (int i = 0; i < nodes.size(); i++) {
                Node n = nodes.get(i);
                for (Value v : n.inputs()) lastUse.put(v, i);
                Set<Value> captured = Collections.newSetFromMap(new IdentityHashMap<>());
                for (Block r : n.regions()) collectUses(r, captured);
                for (Value v : captured) lastUse.put(v, i);
            }
            for (Value v : g.results()) {
                results.add(v);
                lastUse.put(v, nodes.size());
            }
        }

        private static void collectUses(Block b, Set<Value> into) {
            for (Node n : b.nodes()) {
                into.addAll(n.inputs());
                for (Block r : n.regions()) collectUses(r, into);
            }
            into.addAll(b.results());
        }

        BufferAssignment plan() {
            for (int i = 0; i < g.params().size(); i++) allocations.put(g.params().get(i), new Parameter(i));
            long live = 0, peak = 0;
            Map<Integer, Long> liveBytes = new java.util.HashMap<>();
            for (int i = 0; i < nodes.size(); i++) {
                Node n = nodes.get(i);
                Set<Integer> taken = new java.util.HashSet<>();
                for (Value out : n.outputs()) {
                    if (n.op() == CreationOps.CONSTANT) {
                        allocations.put(out, new Constant());
                        continue;
                    }
                    Allocation a = inPlace(n, i, out, taken);
                    if (a == null) a = new InSlot(slotFor(out), null);
                    allocations.put(out, a);
                    int slot = ((InSlot) a).slot();
                    holder.set(slot, out);
                    taken.add(slot);
                    long b = bytesOf(out.type());
                    if (b > 0 && ((InSlot) a).overwrites() == null) liveBytes.merge(slot, b, Long::sum);
                }
                live = liveBytes.values().stream().mapToLong(Long::longValue).sum();
                peak = Math.max(peak, live);
                // Values whose last reader is this node die here; their slots serve later nodes.
                Set<Integer> released = new java.util.HashSet<>();
                for (Value v : deadAfter(n, i)) {
                    if (allocations.get(v) instanceof InSlot s && holder.get(s.slot()) == v) released.add(s.slot());
                }
                for (int s : released) {
                    liveBytes.remove(s);
                    if (slotInfo.get(s)[0] >= 0 && slotInfo.get(s)[1] == 0) free.add(s);
                }
            }
            List<Slot> slots = new ArrayList<>();
            long offset = 0;
            for (int s = 0; s < slotInfo.size(); s++) {
                long bytes = slotInfo.get(s)[0];
                boolean result = slotInfo.get(s)[1] != 0;
                if (bytes < 0) {
                    slots.add(new Slot(s, -1, -1, result, deferredTypes.get(s)));
                } else {
                    slots.add(new Slot(s, bytes, offset, result, null));
                    offset += align(bytes);
                }
            }
            return new BufferAssignment(allocations, slots, offset, peak);
        }

        private List<Value> deadAfter(Node n, int i) {
            List<Value> dead = new ArrayList<>();
            for (var e : lastUse.entrySet()) if (e.getValue() == i) dead.add(e.getKey());
            for (Value out : n.outputs()) if (!lastUse.containsKey(out)) dead.add(out); // never read
            return dead;
        }

        /** The slot of an input that {@code out} may overwrite in place, or null. */
        private Allocation inPlace(Node n, int i, Value out, Set<Integer> taken) {
            if (results.contains(out) || n.op() != FusionOps.FUSION || !"loop".equals(n.attrs().getString("kind"))) return null;
            if (bytesOf(out.type()) < 0) return null;
            Block region = n.regions().get(0);
            for (int k = 0; k < n.inputs().size(); k++) {
                Value in = n.inputs().get(k);
                if (!in.type().equals(out.type()) || lastUse.get(in) != i || results.contains(in)) continue;
                if (!readAtOwnIndex(region, region.params().get(k))) continue;
                if (allocations.get(in) instanceof InSlot s && !taken.contains(s.slot()) && holder.get(s.slot()) == in
                        && slotInfo.get(s.slot())[1] == 0) {
                    return new InSlot(s.slot(), in);
                }
            }
            return null;
        }

        /**
         * True when every value computed from {@code param} is elementwise and of its shape, so
         * element j of the output depends on element j of the param only and may replace it.
         */
        private static boolean readAtOwnIndex(Block region, Value param) {
            Set<Value> derived = Collections.newSetFromMap(new IdentityHashMap<>());
            derived.add(param);
            for (Node m : region.nodes()) {
                if (Collections.disjoint(derived, m.inputs())) continue;
                if (m.op().fusionKind() != FusionKind.ELEMENTWISE) return false;
                for (Value o : m.outputs()) {
                    if (!o.shape().equals(param.shape())) return false;
                    derived.add(o);
                }
            }
            return true;
        }

        private int slotFor(Value out) {
            long bytes = bytesOf(out.type());
            boolean result = results.contains(out);
            if (bytes >= 0 && !result) {
                int best = -1;
                for (int s : free) {
                    long size = slotInfo.get(s)[0];
                    if (size >= bytes && (best < 0 || size < slotInfo.get(best)[0])) best = s;
                }
                if (best >= 0) {
                    free.remove(Integer.valueOf(best));
                    return best;
                }
            }
            slotInfo.add(new long[] {bytes, result ? 1 : 0});
            holder.add(null);
            deferredTypes.add(bytes < 0 ? out.type() : null);
            return slotInfo.size() - 1;
        }

        private static long align(long bytes) { return (bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT; }
    }
}
