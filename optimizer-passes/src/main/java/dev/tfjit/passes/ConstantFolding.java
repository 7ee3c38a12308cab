package dev.tfjit.passes;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.ControlFlowOps;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates pure ops whose inputs are all constants with their reference kernel and replaces
 * them by constants, and inlines the taken branch of a {@code cond} whose predicate is constant.
 *
 * <p>Left alone: random and side-effecting ops; structured ops other than such a {@code cond};
 * results larger than {@link #maxElements} (so a {@code fill} of a huge shape stays a cheap op
 * instead of a huge constant); and any op whose kernel fails (integer division by zero...), so
 * the error surfaces at run time with the user's source location.
 */
public final class ConstantFolding implements Pass {
    public static final long DEFAULT_MAX_ELEMENTS = 1024;

    private final long maxElements;

    public ConstantFolding() { this(DEFAULT_MAX_ELEMENTS); }

    public ConstantFolding(long maxElements) {
        if (maxElements < 0) throw new IllegalArgumentException("maxElements must be >= 0, got " + maxElements);
        this.maxElements = maxElements;
    }

    public long maxElements() { return maxElements; }

    @Override
    public String name() { return "fold"; }

    @Override
    public Graph run(Graph graph) { return new Folder().rewrite(graph); }

    private final class Folder extends BlockRewriter {
        private final Map<Value, Buffer> constants = new IdentityHashMap<>();

        @Override
        protected void visit(Node original, List<Node> out) {
            if (original.op() == ControlFlowOps.COND && inlineTakenBranch(original, out)) return;
            Node n = rebuilt(original);
            Buffer c = Constants.valueOf(n);
            if (c != null) {
                constants.put(n.output(), c);
                out.add(n);
                return;
            }
            List<Buffer> folded = tryFold(n);
            if (folded == null) {
                out.add(n);
                return;
            }
            for (int i = 0; i < folded.size(); i++) {
                Value v = n.outputs().get(i);
                constants.put(v, folded.get(i));
                out.add(Constants.define(v, folded.get(i), n.location()));
            }
            markChanged();
        }

        /** The outputs' values, or null when {@code n} must not or cannot be folded. */
        private List<Buffer> tryFold(Node n) {
            if (!n.op().isPure() || !n.regions().isEmpty() || n.outputs().isEmpty()) return null;
            long elements = 0;
            for (Value v : n.outputs()) {
                if (!v.shape().isFullyKnown()) return null; // data-dependent shape: its constant would change the type
                elements += v.shape().numElements();
                if (elements > maxElements) return null;
            }
            List<Buffer> in = new ArrayList<>(n.inputs().size());
            for (Value v : n.inputs()) {
                Buffer b = constants.get(v);
                if (b == null) return null;
                in.add(b);
            }
            List<Buffer> result;
            try {
                result = n.op().evaluate(in, n.attrs());
            } catch (RuntimeException e) {
                return null; // the same error will be raised, located, when the graph runs
            }
            if (result.size() != n.outputs().size()) return null;
            for (int i = 0; i < result.size(); i++) {
                if (!result.get(i).type().equals(n.outputs().get(i).type())) return null;
            }
            return result;
        }

        /**
         * Replaces a cond whose predicate is a constant by the nodes of the branch it takes. Only
         * when operand and result types match the branch exactly, so no user sees a type change.
         */
        private boolean inlineTakenBranch(Node cond, List<Node> out) {
            Buffer pred = constants.get(values.resolve(cond.inputs().get(0)));
            if (pred == null) return false;
            Block branch = cond.regions().get(pred.getBoolean(0) ? 0 : 1);
            List<Value> operands = values.resolve(cond.inputs().subList(1, cond.inputs().size()));
            if (!types(operands).equals(branch.paramTypes())) return false;
            if (!branch.resultTypes().equals(types(cond.outputs()))) return false;
            inline(branch, operands, cond.outputs(), out);
            return true;
        }

        private static List<TensorType> types(List<Value> vs) { return vs.stream().map(Value::type).toList(); }
    }
}
