package dev.tfjit.ir;

import dev.tfjit.ir.ops.ControlFlowOps;
import dev.tfjit.ir.ops.FusionOps;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the invariants every pass may rely on: SSA dominance (a value is used only after its
 * definition, in its own block or a block nested in it), one definition per value, arity,
 * annotated types equal to the op's type rule, and the region signatures of {@code while} and
 * {@code cond}. The first violation is thrown as a {@link VerificationError} that names the
 * node as the IR text prints it.
 */
public final class Verifier {
    private final Map<Value, String> names;
    /** The block that defines each value (a block's params and its nodes' outputs). */
    private final Map<Value, Block> definingBlock = new IdentityHashMap<>();
    /** Values visible at the current point: params and earlier outputs of the open blocks. */
    private final Set<Value> visible = Collections.newSetFromMap(new IdentityHashMap<>());
    /** The blocks that enclose the current point, outermost first. */
    private final List<Block> open = new ArrayList<>();

    private Verifier(Graph g) { this.names = IrPrinter.valueNames(g); }

    public static void verify(Graph g) {
        Verifier v = new Verifier(g);
        v.collectDefinitions(g.body(), null);
        v.block(g.body(), "return", null);
    }

    // ------------------------------------------------------------------ definitions

    private void collectDefinitions(Block b, Node owner) {
        for (Value p : b.params()) defineOnce(p, b, owner);
        for (Node n : b.nodes()) {
            for (Value out : n.outputs()) defineOnce(out, b, n);
            for (Block r : n.regions()) collectDefinitions(r, n);
        }
    }

    private void defineOnce(Value v, Block b, Node definer) {
        if (v == null) throw fail(definer, "defines a null value");
        if (definingBlock.put(v, b) != null) {
            throw fail(definer, name(v) + " is defined more than once (each value has exactly one definition)");
        }
    }

    // ------------------------------------------------------------------ dominance and types

    private void block(Block b, String terminator, Node owner) {
        open.add(b);
        List<Value> added = new ArrayList<>(b.params());
        visible.addAll(b.params());
        for (Node n : b.nodes()) {
            for (int i = 0; i < n.inputs().size(); i++) checkVisible(n, "operand " + i, n.inputs().get(i));
            for (Block r : n.regions()) block(r, "yield", n);
            checkSignature(n);
            visible.addAll(n.outputs());
            added.addAll(n.outputs());
        }
        for (int i = 0; i < b.results().size(); i++) {
            Value r = b.results().get(i);
            if (r == null || !visible.contains(r)) {
                throw new VerificationError(terminator, null, owner == null ? null : owner.location(),
                        resultContext(owner) + "result " + i + " " + whyNotVisible(r));
            }
        }
        added.forEach(visible::remove);
        open.remove(open.size() - 1);
    }

    private String resultContext(Node owner) {
        if (owner == null) return "";
        int region = -1;
        for (int i = 0; i < owner.regions().size(); i++) if (owner.regions().get(i) == open.getLast()) region = i;
        String node = owner.outputs().isEmpty() ? owner.op().name() : name(owner.outputs().get(0)) + " = " + owner.op().name();
        return "in region " + region + " of " + node + ", ";
    }

    private void checkVisible(Node n, String what, Value v) {
        if (v == null || !visible.contains(v)) throw fail(n, what + " " + whyNotVisible(v));
    }

    private String whyNotVisible(Value v) {
        if (v == null) return "is null";
        Block def = definingBlock.get(v);
        if (def == null) return "(" + v + ") is not defined in this function";
        if (open.contains(def)) return name(v) + " is used before it is defined";
        return name(v) + " is defined in a region that does not enclose this use";
    }

    private void checkSignature(Node n) {
        OpDef op = n.op();
        int nIn = n.inputs().size();
        if (nIn < op.minInputs() || (op.maxInputs() >= 0 && nIn > op.maxInputs())) {
            String want = op.maxInputs() < 0 ? "at least " + op.minInputs()
                    : op.minInputs() == op.maxInputs() ? "" + op.minInputs() : op.minInputs() + " to " + op.maxInputs();
            throw fail(n, op.name() + " takes " + want + " inputs, got " + nIn);
        }
        if (n.regions().size() != op.numRegions()) {
            throw fail(n, op.name() + " takes " + op.numRegions() + " regions, got " + n.regions().size());
        }
        if (op == ControlFlowOps.WHILE) checkWhile(n);
        if (op == ControlFlowOps.COND) checkCond(n);
        if (op == FusionOps.FUSION) checkFusion(n);
        List<TensorType> inferred;
        try {
            inferred = op.inferTypes(n.inputs().stream().map(Value::type).toList(), n.attrs(), n.regions());
        } catch (RuntimeException e) {
            throw fail(n, "the type rule of " + op.name() + " rejects it: " + e.getMessage());
        }
        List<TensorType> annotated = n.outputs().stream().map(Value::type).toList();
        if (inferred.size() != annotated.size()) {
            throw fail(n, op.name() + " defines " + inferred.size() + " results, but the node has " + annotated.size());
        }
        if (!inferred.equals(annotated)) {
            throw fail(n, "annotated types " + annotated + " differ from the types " + op.name() + " infers, " + inferred);
        }
    }

    /** Region 0 (cond) yields one bool scalar; region 1 (body) yields the carried types; both take the carried types. */
    private void checkWhile(Node n) {
        List<TensorType> carried = n.inputs().stream().map(Value::type).toList();
        Block cond = n.regions().get(0), body = n.regions().get(1);
        checkParams(n, "the cond region", cond, carried.size());
        checkParams(n, "the body region", body, carried.size());
        List<TensorType> c = cond.resultTypes();
        if (c.size() != 1 || c.get(0).dtype() != DType.BOOL || (c.get(0).shape().hasRank() && !c.get(0).shape().isScalar())) {
            throw fail(n, "the cond region must yield one bool[], got " + c);
        }
        List<TensorType> next = body.resultTypes();
        if (next.size() != carried.size()) {
            throw fail(n, "the body region yields " + next.size() + " values but the loop carries " + carried.size());
        }
        for (int i = 0; i < next.size(); i++) {
            if (next.get(i).dtype() != body.params().get(i).dtype()) {
                throw fail(n, "the body region yields " + next.get(i) + " for loop var " + i + ", which is "
                        + body.params().get(i).type());
            }
        }
    }

    /** Both branches take the operands after the predicate and yield the same number of values of the same dtypes. */
    private void checkCond(Node n) {
        int operands = n.inputs().size() - 1;
        Block then = n.regions().get(0), other = n.regions().get(1);
        checkParams(n, "the then region", then, operands);
        checkParams(n, "the else region", other, operands);
        List<TensorType> t = then.resultTypes(), e = other.resultTypes();
        if (t.size() != e.size()) {
            throw fail(n, "the then region yields " + t.size() + " values but the else region yields " + e.size());
        }
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i).dtype() != e.get(i).dtype()) {
                throw fail(n, "result " + i + " is " + t.get(i) + " in the then region but " + e.get(i) + " in the else region");
            }
        }
    }

    /**
     * A fusion is a kernel a backend emits on its own: its region reads only its params and its
     * own values (no capture), nests no regions and has no effects.
     */
    private void checkFusion(Node n) {
        Block body = n.regions().get(0);
        checkParams(n, "the fusion region", body, n.inputs().size());
        Set<Value> inside = Collections.newSetFromMap(new IdentityHashMap<>());
        inside.addAll(body.params());
        for (Node m : body.nodes()) {
            if (!m.regions().isEmpty()) throw fail(n, "the fusion region holds " + m.op().name() + ", which has regions");
            if (!m.op().isPure()) throw fail(n, "the fusion region holds " + m.op().name() + ", which is not pure");
            for (Value v : m.inputs()) {
                if (!inside.contains(v)) {
                    throw fail(n, "the fusion region uses " + name(v) + " from outside; pass it as an input instead");
                }
            }
            inside.addAll(m.outputs());
        }
    }

    private void checkParams(Node n, String region, Block b, int expected) {
        if (b.params().size() != expected) {
            throw fail(n, region + " takes " + b.params().size() + " params but gets " + expected + " operands");
        }
    }

    private String name(Value v) {
        String s = names.get(v);
        return s == null ? String.valueOf(v) : "%" + s;
    }

    private VerificationError fail(Node n, String problem) {
        if (n == null) return new VerificationError("func", null, null, problem);
        String result = n.outputs().isEmpty() || n.outputs().get(0) == null ? null : name(n.outputs().get(0));
        return new VerificationError(n.op().name(), result, n.location(), problem);
    }
}
