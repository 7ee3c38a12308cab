package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.Reshape;
import dev.tfjit.ir.ops.ArrayOps;
import dev.tfjit.ir.ops.ControlFlowOps;
import dev.tfjit.ir.ops.CreationOps;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fully known type of every value once the arguments' shapes are known: the graph's own
 * type rules re-run on concrete shapes. Native code is specialized on these, so a loop var
 * whose shape changes between iterations, or a cond whose branches yield different shapes,
 * cannot be compiled yet and says so.
 */
public final class ConcreteTypes {
    private final Map<Value, TensorType> types = new IdentityHashMap<>();
    /** Constant values, for the shape operands whose values decide an output shape. */
    private final Map<Value, Buffer> constants = new IdentityHashMap<>();

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
            if (n.op() == ControlFlowOps.WHILE) {
                block(n.regions().get(0), in);
                List<TensorType> next = block(n.regions().get(1), in);
                for (int i = 0; i < in.size(); i++) {
                    if (!next.get(i).equals(in.get(i))) {
                        throw new UnimplementedError("loop var " + i + " changes from " + in.get(i) + " to " + next.get(i)
                                + " between iterations; the llvm-cpu backend compiles loops whose vars keep their shape")
                                .in(n.op().name(), n.location());
                    }
                }
                out = in;
            } else if (n.op() == ControlFlowOps.COND) {
                List<TensorType> operands = in.subList(1, in.size());
                List<TensorType> t = block(n.regions().get(0), operands), e = block(n.regions().get(1), operands);
                if (!t.equals(e)) {
                    throw new UnimplementedError("the branches yield " + t + " and " + e
                            + "; the llvm-cpu backend compiles conds whose branches agree on shapes").in(n.op().name(), n.location());
                }
                out = t;
            } else if (n.op() == ArrayOps.RESHAPE && in.size() == 2 && constants.containsKey(n.inputs().get(1))) {
                // A shape tensor that is a constant is known at compile time, so the output shape is too.
                try {
                    n.op().inferTypes(in, n.attrs()); // its checks (dtype, vector) still apply
                    long[] requested = constants.get(n.inputs().get(1)).toLongArray();
                    out = List.of(new TensorType(in.get(0).dtype(), Reshape.resolve(requested, in.get(0).shape())));
                } catch (TfException e) {
                    throw e.in(n.op().name(), n.location());
                }
            } else {
                if (n.op() == CreationOps.CONSTANT) constants.put(n.output(), n.attrs().getTensor("value"));
                try {
                    out = n.op().inferTypes(in, n.attrs());
                } catch (TfException e) {
                    throw e.in(n.op().name(), n.location());
                }
            }
            for (int i = 0; i < out.size(); i++) {
                TensorType t = out.get(i);
                if (!t.shape().isFullyKnown()) {
                    throw new UnimplementedError("output " + i + " has shape " + t.shape().irString()
                            + " even for concrete arguments; the llvm-cpu backend needs static shapes").in(n.op().name(), n.location());
                }
                types.put(n.outputs().get(i), t);
            }
        }
        return b.results().stream().map(this::of).toList();
    }
}
