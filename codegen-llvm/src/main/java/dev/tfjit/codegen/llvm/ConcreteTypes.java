package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.Reshape;
import dev.tfjit.ir.kernels.SumToShape;
import dev.tfjit.ir.ops.ArrayOps;
import dev.tfjit.ir.ops.ControlFlowOps;
import dev.tfjit.ir.ops.CreationOps;
import dev.tfjit.ir.ops.RandomOps;
import dev.tfjit.ir.ops.ReductionOps;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fully known type of every value once the arguments' shapes are known: the graph's own
 * type rules re-run on concrete shapes. Native code is specialized on these, so a loop var
 * whose shape changes between iterations, or a cond whose branches yield different shapes,
 * cannot be compiled yet and says so. The exception is a dynamically sized TensorArray, whose
 * stacked value keeps an unknown leading dim, its run-time count ({@link GrowableTypes}).
 */
public final class ConcreteTypes {
    private final Map<Value, TensorType> types = new IdentityHashMap<>();
    /** Values known at compile time, for the shape operands whose values decide an output shape. */
    private final Map<Value, Buffer> statics = new IdentityHashMap<>();

    private ConcreteTypes() {}

    public static ConcreteTypes infer(Graph g, List<Shape> argShapes) {
        ConcreteTypes c = new ConcreteTypes();
        List<TensorType> args = new ArrayList<>();
        for (int i = 0; i < argShapes.size(); i++) args.add(new TensorType(g.paramTypes().get(i).dtype(), argShapes.get(i)));
        c.block(g.body(), args);
        return c;
    }

    public TensorType of(Value v) {
        TensorType t = types.get(v);
        if (t == null) throw new IllegalStateException("no concrete type for " + v);
        return t;
    }

    public Shape shape(Value v) { return of(v).shape(); }

    private List<TensorType> block(Block b, List<TensorType> params) {
        for (int i = 0; i < params.size(); i++) types.put(b.params().get(i), params.get(i));
        for (Node n : b.nodes()) {
            List<TensorType> in = n.inputs().stream().map(this::of).toList();
            List<TensorType> out;
            boolean mayGrow = n.op() == ControlFlowOps.WHILE || n.op() == ControlFlowOps.COND || GrowableTypes.decides(n, in);
            if (n.op() == ControlFlowOps.WHILE) {
                out = whileTypes(n, in);
            } else if (n.op() == ControlFlowOps.COND) {
                List<TensorType> operands = in.subList(1, in.size());
                List<TensorType> t = block(n.regions().get(0), operands), e = block(n.regions().get(1), operands);
                out = new ArrayList<>(t);
                for (int i = 0; i < t.size(); i++) {
                    if (t.get(i).equals(e.get(i))) continue;
                    // A TensorArray grown by different counts in the two branches: its count is known at run time.
                    TensorType joined = GrowableTypes.join(t.get(i), e.get(i), producerIn(n.regions().get(0), i), producerIn(n.regions().get(1), i));
                    if (joined == null) {
                        throw new UnimplementedError("the branches yield " + t + " and " + e
                                + "; compiled backends (llvm-cpu, ptx-gpu) need conds whose branches agree on shapes").in(n.op().name(), n.location());
                    }
                    out.set(i, joined);
                }
            } else {
                try {
                    out = GrowableTypes.decides(n, in) ? GrowableTypes.infer(n, in, statics::get) : inferStatic(n, in);
                } catch (TfException e) { // located as the interpreter locates a kernel's error
                    throw e.getMessage().startsWith(n.op().name() + ": ") ? e : e.in(n.op().name(), n.location());
                }
            }
            for (int i = 0; i < out.size(); i++) {
                TensorType t = out.get(i);
                if (!t.shape().isFullyKnown() && !(mayGrow && GrowableTypes.isGrowable(t))) {
                    throw new UnimplementedError("output " + i + " has shape " + t.shape().irString()
                            + " even for concrete arguments; compiled backends (llvm-cpu, ptx-gpu) need static shapes").in(n.op().name(), n.location());
                }
                types.put(n.outputs().get(i), t);
            }
        }
        return b.results().stream().map(this::of).toList();
    }

    /**
     * A while's loop var types: those of its operands, except that a TensorArray the body grows
     * becomes growable ({@link GrowableTypes#widen}); the regions are typed again until no var
     * changes, forgetting the compile-time values the narrower types gave.
     */
    private List<TensorType> whileTypes(Node n, List<TensorType> in) {
        List<TensorType> vars = new ArrayList<>(in);
        while (true) {
            block(n.regions().get(0), vars);
            List<TensorType> next = block(n.regions().get(1), vars);
            boolean widened = false;
            int stuck = -1;
            for (int i = 0; i < vars.size(); i++) {
                if (next.get(i).equals(vars.get(i))) continue;
                TensorType w = GrowableTypes.widen(vars.get(i), next.get(i), producerIn(n.regions().get(1), i));
                if (w == null) { // perhaps a var another growable var flows into: decided once those are widened
                    if (stuck < 0) stuck = i;
                } else if (!w.equals(vars.get(i))) { // (equal: a growable var that the body gives a value of known size)
                    vars.set(i, w);
                    widened = true;
                }
            }
            if (stuck >= 0 && !widened) {
                throw new UnimplementedError("loop var " + stuck + " changes from " + vars.get(stuck) + " to " + next.get(stuck)
                        + " between iterations; compiled backends (llvm-cpu, ptx-gpu) need loops whose vars keep their shape")
                        .in(n.op().name(), n.location());
            }
            if (!widened) return vars;
            for (Block r : n.regions()) forget(r);
        }
    }

    /** The node of {@code b} that yields its result {@code i}, or null when it yields a value from outside. */
    private static Node producerIn(Block b, int i) {
        Value v = b.results().get(i);
        for (Node n : b.nodes()) if (n.outputs().contains(v)) return n;
        return null;
    }

    /** Drops the compile-time values of everything {@code b} defines. */
    private void forget(Block b) {
        for (Node n : b.nodes()) {
            for (Value v : n.outputs()) statics.remove(v);
            for (Block r : n.regions()) forget(r);
        }
    }

    /**
     * The node's output types, using the values of operands known at compile time: a reshape to
     * a static shape tensor, a sum_to_shape to a static target, a random op to a static shape
     * operand, and ops whose output shape depends on static values (range over constants) have
     * static shapes too. Small values are propagated by running the op's reference kernel, so shape arithmetic traced from unknown
     * dims ({@code shape(x)}, sliced and concatenated) is followed exactly as it will run.
     */
    private List<TensorType> inferStatic(Node n, List<TensorType> in) {
        OpDef op = n.op();
        List<TensorType> out = op.inferTypes(in, n.attrs()); // its checks (dtypes, ranks) always apply
        if (op == CreationOps.CONSTANT) statics.put(n.output(), n.attrs().getTensor("value"));
        Buffer arg1 = n.inputs().size() > 1 ? statics.get(n.inputs().get(1)) : null;
        if (op == ArrayOps.RESHAPE && arg1 != null) {
            out = List.of(new TensorType(in.get(0).dtype(), Reshape.resolve(arg1.toLongArray(), in.get(0).shape())));
        } else if (op == ReductionOps.SUM_TO_SHAPE && arg1 != null) {
            long[] target = arg1.toLongArray();
            SumToShape.axes(in.get(0).shape(), target); // the interpreter's error when they do not broadcast
            out = List.of(new TensorType(in.get(0).dtype(), Shape.of(target)));
        } else if (RandomOps.shapeOperand(op, in.size()) >= 0) {
            Buffer dims = statics.get(n.inputs().get(RandomOps.shapeOperand(op, in.size())));
            if (dims != null) out = List.of(new TensorType(out.get(0).dtype(), RandomOps.shapeFromValue(op.name(), dims.toLongArray(), n.attrs())));
        } else if (op == ArrayOps.SHAPE || op == ArrayOps.SIZE || op == ArrayOps.RANK) {
            statics.put(n.output(), shapeQuery(op, in.get(0).shape(), out.get(0).dtype()));
        }
        if (!n.outputs().isEmpty() && !statics.containsKey(n.outputs().get(0)) && foldable(n, in, out)) {
            List<Buffer> inputs = n.inputs().stream().map(statics::get).toList();
            List<Buffer> values;
            try {
                values = op.evaluate(inputs, n.attrs());
            } catch (TfException e) {
                // A kernel error the shape depends on is raised now; otherwise native code raises it at run time.
                if (op == CreationOps.RANGE) throw e;
                return out;
            }
            for (int i = 0; i < values.size(); i++) {
                if (values.get(i).size() <= MAX_STATIC_ELEMENTS) statics.put(n.outputs().get(i), values.get(i));
            }
            if (!allKnown(out)) out = values.stream().map(Buffer::type).toList();
        }
        return out;
    }

    /** Values larger than this are not followed at compile time (shape arithmetic is tiny). */
    private static final long MAX_STATIC_ELEMENTS = 1024;

    /** Whether {@code n} is a pure op without regions whose inputs are all known small values. */
    private boolean foldable(Node n, List<TensorType> in, List<TensorType> out) {
        if (!n.op().isPure() || !n.regions().isEmpty() || n.op().kernel() == null || n.inputs().isEmpty()) return false;
        for (Value v : n.inputs()) if (!statics.containsKey(v) || v.dtype() == DType.STRING) return false;
        for (TensorType t : out) {
            if (t.dtype() == DType.STRING) return false;
            if (t.shape().isFullyKnown() && t.shape().numElements() > MAX_STATIC_ELEMENTS) return false;
        }
        return true;
    }

    private static boolean allKnown(List<TensorType> types) {
        for (TensorType t : types) if (!t.shape().isFullyKnown()) return false;
        return true;
    }

    /** What shape, size and rank return for an input of concrete shape {@code s}. */
    static Buffer shapeQuery(OpDef op, Shape s, DType out) {
        if (op == ArrayOps.SIZE) return Buffer.scalarLong(DType.INT32, Math.toIntExact(s.numElements()));
        if (op == ArrayOps.RANK) return Buffer.scalarLong(DType.INT32, s.rank());
        Buffer b = Buffer.allocate(out, s.rank());
        for (int i = 0; i < s.rank(); i++) b.setLong(i, s.dim(i));
        return b;
    }

    /** A value known at compile time (constants, shape queries and small values computed from them), or null. */
    Buffer staticValue(Value v) { return statics.get(v); }
}
