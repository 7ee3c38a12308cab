package dev.tfjit.runtime;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.Value;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference interpreter: runs any graph node by node with the op catalog's reference
 * kernels. It is the oracle that every compiled backend is tested against.
 */
public final class Interpreter {
    private Interpreter() {}

    /** Runs {@code g} on {@code args}, which must fit the graph's parameter types. */
    public static List<Buffer> run(Graph g, List<Buffer> args) {
        checkArgs(g, args);
        return runBlock(g.body(), args, null);
    }

    static void checkArgs(Graph g, List<Buffer> args) {
        List<TensorType> params = g.paramTypes();
        if (args.size() != params.size()) {
            throw new TfException("@" + g.name() + " takes " + params.size() + " arguments, got " + args.size());
        }
        for (int i = 0; i < args.size(); i++) {
            TensorType p = params.get(i);
            Buffer a = args.get(i);
            if (a.dtype() != p.dtype()) {
                throw new DTypeError("@" + g.name() + " argument " + i + " should be " + p.dtype() + ", got " + a.dtype());
            }
            if (!p.shape().accepts(a.shape())) {
                throw new ShapeError("@" + g.name() + " argument " + i + " should have shape " + p.shape().irString()
                        + ", got " + a.shape().irString());
            }
        }
    }

    private static final class Env {
        final Env parent;
        final Map<Value, Buffer> values = new IdentityHashMap<>();

        Env(Env parent) { this.parent = parent; }

        Buffer get(Value v) {
            for (Env e = this; e != null; e = e.parent) {
                Buffer b = e.values.get(v);
                if (b != null) return b;
            }
            throw new IllegalStateException("value " + v + " has no buffer (graph not verified?)");
        }
    }

    private static List<Buffer> runBlock(Block block, List<Buffer> args, Env parent) {
        Env env = new Env(parent);
        for (int i = 0; i < args.size(); i++) env.values.put(block.params().get(i), args.get(i));
        for (Node n : block.nodes()) {
            List<Buffer> in = new ArrayList<>(n.inputs().size());
            for (Value v : n.inputs()) in.add(env.get(v));
            List<Buffer> out;
            try {
                out = n.op().evaluate(in, n.attrs(), (region, regionArgs) -> runBlock(n.regions().get(region), regionArgs, env));
            } catch (TfException e) {
                if (e.getMessage().startsWith(n.op().name() + ": ")) throw e; // already located (nested region)
                throw e.in(n.op().name(), n.location());
            }
            for (int i = 0; i < out.size(); i++) env.values.put(n.outputs().get(i), out.get(i));
        }
        List<Buffer> results = new ArrayList<>(block.results().size());
        for (Value v : block.results()) results.add(env.get(v));
        return results;
    }
}
